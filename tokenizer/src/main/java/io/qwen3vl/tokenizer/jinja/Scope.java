package io.qwen3vl.tokenizer.jinja;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a template. Jinja gives each for-loop iteration and each macro
 * call its own scope: {@code set} inside them does not leak out (only namespace attributes do),
 * while {@code if} blocks share their enclosing scope.
 */
final class Scope {
    private static final Object MISSING = new Object();

    private final Scope parent;
    private final Map<String, Object> vars = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Object v = s.vars.getOrDefault(name, MISSING);
            if (v != MISSING) {
                return v;
            }
        }
        return Undefined.variable(name);
    }

    void set(String name, Object value) {
        vars.put(name, value);
    }
}
