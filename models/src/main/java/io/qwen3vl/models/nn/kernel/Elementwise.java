package io.qwen3vl.models.nn.kernel;

import io.qwen3vl.models.checkpoint.HalfFloat;

/**
 * The element-wise steps of decoding one token on float arrays — rounding to fp16 where the
 * reference's fp16 operations round, and the SiLU gate of the MLP — with the Vector API when the
 * module is there, in scalar Java otherwise (same results: the rounding is bit for bit, the
 * exponential within 2 ulps).
 *
 * <p>Why: these steps run on the calling thread between two weight products while the kernel's
 * other threads wait, so their time counts twice on two cores. An fp16 decode step rounds about
 * 1.2 million values and takes 170,000 exponentials; scalar, with a branchy conversion per value and
 * a double-precision {@code Math.exp}, that was several percent of a token.
 */
public final class Elementwise {
    private static final ElementwiseOps VECTOR = load();

    private Elementwise() {
    }

    /** {@code a[from, to)} rounded to the nearest fp16 value (ties to even; overflow to inf), in place. */
    public static void roundToHalf(float[] a, int from, int to) {
        if (VECTOR != null) {
            VECTOR.roundToHalf(a, from, to);
        } else {
            HalfFloat.round(a, from, to);
        }
    }

    /** {@code a[from, to)} replaced by e^a, in place (fp32; the vector form within 2 ulps of {@code Math.exp}). */
    public static void exp(float[] a, int from, int to) {
        if (VECTOR != null) {
            VECTOR.exp(a, from, to);
        } else {
            for (int i = from; i < to; i++) {
                a[i] = (float) Math.exp(a[i]);
            }
        }
    }

    /**
     * {@code gate[i] = silu(gate[i]) · up[i]} for {@code i < n}, with SiLU as {@code g / (1 + e^-g)}
     * in fp32, as torch computes it (e^-g overflowing to inf gives -0). With {@code half}, as the
     * reference's fp16 operations: the SiLU result is rounded to fp16, then the product.
     * {@code scratch} holds at least n values.
     */
    public static void siluTimes(float[] gate, float[] up, int n, boolean half, float[] scratch) {
        for (int i = 0; i < n; i++) {
            scratch[i] = -gate[i];
        }
        exp(scratch, 0, n);
        for (int i = 0; i < n; i++) {
            gate[i] /= 1f + scratch[i];
        }
        if (half) {
            roundToHalf(gate, 0, n);
        }
        for (int i = 0; i < n; i++) {
            gate[i] *= up[i];
        }
        if (half) {
            roundToHalf(gate, 0, n);
        }
    }

    /** Whether the vector implementation is in use (for tests). */
    static boolean vectorized() {
        return VECTOR != null;
    }

    private static ElementwiseOps load() {
        // without the module the scalar path gives the same results
        return ModuleLayer.boot().findModule(MatVec.VECTOR_MODULE).isEmpty() ? null
                : MatVec.vectorImplementation("VectorElementwise", ElementwiseOps.class);
    }
}
