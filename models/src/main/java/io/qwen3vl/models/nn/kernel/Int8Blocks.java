package io.qwen3vl.models.nn.kernel;

/** The 8-bit weight format's block: 32 consecutive weights of a row share one fp32 scale. */
public final class Int8Blocks {
    public static final int BLOCK = 32;

    private Int8Blocks() {
    }
}
