package io.qwen3vl.tokenizer.jinja;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The filters chat templates use, with the semantics of Jinja's built-ins and Hugging Face's {@code tojson}. */
final class Filters {
    private static final Set<String> SUPPORTED = Set.of("length", "count", "tojson", "trim", "string", "first",
            "last", "upper", "lower", "capitalize", "title", "default", "d", "join", "list", "reverse", "replace",
            "items", "safe", "int", "float", "abs");

    private Filters() {
    }

    static boolean supports(String name) {
        return SUPPORTED.contains(name);
    }

    static Object apply(String name, Object value, List<Object> args, Map<String, Object> kwargs) {
        switch (name) {
            case "length":
            case "count":
                new Args(name, args, kwargs, 0);
                return Py.len(value);
            case "tojson":
                return toJson(value, new Args(name, args, kwargs, 4));
            case "trim": {
                Args a = new Args(name, args, kwargs, 1);
                return Py.strip(Py.str(value), a.string(0, "chars", null));
            }
            case "string":
                return Py.str(value);
            case "first": {
                List<Object> items = Py.iterate(value);
                return items.isEmpty() ? new Undefined("No first item, sequence was empty.") : items.get(0);
            }
            case "last": {
                List<Object> items = Py.iterate(value);
                return items.isEmpty() ? new Undefined("No last item, sequence was empty.")
                        : items.get(items.size() - 1);
            }
            case "upper":
                return Methods.upper(Py.str(value));
            case "lower":
                return Methods.lower(Py.str(value));
            case "capitalize": {
                String s = Py.str(value);
                return s.isEmpty() ? s : Methods.upper(s.substring(0, 1)) + Methods.lower(s.substring(1));
            }
            case "title":
                return Methods.title(Py.str(value));
            case "default":
            case "d": {
                Args a = new Args(name, args, kwargs, 2);
                boolean onFalsy = Py.truthy(a.get(1, "boolean", Boolean.FALSE));
                boolean useDefault = value instanceof Undefined || (onFalsy && !Py.truthy(value));
                return useDefault ? a.get(0, "default_value", "") : value;
            }
            case "join": {
                Args a = new Args(name, args, kwargs, 2);
                if (a.get(1, "attribute", null) != null) {
                    throw new Py.Error("join(attribute=...) is not supported");
                }
                String separator = a.string(0, "d", "");
                StringBuilder out = new StringBuilder();
                List<Object> items = Py.iterate(value);
                for (int i = 0; i < items.size(); i++) {
                    out.append(i > 0 ? separator : "").append(Py.str(items.get(i)));
                }
                return out.toString();
            }
            case "list":
                return Py.iterate(value);
            case "reverse": {
                if (value instanceof String s) {
                    return new StringBuilder(s).reverse().toString();
                }
                List<Object> items = Py.iterate(value);
                Collections.reverse(items);
                return items;
            }
            case "replace": {
                Args a = new Args(name, args, kwargs, 3);
                return Methods.replace(Py.str(value), a.string(0, "old", ""), a.string(1, "new", ""),
                        a.integer(2, "count", -1));
            }
            case "items": {
                if (value instanceof Undefined) {
                    return List.of();
                }
                if (!(value instanceof Map<?, ?> m)) {
                    throw new Py.Error("items filter: can only get item pairs from a mapping, not "
                            + Py.typeName(value));
                }
                return Methods.items(m);
            }
            case "safe":
                return value;
            case "int":
                return toInt(value);
            case "float":
                return toFloat(value);
            case "abs":
                if (value instanceof Double d) {
                    return Math.abs(d);
                } else if (Py.isInt(value)) {
                    return Math.abs(Py.toLong(value));
                }
                throw new Py.Error("bad operand type for abs(): '" + Py.typeName(value) + "'");
            default:
                throw new Py.Error("unsupported filter '" + name + "'");
        }
    }

    private static String toJson(Object value, Args a) {
        boolean ensureAscii = Py.truthy(a.get(0, "ensure_ascii", Boolean.FALSE));
        Object indent = a.get(1, "indent", null);
        Object separators = a.get(2, "separators", null);
        boolean sortKeys = Py.truthy(a.get(3, "sort_keys", Boolean.FALSE));
        String indentText = null;
        if (indent instanceof String s) {
            indentText = s;
        } else if (Py.isInt(indent)) {
            indentText = " ".repeat((int) Math.max(0, Py.toLong(indent)));
        } else if (indent != null) {
            throw new Py.Error("tojson indent must be an int or a string, not " + Py.typeName(indent));
        }
        String itemSeparator = null;
        String keySeparator = null;
        if (separators != null) {
            if (!(separators instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String)
                    || !(pair.get(1) instanceof String)) {
                throw new Py.Error("tojson separators must be a pair of strings");
            }
            itemSeparator = (String) pair.get(0);
            keySeparator = (String) pair.get(1);
        }
        return new PyJson(ensureAscii, indentText, itemSeparator, keySeparator, sortKeys).dumps(value);
    }

    private static Object toInt(Object value) {
        if (Py.isInt(value)) {
            return Py.toLong(value);
        } else if (value instanceof Double d) {
            return (long) d.doubleValue();
        } else if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                try {
                    return (long) Double.parseDouble(s.trim());
                } catch (NumberFormatException e2) {
                    return 0L;
                }
            }
        }
        return 0L;
    }

    private static Object toFloat(Object value) {
        if (Py.isNumber(value)) {
            return Py.toDouble(value);
        } else if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return 0.0;
            }
        }
        return 0.0;
    }

    static List<Object> copy(List<Object> items) {
        return new ArrayList<>(items);
    }
}
