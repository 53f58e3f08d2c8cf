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
     * row 0 starts at byte {@code base} of {@code w} (rows are {@code 4k} bytes apart). {@code view}
     * is {@link #view}{@code (w)}: made once per buffer by the caller that keeps the buffer, since
     * made per call it was a heap object each time on JDK 21 and 25.
     */
    void f32(ByteBuffer w, Object view, int base, int k, float[] x, int rows, float[] dst, int dstOff);

    /**
     * The same for fp16 weights (rows {@code 2k} bytes apart). {@code x} is the input and
     * {@code prepared} the same input as {@link #prepareHalfInput} lays it out.
     */
    void f16(ByteBuffer w, Object view, int base, int k, float[] x, float[] prepared, int rows, float[] dst,
             int dstOff);

    /**
     * {@link #f16} for two inputs at once, {@code a} into {@code dstA} and {@code b} into
     * {@code dstB} (each with its prepared form): every row is read and widened once for both — the
     * two query heads of a kv head in decode attention.
     */
    void f16Pair(ByteBuffer w, int base, int k, float[] a, float[] preparedA, float[] b, float[] preparedB, int rows,
                 float[] dstA, float[] dstB, int dstOff);

    /**
     * Dot products of one or two queries with fp16 keys stored as {@link KeyTiles}: {@code tiles}
     * tiles from byte {@code base} of {@code k}, each {@code d} rows of {@link KeyTiles#POSITIONS}
     * halves. {@code dstA[dstOff + p] = Σ_i a[i] · K[p][i]} for the tiles' positions {@code p} in
     * order (whole tiles: the caller reads only the positions it holds), likewise {@code b} into
     * {@code dstB} unless {@code b} is null. The queries are given as {@link #prepareTileInput} lays
     * them out. Only when {@link #keyTiles}.
     */
    void f16Tiles(ByteBuffer k, int base, int d, float[] a, float[] b, int tiles, float[] dstA, float[] dstB,
                  int dstOff);

    /** {@code buffer} as the kernels read it (see {@link VectorMemory#of}), for the {@code view} parameters. */
    Object view(ByteBuffer buffer);

    /** Whether {@link #f16Tiles} runs at this vector width (16 lanes or fewer, dividing 16). */
    boolean keyTiles();

    /**
     * The same for 8-bit weights in blocks of {@link Int8Blocks#BLOCK} (rows {@code k} bytes apart,
     * each row's bytes in {@link #int8Layout}'s order): {@code dst[dstOff + r] = Σ_b scale[r][b] ·
     * Σ_{i in b} q[r][i] · x[i]}, the row's {@code k / BLOCK} fp32 scales starting at byte
     * {@code scaleBase} of {@code scales} for row 0, consecutive from there ({@code view} and
     * {@code scalesView} as for {@link #f32}). {@code k} must be a
     * multiple of the block; only when {@link #int8Layout} is not null.
     */
    void int8(ByteBuffer w, Object view, int base, int k, ByteBuffer scales, Object scalesView, int scaleBase,
              float[] x, int rows, float[] dst, int dstOff);

    /** The order in which {@link #int8} reads a row's bytes, or null when it cannot run at this vector width. */
    Int8Layout int8Layout();

    /**
     * {@code rows} rows of 8-bit weights as {@link #int8} reads them, widened into fp32 in natural
     * order: element {@code i} of row {@code r} is {@code q[r][i] · scale[r][i / BLOCK]}, written at
     * byte {@code dstBase + 4·(r·k + i)} of {@code dst} in native order (a product of many rows
     * multiplies these).
     */
    void dequantizeInt8(ByteBuffer w, int base, int k, ByteBuffer scales, int scaleBase, int rows, ByteBuffer dst,
                        int dstBase);

    /** Writes {@code x[0..k)} (fp16 values, so below 2^16 in magnitude) into {@code prepared} for {@link #f16}. */
    void prepareHalfInput(float[] x, int k, float[] prepared);

    /** Writes the query {@code x[0..d)} (below 2^16 in magnitude) into {@code prepared} for {@link #f16Tiles}. */
    void prepareTileInput(float[] x, int d, float[] prepared);

    /**
     * {@code out[i] += Σ_r p[pOff + r] · V[r][i]} for {@code i < d} over rows {@code r < rows} of an
     * fp32 matrix whose row 0 starts at byte {@code base} of {@code v} (rows {@code 4d} bytes apart).
     */
    void axpyF32(ByteBuffer v, int base, int d, float[] p, int pOff, int rows, float[] out);

    /** The same for fp16 rows ({@code 2d} bytes apart); {@code p} must be at most 2^16 in magnitude. */
    void axpyF16(ByteBuffer v, int base, int d, float[] p, int pOff, int rows, float[] out);

    /** {@link #axpyF16} for two probability rows, {@code pa} into {@code outA} and {@code pb} into {@code outB}. */
    void axpyF16Pair(ByteBuffer v, int base, int d, float[] pa, float[] pb, int pOff, int rows, float[] outA,
                     float[] outB);

    /**
     * {@link #axpyF16Pair} over fp16 values stored as {@link ValueTiles}: {@code rows} positions from
     * the tile that starts at byte {@code base} of {@code v}; {@code pb} and {@code outB} may be null
     * (one probability row). Only when {@link #valueTiles} for this {@code d}.
     */
    void axpyF16Tiles(ByteBuffer v, int base, int d, float[] pa, float[] pb, int pOff, int rows, float[] outA,
                      float[] outB);

    /** Whether {@link #axpyF16Tiles} runs for head size {@code d} at this vector width. */
    boolean valueTiles(int d);

    /**
     * Turns raw attention dot products {@code s[0..n)} into probabilities: times {@code scale}, then
     * a float32 softmax. With {@code half}, rounds to fp16 where the backend's fp16 path does: the dot
     * product, the scaled score and the probability.
     */
    void probabilities(float[] s, int n, float scale, boolean half);

    /** Whether {@code count} fp16 values from byte {@code from} of {@code w} include an inf or NaN. */
    boolean hasNonFiniteHalf(ByteBuffer w, int from, int count);
}
