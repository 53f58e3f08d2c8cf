package io.qwen3vl.models.nn.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The layout of an fp16 value cache that decode attention reads fastest: each tile of
 * {@link KeyTiles#POSITIONS} positions stored column block by column block. A layer's values are
 * {@code [kvHeads, tiles, d / 32, 32, 32]}: tile {@code t}, column block {@code c} holds, position
 * after position, elements {@code 32c .. 32c+31} of positions {@code 32t .. 32t+31} (64 bytes, a
 * cache line, each).
 *
 * <p>Why: the value pass sums a tile's rows a column block at a time, so that a block's sums stay
 * in registers over all of the tile's rows (a whole row's would need more registers than AVX2 has).
 * Over rows stored whole, those passes read a line out of every row, 2·d bytes apart, and waited on
 * memory (perf: half the pass's samples on its first load); tiled, each pass reads 2 KiB in order.
 * A harness over 28 layers' values at 8K fp16 positions (two cores, outside the repository) read
 * them in 21–29 ms against 39–44 on JDK 17, 19–24 against 28–38 on JDK 21, alternating runs.
 *
 * <p>Only the decode kernels read tiles; everything else (prefill's batched products, the backend
 * path) takes {@link #natural} copies, as for {@link KeyTiles}.
 */
public final class ValueTiles {
    /** Elements of a column block: one cache line of fp16. */
    public static final int COLUMNS = 32;
    /** Bytes from one column block of a tile to the next. */
    static final int BLOCK_BYTES = KeyTiles.POSITIONS * COLUMNS * 2;

    private ValueTiles() {
    }

    /**
     * Whether a value cache of this dtype and head size on this device is kept tiled: fp16 on the
     * CPU, where the decode kernel is there and reads tiles of this head size at this vector width.
     */
    public static boolean wanted(DataType dtype, Device device, int headDim) {
        return dtype == DataType.FLOAT16 && device.getDeviceType().equals(Device.Type.CPU)
                && MatVec.vectorApiPresent() && MatVec.rowDots().valueTiles(headDim);
    }

    /** The tiled shape of values {@code [kvHeads, capacity, d]}: capacity rounded up to whole tiles. */
    public static Shape shape(int kvHeads, int capacity, int d) {
        if (d % COLUMNS != 0) {
            throw new IllegalArgumentException("values of head size " + d + " cannot be tiled in blocks of " + COLUMNS);
        }
        return new Shape(kvHeads, KeyTiles.tiles(capacity), d / COLUMNS, KeyTiles.POSITIONS, COLUMNS);
    }

    /** Whether {@code values} has the tiled shape (5-D) rather than {@code [kvHeads, capacity, d]}. */
    public static boolean isTiled(NDArray values) {
        Shape s = values.getShape();
        return s.dimension() == 5 && s.get(3) == KeyTiles.POSITIONS && s.get(4) == COLUMNS;
    }

    /** The positions a value cache has room for (whole tiles when tiled). */
    public static long capacity(NDArray values) {
        Shape s = values.getShape();
        return isTiled(values) ? s.get(1) * KeyTiles.POSITIONS : s.get(1);
    }

    /** The head size of a value cache, tiled or not. */
    public static long headDim(NDArray values) {
        Shape s = values.getShape();
        return isTiled(values) ? s.get(2) * COLUMNS : s.get(2);
    }

    /** Element offset of position {@code p}'s element {@code i} of head {@code h} in a tiled array of {@code tiles} tiles. */
    public static long offset(int h, int p, int i, int tiles, int d) {
        long block = ((long) h * tiles + p / KeyTiles.POSITIONS) * (d / COLUMNS) + i / COLUMNS;
        return (block * KeyTiles.POSITIONS + p % KeyTiles.POSITIONS) * COLUMNS + i % COLUMNS;
    }

    /**
     * Writes values {@code v [kvHeads, n, d]} (in the tiles' dtype) at positions {@code start ..
     * start+n}, rewriting the tiles they touch whole (see {@link KeyTiles#store}).
     */
    public static void store(NDArray tiles, NDArray v, int start) {
        CacheTiles.store(tiles, v, start, ValueTiles::natural, ValueTiles::tiled);
    }

    /**
     * The first {@code length} positions of tiled values as {@code [kvHeads, length, d]}: a new
     * array in the tiles' manager (the caller attaches it where it belongs).
     */
    public static NDArray natural(NDArray tiles, int length) {
        // [.., block, position, column] -> [.., position, block, column]
        return CacheTiles.natural(tiles, length, region -> {
            Shape s = region.getShape();
            return region.transpose(0, 1, 3, 2, 4).reshape(s.get(0), s.get(1) * KeyTiles.POSITIONS, s.get(2) * COLUMNS);
        });
    }

    /** Values {@code [kvHeads, m·POSITIONS, d]} as {@code m} tiles; the inverse of {@link #natural}. */
    static NDArray tiled(NDArray values) {
        Shape s = values.getShape();
        long heads = s.get(0);
        long d = s.get(2);
        long m = s.get(1) / KeyTiles.POSITIONS;
        return values.reshape(heads, m, KeyTiles.POSITIONS, d / COLUMNS, COLUMNS).transpose(0, 1, 3, 2, 4);
    }
}
