package io.qwen3vl.models.nn.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A wide weight {@code [N, K]} stored as {@code P} column panels, one after the other: panel
 * {@code p} is the contiguous matrix {@code [N, C]} of columns {@code [p·C, (p+1)·C)}, so the
 * stored array is {@code [P·N, C]} with {@code K = P·C}. The decode kernel reads a panel's rows as
 * one stream with its slice of the input, and adds the panels' dot products.
 *
 * <p>Why: the kernel re-reads the input vector once per weight row. For a row of K = 6,144 (the
 * 2B model's down projection) that vector (24 KB of fp32, or of the fp16 kernel's prepared input)
 * and the streaming row no longer fit the 32 KB L1 cache together, and the product ran at 21 GB/s
 * in fp16 and 15 GB/s in 8 bits against 32 and 28 for rows of 2,048 (2 cores, 28 such matrices).
 * Reading each row in column pieces in place was slower still (16 GB/s in fp16): the rows' pieces
 * are separate streams. In panels of 2,048 columns the same product ran at 29–32 and 26–28 GB/s.
 *
 * <p>Used for the fp16 and 8-bit weights of the decoder on the CPU, which are copies made at load
 * anyway (converted from the checkpoint's bf16, or quantized). fp32 weights keep the checkpoint's
 * layout, so that an fp32 checkpoint stays memory-mapped (fp32 decode met its bandwidth target
 * without panels). The backend paths (prefill, the kernel off) take the rows back in the matrix's
 * own order with {@link #naturalRows}.
 */
public final class ColumnPanels {
    /** System property: the widest panel, in columns (default {@value #DEFAULT_MAX_WIDTH}). */
    public static final String MAX_WIDTH_PROPERTY = "qwen3vl.kernel.panelColumns";
    /** 10 KB of fp32 input: fits L1 beside the weights' stream (8 KB measured best, 12 KB slower in 8 bits). */
    static final int DEFAULT_MAX_WIDTH = 2560;
    /** Panel widths are whole multiples of this: whole 8-bit blocks (the released shapes give multiples of 128, the 8-bit kernel's step). */
    static final int GRANULE = Int8Blocks.BLOCK;

    private ColumnPanels() {
    }

    /**
     * The number of panels to store a {@code cols}-wide weight in on {@code device}: the fewest
     * whose width divides {@code cols}, is a multiple of {@value #GRANULE} and at most the maximum
     * width; 1 (the plain layout) when the row is narrow enough, when no such split exists, off the
     * CPU or without the decode kernel.
     */
    public static int count(long cols, Device device) {
        if (!MatVec.vectorApiPresent() || !Device.cpu().equals(device)) {
            return 1;
        }
        return count(cols, Integer.getInteger(MAX_WIDTH_PROPERTY, DEFAULT_MAX_WIDTH));
    }

    static int count(long cols, int maxWidth) {
        if (maxWidth < GRANULE) {
            throw new IllegalArgumentException("-D" + MAX_WIDTH_PROPERTY + " must be at least " + GRANULE + ", got "
                    + maxWidth);
        }
        if (cols <= maxWidth) {
            return 1;
        }
        for (long p = 2; cols / p >= GRANULE; p++) {
            if (cols % p == 0 && (cols / p) % GRANULE == 0 && cols / p <= maxWidth) {
                return (int) p;
            }
        }
        return 1;
    }

    /** {@code w [N, K]} stored in {@code panels} panels: a new {@code [P·N, K/P]} array in w's manager. */
    public static NDArray arrange(NDArray w, int panels) {
        Shape s = w.getShape();
        long n = s.get(0);
        long width = s.get(1) / panels;
        NDArray split = w.reshape(n, panels, width);
        NDArray moved = split.transpose(1, 0, 2);
        NDArray flat = moved.reshape(panels * n * width); // a view cannot flatten it: this is the copy, in panel order
        NDArray stored = flat.reshape(panels * n, width);
        closeAll(split, moved, flat); // the views would keep w's memory alive as long as w's manager
        return stored;
    }

    /**
     * Rows {@code [from, to)} of the matrix {@code stored [P·N, C]} holds, in its own order
     * {@code [to - from, P·C]}: a new array owned by {@code scope}.
     */
    public static NDArray naturalRows(NDArray stored, int panels, long from, long to, NDManager scope) {
        Shape s = stored.getShape();
        long n = s.get(0) / panels;
        long width = s.get(1);
        long rows = to - from;
        NDArray split = stored.reshape(panels, n, width);
        NDArray picked = split.get(":, {}:{}, :", from, to);
        NDArray moved = picked.transpose(1, 0, 2);
        NDArray flat = moved.reshape(rows * panels * width); // the copy
        NDArray natural = flat.reshape(rows, panels * width);
        closeAll(split, picked, moved, flat);
        natural.attach(scope);
        return natural;
    }

    /** Closes the temporary views (their memory stays with the arrays still referring to it). */
    private static void closeAll(NDArray... views) {
        for (NDArray v : views) {
            v.close();
        }
    }
}
