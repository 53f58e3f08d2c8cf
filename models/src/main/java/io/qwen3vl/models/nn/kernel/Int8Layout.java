package io.qwen3vl.models.nn.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The order of an 8-bit weight row's bytes in memory ({@link Int8Blocks}). <em>Natural</em>: element
 * {@code i} at byte {@code i}, as in the matrix. <em>Interleaved over {@code L} lanes</em>: the row
 * is cut into groups of {@code 4L} elements, and element {@code p·L + l} of a group is stored at
 * byte {@code 4l + p} of it; elements past the row's last whole group stay in natural order.
 *
 * <p>Why: the decode kernel loads a group as {@code L} 32-bit lanes, so lane {@code l} holds elements
 * {@code l, L + l, 2L + l, 3L + l}, and byte {@code p} of every lane is the run {@code p·L .. p·L + L − 1}
 * of consecutive elements. Each run multiplies the input as it is, with no shuffle and no reordered
 * copy of the input, and lies inside one block ({@code 2L ≤ BLOCK}), so its block scale is a single
 * broadcast. With the natural order, each lane held four consecutive elements instead: the input had
 * to be reordered per product and, at 16 lanes, a group's two block scales blended per step. Measured
 * in a kernel-only harness (28 matrices 6144×2048, this 2-core machine): 31.5 GB/s against 26.5 on
 * two threads, 18 against 15.5 on one core from cache.
 *
 * <p>The order is chosen when a model is quantized, for the kernel of the running JVM
 * ({@link MatVec#int8Layout()}); products of many rows widen the bytes back into natural order with
 * {@link MatVec#dequantizeInt8}, or, where that kernel cannot run, after {@link #natural}.
 */
public final class Int8Layout {
    /** Element {@code i} at byte {@code i}. */
    public static final Int8Layout NATURAL = new Int8Layout(1);

    private final int lanes;

    private Int8Layout(int lanes) {
        this.lanes = lanes;
    }

    /**
     * Interleaved over {@code lanes} 32-bit lanes (1 is the natural order): a power of two with two
     * lanes' worth of elements inside a block, so that each run of {@code lanes} elements has one scale.
     */
    public static Int8Layout interleaved(int lanes) {
        if (lanes < 1 || Integer.bitCount(lanes) != 1 || 2 * lanes > Int8Blocks.BLOCK) {
            throw new IllegalArgumentException("cannot interleave 8-bit weights over " + lanes + " lanes");
        }
        return lanes == 1 ? NATURAL : new Int8Layout(lanes);
    }

    /** Elements per group: the bytes of one vector load, {@code 4·lanes}. */
    private int group() {
        return 4 * lanes;
    }

    /** The elements of a row of {@code k} that are interleaved: its whole groups. */
    private int grouped(int k) {
        return lanes == 1 ? 0 : k - k % group();
    }

    /** The byte of a row of {@code k} elements at which element {@code i} is stored. */
    public int position(int i, int k) {
        if (i >= grouped(k)) {
            return i;
        }
        int j = i % group();
        return i - j + 4 * (j % lanes) + j / lanes;
    }

    /**
     * {@code rows [n, k]} (any dtype) in natural order, rearranged into this order: a new array in
     * {@code rows}' manager, or {@code rows} itself when nothing moves. A strided copy in the backend
     * (about 1.5 GB/s of bytes here: a second or so at load for the 2B model; a scalar Java loop over
     * the buffers was no faster).
     */
    public NDArray stored(NDArray rows) {
        return rearranged(rows, true);
    }

    /** {@code rows [n, k]} in this order, put back into natural order (the inverse of {@link #stored}). */
    public NDArray natural(NDArray rows) {
        return rearranged(rows, false);
    }

    /**
     * Viewing a group as a {@code [4, lanes]} matrix {@code (p, l)}, the stored group is its transpose
     * {@code [lanes, 4]} read row by row; going back is the transpose of that.
     */
    private NDArray rearranged(NDArray rows, boolean toStored) {
        Shape s = rows.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("expected rows [n, k], got " + s);
        }
        long n = s.get(0);
        int k = Math.toIntExact(s.get(1));
        int grouped = grouped(k);
        if (grouped == 0) {
            return rows;
        }
        NDArray head = grouped == k ? rows : rows.get(":, :{}", grouped);
        NDArray groups = toStored ? head.reshape(n, grouped / group(), 4, lanes)
                : head.reshape(n, grouped / group(), lanes, 4);
        NDArray transposed = groups.transpose(0, 1, 3, 2);
        NDArray moved = transposed.reshape(n, grouped);
        transposed.close();
        groups.close();
        if (head == rows) {
            return moved;
        }
        head.close();
        try (NDArray tail = rows.get(":, {}:", grouped)) {
            NDArray whole = moved.concat(tail, 1);
            moved.close();
            return whole;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Int8Layout && ((Int8Layout) o).lanes == lanes;
    }

    @Override
    public int hashCode() {
        return lanes;
    }

    @Override
    public String toString() {
        return lanes == 1 ? "natural" : "interleaved over " + lanes + " lanes";
    }
}
