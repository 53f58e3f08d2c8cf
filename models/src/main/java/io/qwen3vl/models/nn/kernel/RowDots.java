package io.qwen3vl.models.nn.kernel;

import java.nio.ByteBuffer;

/**
 * Dot products of consecutive weight rows with one input vector, read straight from the weights'
 * native memory. The only implementation, {@link VectorRowDots}, uses the Vector API; this interface
 * keeps every other class of the package free of {@code jdk.incubator.vector} types, so they load in
 * a JVM started without that module.
 */
interface RowDots {
    /**
     * {@code dst[dstOff + r] = Σ_i W[r][i] · x[i]} for rows {@code r < rows} of an fp32 matrix whose
     * row 0 starts at byte {@code base} of {@code w} (rows are {@code 4k} bytes apart).
     */
    void f32(ByteBuffer w, int base, int k, float[] x, int rows, float[] dst, int dstOff);

    /**
     * The same for fp16 weights (rows {@code 2k} bytes apart). {@code x} is the input; {@code even}
     * and {@code odd} hold its even- and odd-indexed elements of the first {@link #halfPairs}{@code (k)}
     * pairs multiplied by 2^112 (see {@link HalfInput}).
     */
    void f16(ByteBuffer w, int base, int k, float[] x, float[] even, float[] odd, int rows, float[] dst, int dstOff);

    /** How many leading pairs of fp16 elements {@link #f16} reads through {@code even}/{@code odd}. */
    int halfPairs(int k);

    /** Whether {@code count} fp16 values from byte {@code from} of {@code w} include an inf or NaN. */
    boolean hasNonFiniteHalf(ByteBuffer w, int from, int count);
}
