package io.qwen3vl.models.nn.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * Attention of one new token over the KV cache, read in place: {@code softmax(q·Kᵀ·scale)·V} per
 * query head, with grouped keys and values (query head h reads kv head {@code h / groups}).
 *
 * <p>Why: with one query row, the backend's batched matmuls of decode attention read the cache at
 * a fraction of the memory's pace (and in fp16 run a slow generic GEMM), costing more per token
 * than several weight matrices. Here each kv head is one task of the decode kernel's pool; the
 * keys are dotted with the {@link RowDots} of the weight products and the values accumulated with
 * FMAs, all in fp32.
 *
 * <p>Numerics follow the backend path it replaces: fp32 scores {@code (q·k)·scale}, a float32
 * softmax, fp32 sums. For fp16 the backend rounds to fp16 at each step, and so does this: the dot
 * product, the scaled score, the probabilities and the output are rounded to fp16 where the
 * backend's fp16 matmul, multiply and cast round them; only summation order differs.
 */
public final class DecodeAttention {
    /** Cache rows per block: 256 rows of 128 fp32 values are 128 KiB, well inside a core's L2. */
    static final int BLOCK_ROWS = 256;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private DecodeAttention() {
    }

    /**
     * Whether the kernel can attend {@code q [heads, 1, d]} over the caches {@code keys, values
     * [kvHeads, capacity, d]} (the full, contiguous cache arrays of one layer).
     */
    public static boolean accepts(NDArray q, NDArray keys, NDArray values) {
        if (!MatVec.enabled()) {
            return false;
        }
        Shape qs = q.getShape();
        Shape ks = keys.getShape();
        DataType dtype = q.getDataType();
        return qs.dimension() == 3 && qs.get(1) == 1 && ks.dimension() == 3 && ks.equals(values.getShape())
                && qs.get(2) == ks.get(2) && qs.get(0) % ks.get(0) == 0
                && (dtype == DataType.FLOAT32 || dtype == DataType.FLOAT16)
                && keys.getDataType() == dtype && values.getDataType() == dtype
                && ks.size() * dtype.getNumOfBytes() <= Integer.MAX_VALUE
                && Device.cpu().equals(q.getDevice()) && Device.cpu().equals(keys.getDevice());
    }

    /**
     * @param q       queries of the new token {@code [heads, 1, d]} (after norm and rotary embedding)
     * @param keys    the layer's whole key cache {@code [kvHeads, capacity, d]}, new key included
     * @param values  the layer's whole value cache, same shape
     * @param length  cached positions to attend to (the new one included)
     * @param scale   score multiplier (1/√d)
     * @return the attention output {@code [1, heads·d]} in q's manager and dtype
     */
    public static NDArray attend(NDArray q, NDArray keys, NDArray values, int length, float scale) {
        if (!accepts(q, keys, values)) {
            throw new IllegalArgumentException("decode attention cannot take q " + q.getShape() + " "
                    + q.getDataType() + " over cache " + keys.getShape() + " " + keys.getDataType());
        }
        int heads = (int) q.getShape().get(0);
        int d = (int) q.getShape().get(2);
        float[] queries = new float[heads * d];
        FloatRows.read(q, queries.length, queries);
        float[] result = new float[heads * d];
        attend(queries, heads, keys, values, length, scale, result);
        NDArray out = FloatRows.create(q.getManager(), result, q.getDataType()); // [1, heads·d]
        return out;
    }

