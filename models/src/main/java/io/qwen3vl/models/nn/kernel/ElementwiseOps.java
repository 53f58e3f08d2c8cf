package io.qwen3vl.models.nn.kernel;

/**
 * The element-wise steps {@link Elementwise} hands to the Vector API. Like {@link RowDots}, an
 * interface so that only its implementation, {@link VectorElementwise}, refers to
 * {@code jdk.incubator.vector}.
 */
interface ElementwiseOps {
    /** {@code a[from, to)} rounded to the nearest fp16 value (ties to even) and widened back, in place. */
    void roundToHalf(float[] a, int from, int to);

    /** {@code a[from, to)} replaced by its exponential, in fp32 within 2 ulps, in place. */
    void exp(float[] a, int from, int to);
}
