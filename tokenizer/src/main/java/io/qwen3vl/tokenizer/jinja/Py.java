package io.qwen3vl.tokenizer.jinja;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python value semantics for template values, which are Java objects: String, Long (Python int),
 * Double (float), Boolean, null (None), List (list), {@link Tuple}, Map (dict), {@link Namespace},
 * {@link Undefined} and callables. Chat templates print, compare and concatenate such values, and
 * the prompt text must be the one Python would produce.
 */
final class Py {
    private Py() {
    }

    /** A Python-level failure (TypeError and the like); the interpreter adds template and line. */
    static final class Error extends RuntimeException {
        Error(String message) {
            super(message);
        }
    }

    // ---- conversion of host values ------------------------------------------------------------

    /** Deep-copies caller values into the types above (Integer → Long, Float → Double, arrays → lists). */
    static Object normalize(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double || value instanceof Undefined || value instanceof JinjaCallable
                || value instanceof Namespace) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        if (value instanceof java.math.BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 9.0e18 && !(value instanceof BigDecimal) ? (Object) n.longValue()
                    : (Object) d;
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(normalize(k), normalize(v)));
            return copy;
        }
        if (value instanceof Tuple) {
            return value;
        }
        if (value instanceof Iterable<?> items) {
            List<Object> copy = new ArrayList<>();
            items.forEach(v -> copy.add(normalize(v)));
            return copy;
        }
        if (value instanceof Object[] array) {
            List<Object> copy = new ArrayList<>();
            for (Object v : array) {
                copy.add(normalize(v));
            }
            return copy;
        }
        throw new Error("unsupported value of type " + value.getClass().getName());
    }

    // ---- types, truth, length ---------------------------------------------------------------

    static String typeName(Object v) {
        if (v == null) {
            return "NoneType";
        } else if (v instanceof String) {
            return "str";
        } else if (v instanceof Boolean) {
            return "bool";
        } else if (v instanceof Long) {
            return "int";
        } else if (v instanceof Double) {
            return "float";
        } else if (v instanceof Tuple) {
            return "tuple";
        } else if (v instanceof List) {
            return "list";
        } else if (v instanceof Map) {
            return "dict";
        } else if (v instanceof Namespace) {
            return "Namespace";
        } else if (v instanceof Undefined) {
            return "Undefined";
        } else if (v instanceof JinjaCallable) {
            return "function";
        }
        return v.getClass().getSimpleName();
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    static long toLong(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : (Long) v;
    }

    static double toDouble(Object v) {
        return v instanceof Double d ? d : toLong(v);
    }

    static boolean truthy(Object v) {
        if (v == null || v instanceof Undefined) {
            return false;
        } else if (v instanceof Boolean b) {
            return b;
        } else if (v instanceof Long l) {
            return l != 0;
        } else if (v instanceof Double d) {
            return d != 0.0;
        } else if (v instanceof String s) {
            return !s.isEmpty();
        } else if (v instanceof List<?> l) {
            return !l.isEmpty();
        } else if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    static long len(Object v) {
        if (v instanceof String s) {
            return s.codePointCount(0, s.length());
        } else if (v instanceof List<?> l) {
            return l.size();
        } else if (v instanceof Map<?, ?> m) {
            return m.size();
        } else if (v instanceof Undefined) {
            return 0;
        }
        throw new Error("object of type '" + typeName(v) + "' has no len()");
    }

    /** The items a for loop visits: list items, dict keys, string characters; undefined is empty. */
    static List<Object> iterate(Object v) {
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        } else if (v instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        } else if (v instanceof String s) {
            List<Object> chars = new ArrayList<>();
            s.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
            return chars;
        } else if (v instanceof Undefined) {
            return List.of();
        }
        throw new Error("'" + typeName(v) + "' object is not iterable");
    }

    // ---- equality and ordering --------------------------------------------------------------

    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumber(a) && isNumber(b)) {
            if (isInt(a) && isInt(b)) {
                return toLong(a) == toLong(b);
            }
            return toDouble(a) == toDouble(b);
        }
        if (a instanceof String || b instanceof String) {
            return a.equals(b);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if ((a instanceof Tuple) != (b instanceof Tuple) || la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!equal(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !equal(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        return a.equals(b);
    }

    static int compare(Object a, Object b, String op) {
        if (isNumber(a) && isNumber(b)) {
            if (isInt(a) && isInt(b)) {
                return Long.compare(toLong(a), toLong(b));
            }
            return Double.compare(toDouble(a), toDouble(b));
        }
        if (a instanceof String sa && b instanceof String sb) {
            return compareCodePoints(sa, sb);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb && (a instanceof Tuple) == (b instanceof Tuple)) {
            for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
                if (!equal(la.get(i), lb.get(i))) {
                    return compare(la.get(i), lb.get(i), op);
                }
            }
            return Integer.compare(la.size(), lb.size());
        }
        if (a instanceof Undefined u) {
            throw new Error(u.reason());
        }
        if (b instanceof Undefined u) {
            throw new Error(u.reason());
        }
        throw new Error("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Python's {@code needle in haystack}. */
    static boolean contains(Object haystack, Object needle) {
        if (haystack instanceof String s) {
            if (!(needle instanceof String n)) {
                throw new Error("'in <string>' requires string as left operand, not " + typeName(needle));
            }
            return s.contains(n);
        } else if (haystack instanceof List<?> l) {
            for (Object item : l) {
                if (equal(item, needle)) {
                    return true;
                }
            }
            return false;
        } else if (haystack instanceof Map<?, ?> m) {
            for (Object key : m.keySet()) {
                if (equal(key, needle)) {
                    return true;
                }
            }
            return false;
        } else if (haystack instanceof Undefined) {
            return false;
        }
        throw new Error("argument of type '" + typeName(haystack) + "' is not iterable");
    }

    // ---- printing ---------------------------------------------------------------------------

    /** Python's {@code str(v)}, except that undefined prints as "" (as Jinja renders it). */
    static String str(Object v) {
        if (v instanceof String s) {
            return s;
        } else if (v instanceof Undefined) {
            return "";
        }
        return repr(v);
    }

    /** Python's {@code repr(v)}. */
    static String repr(Object v) {
        if (v == null) {
            return "None";
        } else if (v instanceof Boolean b) {
            return b ? "True" : "False";
        } else if (v instanceof Long l) {
            return l.toString();
        } else if (v instanceof Double d) {
            return floatRepr(d);
        } else if (v instanceof String s) {
            return stringRepr(s);
        } else if (v instanceof Tuple t) {
            StringBuilder out = new StringBuilder("(");
            for (int i = 0; i < t.size(); i++) {
                out.append(i > 0 ? ", " : "").append(repr(t.get(i)));
            }
            return out.append(t.size() == 1 ? ",)" : ")").toString();
        } else if (v instanceof List<?> l) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                out.append(i > 0 ? ", " : "").append(repr(l.get(i)));
            }
            return out.append(']').toString();
        } else if (v instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder("{");
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            return out.append('}').toString();
        } else if (v instanceof Undefined) {
            return "Undefined";
        }
        return v.toString();
    }

    /** Python's repr of a float: the shortest digits that round-trip, fixed notation for 1e-4 ≤ |x| < 1e16. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        } else if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        } else if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                shortest = candidate;
                break;
            }
        }
        String digits = shortest.unscaledValue().abs().toString();
        digits = digits.replaceFirst("0+$", "");
        if (digits.isEmpty()) {
            digits = "0";
        }
        // value = 0.digits × 10^pointPos
        int pointPos = shortest.precision() - shortest.scale();
        int exponent = pointPos - 1;
        String sign = d < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            if (pointPos <= 0) {
                return sign + "0." + "0".repeat(-pointPos) + digits;
            } else if (pointPos >= digits.length()) {
                return sign + digits + "0".repeat(pointPos - digits.length()) + ".0";
            }
            return sign + digits.substring(0, pointPos) + "." + digits.substring(pointPos);
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = String.format("%02d", Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }

    private static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp < 0x100) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp < 0x10000) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        }
        return out.append(quote).toString();
    }

    private static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    // ---- string helpers ---------------------------------------------------------------------

    /** Python's {@code str.isspace} for one character. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    static String strip(String s, String chars) {
        return lstrip(rstrip(s, chars), chars);
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && stripped(s.charAt(i), chars)) {
            i++;
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int i = s.length();
        while (i > 0 && stripped(s.charAt(i - 1), chars)) {
            i--;
        }
        return s.substring(0, i);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }
}
