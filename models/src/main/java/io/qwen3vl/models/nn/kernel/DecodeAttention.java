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
 * backend's fp16 matmul, multiply and cast round them; only summation order differs. An fp32
 * model may keep an fp16 cache (8-bit weights do): its rows are widened exactly and everything
 * else stays fp32, as on the backend path, which widens the cache before its products.
 */
public final class DecodeAttention {
    /** Cache rows per block: 256 rows of 128 fp32 values are 128 KiB, well inside a core's L2. */
    static final int BLOCK_ROWS = 256;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private DecodeAttention() {
    }

    /**
     * Whether the kernel can attend {@code q [heads, 1, d]} over the caches {@code keys, values
     * [kvHeads, capacity, d]} (the full, contiguous cache arrays of one layer; fp16 keys may be
     * {@link KeyTiles tiled}, fp16 values {@link ValueTiles tiled}).
     */
    public static boolean accepts(NDArray q, NDArray keys, NDArray values) {
        if (!MatVec.enabled()) {
            return false;
        }
        Shape qs = q.getShape();
        Shape vs = values.getShape();
        DataType dtype = q.getDataType();
        DataType cache = values.getDataType();
        boolean valueTiles = ValueTiles.isTiled(values);
        long kvHeads = vs.get(0);
        long capacity = ValueTiles.capacity(values);
        long d = ValueTiles.headDim(values);
        boolean valuesFit = valueTiles
                ? cache == DataType.FLOAT16 && d <= Integer.MAX_VALUE && MatVec.rowDots().valueTiles((int) d)
                : vs.dimension() == 3;
        boolean tiled = KeyTiles.isTiled(keys);
        Shape ks = keys.getShape();
        boolean keysFit = tiled
                ? cache == DataType.FLOAT16 && MatVec.rowDots().keyTiles() && ks.get(0) == kvHeads
                        && ks.get(2) == d && ks.get(1) == KeyTiles.tiles((int) capacity)
                : ks.equals(new Shape(kvHeads, capacity, d));
        return qs.dimension() == 3 && qs.get(1) == 1 && valuesFit && keysFit
                && qs.get(2) == d && qs.get(0) % kvHeads == 0
                && (dtype == DataType.FLOAT32 || dtype == DataType.FLOAT16)
                && (cache == dtype || cache == DataType.FLOAT16) && keys.getDataType() == cache
                && ks.size() * cache.getNumOfBytes() <= Integer.MAX_VALUE
                && vs.size() * cache.getNumOfBytes() <= Integer.MAX_VALUE
                && Device.cpu().equals(q.getDevice()) && Device.cpu().equals(keys.getDevice())
                && Device.cpu().equals(values.getDevice());
    }

