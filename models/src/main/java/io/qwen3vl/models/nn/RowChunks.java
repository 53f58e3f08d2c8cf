package io.qwen3vl.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.UnaryOperator;

/**
 * Applies a row-wise function to a tall {@code [N, …]} array a block of rows at a time, each block's
 * intermediates in a scope of their own that is closed before the next block starts.
 *
 * <p>Why: glibc serves every allocation above 32 MiB with a fresh {@code mmap}, so each large
 * temporary (a video's {@code [N, 4096]} MLP activations are 57 MB at N = 3,520) costs one page
 * fault per 4 KiB page and the kernel's zeroing of it, every time it is allocated. Measured on a
 * 4-frame video through the 2B vision tower: 4 million minor faults, a sixth of all CPU time in the
 * kernel. Blocks below that size are reused from malloc's free lists, and they stay in cache
 * between the element-wise passes. The function must treat rows independently; the result is then
 * exactly the unchunked one.
 */
public final class RowChunks {
    /** Largest intermediate a block may create: below glibc's 32 MiB mmap threshold, with room. */
    public static final long BLOCK_BYTES = 16L << 20;

    private RowChunks() {
    }

    /**
     * Rows per block so that a {@code [rows, width]} array of {@code bytesPerElement} stays within
     * {@link #BLOCK_BYTES}; at least one row.
     */
    public static long rowsPerBlock(long width, int bytesPerElement) {
        return Math.max(1, BLOCK_BYTES / (width * bytesPerElement));
    }

    /**
     * {@code f(x)} computed {@code rows} rows at a time and concatenated; the result lives in
     * {@code x}'s manager, the blocks' intermediates are freed as each block completes.
     */
    public static NDArray apply(NDArray x, long rows, UnaryOperator<NDArray> f) {
        long n = x.getShape().get(0);
        if (n <= rows) {
            return f.apply(x);
        }
        return map(n, rows, 0, x.getManager(), (from, to, scope) -> {
            NDArray part = x.get("{}:{}", from, to);
            part.attach(scope);
            return f.apply(part);
        });
    }

    /** One block's result, computed from the range {@code [from, to)} with its intermediates in {@code scope}. */
    @FunctionalInterface
    public interface Block {
        NDArray compute(long from, long to, NDManager scope);
    }

    /**
     * The blocks {@code [from, from + rows)} of {@code [0, n)} computed one after the other, each in
     * a sub-scope of {@code owner} that is closed once its result has moved to {@code owner}; the
     * results concatenated along {@code axis} (a single block's result as it is).
     */
    public static NDArray map(long n, long rows, int axis, NDManager owner, Block block) {
        NDList parts = new NDList();
        for (long from = 0; from < n; from += rows) {
            long to = Math.min(n, from + rows);
            try (NDManager scope = owner.newSubManager()) {
                NDArray y = block.compute(from, to, scope);
                y.attach(owner);
                parts.add(y);
            }
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        NDArray out = NDArrays.concat(parts, axis);
        parts.close();
        return out;
    }
}
