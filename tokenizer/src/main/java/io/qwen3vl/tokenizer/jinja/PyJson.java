package io.qwen3vl.tokenizer.jinja;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps} as Hugging Face's {@code tojson} filter calls it: no ASCII escaping
 * by default, separators {@code ", "} and {@code ": "} (or {@code ","} with an indent), keys in
 * insertion order unless sorted, floats in Python's repr.
 */
final class PyJson {
    private final boolean ensureAscii;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;

    PyJson(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = itemSeparator != null ? itemSeparator : indent == null ? ", " : ",";
        this.keySeparator = keySeparator != null ? keySeparator : ": ";
        this.sortKeys = sortKeys;
    }

    String dumps(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    private void write(Object v, StringBuilder out, int depth) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (v instanceof Long l) {
            out.append(l);
        } else if (v instanceof Double d) {
            out.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                    : Py.floatRepr(d));
        } else if (v instanceof String s) {
            writeString(s, out);
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                out.append(i > 0 ? itemSeparator : "");
                newline(out, depth + 1);
                write(l.get(i), out, depth + 1);
            }
            newline(out, depth);
            out.append(']');
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            if (sortKeys) {
                entries.sort((a, b) -> Py.compare(a.getKey(), b.getKey(), "<"));
            }
            out.append('{');
            Iterator<Map.Entry<?, ?>> it = entries.iterator();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                out.append(first ? "" : itemSeparator);
                first = false;
                newline(out, depth + 1);
                writeString(key(e.getKey()), out);
                out.append(keySeparator);
                write(e.getValue(), out, depth + 1);
            }
            newline(out, depth);
            out.append('}');
        } else if (v instanceof Undefined u) {
            throw new Py.Error("Object of type Undefined is not JSON serializable (" + u.reason() + ")");
        } else {
            throw new Py.Error("Object of type " + Py.typeName(v) + " is not JSON serializable");
        }
    }

    private static String key(Object k) {
        if (k instanceof String s) {
            return s;
        } else if (k == null) {
            return "null";
        } else if (k instanceof Boolean b) {
            return b ? "true" : "false";
        } else if (k instanceof Long || k instanceof Double) {
            return Py.repr(k);
        }
        throw new Py.Error("keys must be str, int, float, bool or None, not " + Py.typeName(k));
    }

    private void newline(StringBuilder out, int depth) {
        if (indent != null) {
            out.append('\n').append(indent.repeat(depth));
        }
    }

    private void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20 || (ensureAscii && c > 0x7E)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
