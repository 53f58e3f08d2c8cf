package io.qwen3vl.models.nn.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The layout of an fp16 key cache that decode attention reads fastest: positions across the lanes.
 * A layer's keys are {@code [kvHeads, tiles, d, 32]}: tile {@code t} holds positions
 * {@code 32t .. 32t+31}, and its row {@code i} their element {@code i}, position {@code 32t + l} at
 * slot {@code 2l} and {@code 32t + 16 + l} at slot {@code 2l + 1} ({@code l < 16}), so that one int
 * of a vector holds two positions sixteen apart and widens into two vectors of consecutive
 * positions (see {@link RowDots#f16Tiles}).
 *
 * <p>Why: with keys stored a position per row, every score is a dot product summed across the lanes
 * at its end, and the queries are re-read for every position. Tiled, a tile's scores are the sum
 * of {@code d} products of a broadcast query element with a row of keys: decode attention over 8K
 * fp16 positions read its keys at memory speed instead of two thirds of it. Values have tiles of
 * their own ({@link ValueTiles}).
 *
 * <p>Only the decode kernels read tiles; everything else (prefill's batched products, the backend
 * path) takes {@link #natural} copies, a layer's keys per prefill chunk.
 */
public final class KeyTiles {
    /** Positions per tile. */
    public static final int POSITIONS = 32;
    private static final int HALF = POSITIONS / 2;

    private KeyTiles() {
    }

    /**
     * Whether a key cache of this dtype on this device is kept tiled: fp16 on the CPU, where the
     * decode kernel is there and can read tiles at this vector width.
     */
    public static boolean wanted(DataType dtype, Device device) {
        return dtype == DataType.FLOAT16 && device.getDeviceType().equals(Device.Type.CPU)
                && MatVec.vectorApiPresent() && MatVec.rowDots().keyTiles();
    }

    /** The tiled shape of keys {@code [kvHeads, capacity, d]}: capacity rounded up to whole tiles. */
    public static Shape shape(int kvHeads, int capacity, int d) {
        return new Shape(kvHeads, tiles(capacity), d, POSITIONS);
    }

    /** Tiles holding {@code positions} positions. */
    public static int tiles(int positions) {
        return (positions + POSITIONS - 1) / POSITIONS;
    }

    /** Whether {@code keys} has the tiled shape (4-D, last axis a tile) rather than {@code [kvHeads, capacity, d]}. */
    public static boolean isTiled(NDArray keys) {
        Shape s = keys.getShape();
        return s.dimension() == 4 && s.get(3) == POSITIONS;
    }

    /** Element offset of position {@code p}'s element {@code i} of head {@code h} in a tiled array of {@code tiles} tiles of {@code d} rows. */
    public static long offset(int h, int p, int i, int tiles, int d) {
        int l = p % POSITIONS;
        int slot = l < HALF ? 2 * l : 2 * (l - HALF) + 1;
        return (((long) h * tiles + p / POSITIONS) * d + i) * POSITIONS + slot;
    }

    /**
     * Writes keys {@code k [kvHeads, n, d]} (in the tiles' dtype) at positions {@code start ..
     * start+n}. The tiles they touch are rewritten whole: the first may hold earlier positions,
     * which are carried over.
     */
    public static void store(NDArray tiles, NDArray k, int start) {
        CacheTiles.store(tiles, k, start, KeyTiles::natural, KeyTiles::tiled);
    }

    /**
     * The first {@code length} positions of tiled keys as {@code [kvHeads, length, d]}: a new array
     * in the tiles' manager (the caller attaches it where it belongs).
     */
    public static NDArray natural(NDArray tiles, int length) {
        // slot 2l + h holds position 16h + l: [.., d, l, h] -> [.., h, l, d]
        return CacheTiles.natural(tiles, length, region -> {
            Shape s = region.getShape();
            long d = s.get(2);
            return region.reshape(s.get(0), s.get(1), d, HALF, 2).transpose(0, 1, 4, 3, 2)
                    .reshape(s.get(0), s.get(1) * POSITIONS, d);
        });
    }

    /** Keys {@code [kvHeads, m·POSITIONS, d]} as {@code m} tiles; the inverse of {@link #natural}. */
    static NDArray tiled(NDArray keys) {
        Shape s = keys.getShape();
        long heads = s.get(0);
        long d = s.get(2);
        long m = s.get(1) / POSITIONS;
        // [.., h, l, d] -> [.., d, l, h]
        return keys.reshape(heads, m, 2, HALF, d).transpose(0, 1, 4, 3, 2).reshape(heads, m, d, POSITIONS);
    }
}
