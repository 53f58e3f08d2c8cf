package io.qwen3vl.engine.generate;

/** Why generation stopped: an end-of-sequence token, or the token budget. */
public enum FinishReason {
    STOP, LENGTH;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
