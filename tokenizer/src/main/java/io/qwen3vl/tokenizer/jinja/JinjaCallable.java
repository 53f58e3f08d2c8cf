package io.qwen3vl.tokenizer.jinja;

import java.util.List;
import java.util.Map;

/** Something a template can call: a macro, a global function, or a bound method of a value. */
@FunctionalInterface
interface JinjaCallable {
    Object call(List<Object> args, Map<String, Object> kwargs);
}
