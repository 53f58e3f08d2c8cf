package io.qwen3vl.engine.generate;

/** Receives generated text as it becomes complete (never half a UTF-8 character). */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = text -> { };

    void onText(String text);
}
