package io.qwen3vl.tokenizer.jinja;

import java.util.LinkedHashMap;
import java.util.Map;

/** Jinja's {@code namespace(...)}: the one object whose attributes a template may assign, across scopes. */
final class Namespace {
    final Map<String, Object> attributes = new LinkedHashMap<>();

    @Override
    public String toString() {
        return "<Namespace " + Py.repr(attributes) + ">";
    }
}