    /**
     * The same attention for queries held in a float array ({@code [heads, d]}, after norm and
     * rotary embedding) into {@code out [heads·d]}; sums in fp32 (for an fp16 cache, rounded to fp16
     * at the same steps as above, except the output, which the caller rounds or not).
     */
    public static void attend(float[] queries, int heads, NDArray keys, NDArray values, int length, float scale,
                              float[] out) {
        int kvHeads = (int) keys.getShape().get(0);
        int capacity = (int) keys.getShape().get(1);
        int d = (int) keys.getShape().get(2);
        if (length < 1 || length > capacity || heads % kvHeads != 0 || queries.length < heads * d
                || out.length < heads * d) {
            throw new IllegalArgumentException("attention of " + heads + " heads over " + length
                    + " positions of a cache " + keys.getShape());
        }
        int groups = heads / kvHeads;
        boolean half = keys.getDataType() == DataType.FLOAT16;
        int elementBytes = half ? 2 : 4;
        RowDots dots = MatVec.rowDots();
        ByteBuffer kb = keys.toByteBuffer(true);
        ByteBuffer vb = values.toByteBuffer(true);
        MatVec.pool().run(kvHeads, g -> {
            Scratch sc = SCRATCH.get().ensure(groups, d, length);
            int base = g * capacity * d * elementBytes;
            int first = g * groups;
            for (int j = 0; j < groups; j++) {
                System.arraycopy(queries, (first + j) * d, sc.q[j], 0, d);
                if (half) {
                    dots.prepareHalfInput(sc.q[j], d, sc.prepared[j]);
                }
                java.util.Arrays.fill(sc.acc[j], 0, d, 0f);
            }
            // Keys, then values, in blocks small enough to stay in cache while every query head of
            // the group reads them: the cache comes from memory once per token, not once per head.
            for (int b = 0; b < length; b += BLOCK_ROWS) {
                int n = Math.min(BLOCK_ROWS, length - b);
                int at = base + b * d * elementBytes;
                int j = 0;
                if (half) { // two query heads per pass over the keys: each row is widened once for both
                    for (; j + 1 < groups; j += 2) {
                        dots.f16Pair(kb, at, d, sc.q[j], sc.prepared[j], sc.q[j + 1], sc.prepared[j + 1], n,
                                sc.scores[j], sc.scores[j + 1], b);
                    }
                }
                for (; j < groups; j++) {
                    if (half) {
                        dots.f16(kb, at, d, sc.q[j], sc.prepared[j], n, sc.scores[j], b);
                    } else {
                        dots.f32(kb, at, d, sc.q[j], n, sc.scores[j], b);
                    }
                }
            }
            for (int j = 0; j < groups; j++) {
                dots.probabilities(sc.scores[j], length, scale, half);
            }
            for (int b = 0; b < length; b += BLOCK_ROWS) {
                int n = Math.min(BLOCK_ROWS, length - b);
                int at = base + b * d * elementBytes;
                int j = 0;
                if (half) { // as for the keys: each value row widened once for two query heads
                    for (; j + 1 < groups; j += 2) {
                        dots.axpyF16Pair(vb, at, d, sc.scores[j], sc.scores[j + 1], b, n, sc.acc[j], sc.acc[j + 1]);
                    }
                }
                for (; j < groups; j++) {
                    if (half) {
                        dots.axpyF16(vb, at, d, sc.scores[j], b, n, sc.acc[j]);
                    } else {
                        dots.axpyF32(vb, at, d, sc.scores[j], b, n, sc.acc[j]);
                    }
                }
            }
            for (int j = 0; j < groups; j++) {
                System.arraycopy(sc.acc[j], 0, out, (first + j) * d, d);
            }
        });
    }

    /** Per-thread vectors of one kv head's group of query heads, reused across calls. */
    private static final class Scratch {
        float[][] q = new float[0][];
        float[][] prepared = new float[0][];
        float[][] scores = new float[0][];
        float[][] acc = new float[0][];

        Scratch ensure(int groups, int d, int length) {
            if (q.length < groups || q[0].length < d || scores[0].length < length) {
                int rows = Math.max(length, scores.length > 0 ? scores[0].length : 0);
                q = new float[groups][d];
                prepared = new float[groups][2 * d];
                scores = new float[groups][rows];
                acc = new float[groups][d];
            }
            return this;
        }
    }
}