    /**
     * @param q       queries of the new token {@code [heads, 1, d]} (after norm and rotary embedding)
     * @param keys    the layer's whole key cache {@code [kvHeads, capacity, d]}, new key included,
     *                in q's dtype or fp16 (fp16 keys may be {@link KeyTiles tiled})
     * @param values  the layer's whole value cache, same shape (fp16 values may be {@link ValueTiles tiled})
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
        attend(queries, heads, keys, values, length, scale, q.getDataType() == DataType.FLOAT16, result);
        NDArray out = FloatRows.create(q.getManager(), result, q.getDataType()); // [1, heads·d]
        return out;
    }

    /**
     * The same attention for queries held in a float array ({@code [heads, d]}, after norm and
     * rotary embedding) into {@code out [heads·d]}; sums in fp32 (with {@code half}, an fp16 model's,
     * rounded to fp16 at the same steps as above, except the output, which the caller rounds).
     */
    public static void attend(float[] queries, int heads, NDArray keys, NDArray values, int length, float scale,
                              boolean half, float[] out) {
        int kvHeads = (int) values.getShape().get(0);
        int capacity = (int) ValueTiles.capacity(values);
        int d = (int) ValueTiles.headDim(values);
        if (length < 1 || length > capacity || heads % kvHeads != 0 || queries.length < heads * d
                || out.length < heads * d) {
            throw new IllegalArgumentException("attention of " + heads + " heads over " + length
                    + " positions of a cache " + values.getShape());
        }
        int groups = heads / kvHeads;
        boolean halfCache = values.getDataType() == DataType.FLOAT16;
        if (half && !halfCache) {
            throw new IllegalArgumentException("fp16 attention needs an fp16 cache, not " + values.getDataType());
        }
        boolean tiled = KeyTiles.isTiled(keys);
        boolean valueTiles = ValueTiles.isTiled(values);
        // The fp16 row kernels take inputs below 2^16 (see VectorRowDots), true of fp16 queries; fp32
        // queries beyond it are scaled down by a power of two, and the score scale up by the same:
        // both exact, so the scores are unchanged.
        float shrink = halfCache && !half ? shrinkBelowHalfRange(queries, heads * d) : 1f;
        float scoreScale = scale / shrink;
        int elementBytes = halfCache ? 2 : 4;
        int tiles = KeyTiles.tiles(capacity);
        int scored = tiled ? KeyTiles.tiles(length) * KeyTiles.POSITIONS : length; // tiles are scored whole
        RowDots dots = MatVec.rowDots();
        ByteBuffer kb = keys.toByteBuffer(true);
        Object keyView = dots.view(kb); // once per layer, for the row kernels below
        ByteBuffer vb = values.toByteBuffer(true);
        MatVec.pool().run(kvHeads, g -> {
            Scratch sc = SCRATCH.get().ensure(groups, d, scored);
            int base = g * capacity * d * elementBytes;
            int first = g * groups;
            for (int j = 0; j < groups; j++) {
                System.arraycopy(queries, (first + j) * d, sc.q[j], 0, d);
                if (shrink != 1f) {
                    for (int i = 0; i < d; i++) {
                        sc.q[j][i] *= shrink;
                    }
                }
                if (tiled) {
                    dots.prepareTileInput(sc.q[j], d, sc.prepared[j]);
                } else if (halfCache) {
                    dots.prepareHalfInput(sc.q[j], d, sc.prepared[j]);
                }
                java.util.Arrays.fill(sc.acc[j], 0, d, 0f);
            }
            if (tiled) { // in blocks as below, each tile widened once for two query heads
                int tileBytes = d * KeyTiles.POSITIONS * 2;
                int blockTiles = BLOCK_ROWS / KeyTiles.POSITIONS;
                int used = scored / KeyTiles.POSITIONS;
                for (int t = 0; t < used; t += blockTiles) {
                    int n = Math.min(blockTiles, used - t);
                    int at = (g * tiles + t) * tileBytes;
                    int p = t * KeyTiles.POSITIONS;
                    int j = 0;
                    for (; j + 1 < groups; j += 2) {
                        dots.f16Tiles(kb, at, d, sc.prepared[j], sc.prepared[j + 1], n, sc.scores[j], sc.scores[j + 1], p);
                    }
                    for (; j < groups; j++) {
                        dots.f16Tiles(kb, at, d, sc.prepared[j], null, n, sc.scores[j], null, p);
                    }
                }
            } else {
                // Keys in blocks small enough to stay in cache while every query head of the group
                // reads them: the cache comes from memory once per token, not once per head.
                for (int b = 0; b < length; b += BLOCK_ROWS) {
                    int n = Math.min(BLOCK_ROWS, length - b);
                    int at = base + b * d * elementBytes;
                    int j = 0;
                    if (halfCache) { // two query heads per pass over the keys: each row is widened once for both
                        for (; j + 1 < groups; j += 2) {
                            dots.f16Pair(kb, at, d, sc.q[j], sc.prepared[j], sc.q[j + 1], sc.prepared[j + 1], n,
                                    sc.scores[j], sc.scores[j + 1], b);
                        }
                    }
                    for (; j < groups; j++) {
                        if (halfCache) {
                            dots.f16(kb, keyView, at, d, sc.q[j], sc.prepared[j], n, sc.scores[j], b);
                        } else {
                            dots.f32(kb, keyView, at, d, sc.q[j], n, sc.scores[j], b);
                        }
                    }
                }
            }
            for (int j = 0; j < groups; j++) {
                dots.probabilities(sc.scores[j], length, scoreScale, half);
            }
            // Values likewise in blocks (every query head of the group reads a block while it is in cache).
            for (int b = 0; b < length; b += BLOCK_ROWS) {
                int n = Math.min(BLOCK_ROWS, length - b);
                int at = base + b * d * elementBytes;
                int j = 0;
                if (valueTiles) { // tiles start at multiples of 32 positions, as the blocks do
                    for (; j < groups; j += 2) {
                        boolean pair = j + 1 < groups;
                        dots.axpyF16Tiles(vb, at, d, sc.scores[j], pair ? sc.scores[j + 1] : null, b, n, sc.acc[j],
                                pair ? sc.acc[j + 1] : null);
                    }
                } else if (halfCache) { // as for the keys: each value row widened once for two query heads
                    for (; j + 1 < groups; j += 2) {
                        dots.axpyF16Pair(vb, at, d, sc.scores[j], sc.scores[j + 1], b, n, sc.acc[j], sc.acc[j + 1]);
                    }
                }
                for (; j < groups; j++) {
                    if (halfCache) {
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

    /**
     * 1, or the power of two that brings every {@code |x[i]|} below 2^15 (a margin under the fp16
     * kernels' 2^16). Non-finite queries are left as they are: their scores are NaN either way.
     */
    static float shrinkBelowHalfRange(float[] x, int n) {
        float max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(x[i]));
        }
        if (max < 0x1p15f || !Float.isFinite(max)) {
            return 1f;
        }
        return Math.scalb(1f, 14 - Math.getExponent(max));
    }

    /**
     * Per-thread vectors of one kv head's group of query heads, reused across calls. The score rows
     * grow in steps of {@link #SCORE_ROWS_STEP} positions: grown to the exact length, they were made
     * anew at every decode step of an untiled cache (the context grows by one a step), about 110 KiB
     * of garbage a token for the 2B model at 8K positions (bench heap row, fp32).
     */
    private static final class Scratch {
        static final int SCORE_ROWS_STEP = 1024;
        float[][] q = new float[0][];
        float[][] prepared = new float[0][];
        float[][] scores = new float[0][];
        float[][] acc = new float[0][];

        Scratch ensure(int groups, int d, int length) {
            if (q.length < groups || q[0].length < d || scores[0].length < length) {
                int rows = Math.max((length + SCORE_ROWS_STEP - 1) / SCORE_ROWS_STEP * SCORE_ROWS_STEP,
                        scores.length > 0 ? scores[0].length : 0);
                q = new float[groups][d];
                prepared = new float[groups][2 * d];
                scores = new float[groups][rows];
                acc = new float[groups][d];
            }
            return this;
        }
    }
}
