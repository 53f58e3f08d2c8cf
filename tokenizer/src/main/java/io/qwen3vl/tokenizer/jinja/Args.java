package io.qwen3vl.tokenizer.jinja;

import java.util.List;
import java.util.Map;

/** Positional-or-keyword argument binding for built-in filters and methods, Python style. */
final class Args {
    private final String function;
    private final List<Object> args;
    private final Map<String, Object> kwargs;

    Args(String function, List<Object> args, Map<String, Object> kwargs, int maxPositional) {
        this.function = function;
        this.args = args;
        this.kwargs = kwargs;
        if (args.size() > maxPositional) {
            throw new Py.Error(function + "() takes at most " + maxPositional + " argument(s), " + args.size()
                    + " given");
        }
    }

    /** The argument at position index or with keyword name, else the default. */
    Object get(int index, String name, Object defaultValue) {
        if (index < args.size()) {
            return args.get(index);
        }
        return kwargs.containsKey(name) ? kwargs.get(name) : defaultValue;
    }

    String string(int index, String name, String defaultValue) {
        Object v = get(index, name, defaultValue);
        if (v != null && !(v instanceof String)) {
            throw new Py.Error(function + "() argument '" + name + "' must be str, not " + Py.typeName(v));
        }
        return (String) v;
    }

    long integer(int index, String name, long defaultValue) {
        Object v = get(index, name, defaultValue);
        if (!Py.isInt(v)) {
            throw new Py.Error(function + "() argument '" + name + "' must be int, not " + Py.typeName(v));
        }
        return Py.toLong(v);
    }
}
