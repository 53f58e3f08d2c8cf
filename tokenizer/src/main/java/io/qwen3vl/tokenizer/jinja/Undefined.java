package io.qwen3vl.tokenizer.jinja;

/**
 * Jinja's default {@code Undefined}: what a missing variable, key or attribute evaluates to. It
 * renders as "", is falsy, has length 0 and iterates as empty, but any other use (attribute access,
 * arithmetic, calling it, JSON) fails with the reason it is undefined, as in Jinja.
 */
final class Undefined {
    private final String reason;

    Undefined(String reason) {
        this.reason = reason;
    }

    static Undefined variable(String name) {
        return new Undefined("'" + name + "' is undefined");
    }

    static Undefined attribute(Object owner, String attribute) {
        return new Undefined("'" + Py.typeName(owner) + " object' has no attribute '" + attribute + "'");
    }

    static Undefined item(Object owner, Object key) {
        return new Undefined("'" + Py.typeName(owner) + " object' has no attribute " + Py.repr(key));
    }

    /** Why this value is undefined, in Jinja's words. */
    String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "";
    }
}
