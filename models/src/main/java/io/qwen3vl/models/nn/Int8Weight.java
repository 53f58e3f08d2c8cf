package io.qwen3vl.models.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.nn.kernel.ColumnPanels;
import io.qwen3vl.models.nn.kernel.Int8Blocks;
import io.qwen3vl.models.nn.kernel.Int8Layout;
import io.qwen3vl.models.nn.kernel.MatVec;

/**
 * A weight matrix {@code [out, in]} held in 8 bits: every row cut into blocks of
 * {@link Int8Blocks#BLOCK} consecutive weights, each block stored as signed bytes {@code q} with one
 * fp32 scale {@code s = max|w| / 127}, so that {@code w ≈ s·q} within {@code s/2} (symmetric,
 * rounded to nearest). The layout of llama.cpp's Q8_0 but for the scale, fp32 here (fp16 there).
 *
 * <p>Why: decoding reads every weight once per token, so its speed is bytes per weight; this is 1.125
 * bytes against 2 (fp16) or 4 (fp32), and the decode kernel widens the bytes exactly and applies
 * the scale per block. Products of many rows (prefill) use the dequantized weight, a block of rows
 * at a time, in fp32.
 *
 * <p>A row's bytes are stored in the order the decode kernel of this JVM reads them
 * ({@link Int8Layout}, chosen at quantization), and a wide matrix may be stored in
 * {@link ColumnPanels} (each panel quantized as a matrix of its own: a panel's width is whole
 * blocks, so the blocks and scales are the same); {@link #dequantize} and {@link #gather} give rows
 * back in the matrix's own order.
 */
public final class Int8Weight {
    /** Rows quantized at once: bounds the fp32 temporaries of a large matrix (the LM head) to a few tens of MB. */
    private static final long QUANTIZE_ROWS = 2048;

    private final NDArray quants;
    private final NDArray scales;
    private final Int8Layout layout;
    private final int panels;

    private Int8Weight(NDArray quants, NDArray scales, Int8Layout layout, int panels) {
        this.quants = quants;
        this.scales = scales;
        this.layout = layout;
        this.panels = panels;
    }

    /** Whether {@code w} can be held in this format: a matrix whose rows are whole blocks. */
    public static boolean fits(NDArray w) {
        Shape s = w.getShape();
        return s.dimension() == 2 && s.get(1) % Int8Blocks.BLOCK == 0 && s.get(0) > 0 && s.get(1) > 0;
    }

    /**
     * Quantizes {@code w} (any float dtype, left as it is) into arrays owned by {@code manager}, its
     * bytes in the order this JVM's decode kernel reads ({@link MatVec#int8Layout()}) on the CPU,
     * in natural order elsewhere (the kernel never reads them there).
     */
    public static Int8Weight quantize(NDArray w, NDManager manager) {
        Int8Layout layout = Device.cpu().equals(manager.getDevice()) ? MatVec.int8Layout() : Int8Layout.NATURAL;
        return quantize(w, layout, manager);
    }

    /**
     * {@link #quantize(NDArray, NDManager)}, stored in {@code panels} {@link ColumnPanels} (1: the
     * plain layout); each panel's width must be whole blocks.
     */
    public static Int8Weight quantize(NDArray w, int panels, NDManager manager) {
        if (panels == 1) {
            return quantize(w, manager);
        }
        if (!fits(w) || w.getShape().get(1) % ((long) panels * Int8Blocks.BLOCK) != 0) {
            throw new IllegalArgumentException("cannot hold a " + w.getShape() + " weight in " + panels
                    + " panels of " + Int8Blocks.BLOCK + "-element blocks");
        }
        try (NDArray arranged = ColumnPanels.arrange(w, panels)) {
            Int8Weight stored = quantize(arranged, manager);
            return new Int8Weight(stored.quants, stored.scales, stored.layout, panels);
        }
    }

    /** {@link #quantize(NDArray, NDManager)} with the bytes in {@code layout}'s order. */
    public static Int8Weight quantize(NDArray w, Int8Layout layout, NDManager manager) {
        if (!fits(w)) {
            throw new IllegalArgumentException("cannot hold a " + w.getShape() + " weight in " + Int8Blocks.BLOCK
                    + "-element blocks");
        }
        long rows = w.getShape().get(0);
        long cols = w.getShape().get(1);
        long blocks = cols / Int8Blocks.BLOCK;
        NDList quants = new NDList();
        NDList scales = new NDList();
        for (long from = 0; from < rows; from += QUANTIZE_ROWS) {
            long to = Math.min(rows, from + QUANTIZE_ROWS);
            try (NDManager scope = manager.newSubManager()) {
                NDArray part = w.get("{}:{}", from, to);
                part.attach(scope);
                NDArray g = part.toType(DataType.FLOAT32, false).reshape(to - from, blocks, Int8Blocks.BLOCK);
                g.attach(scope);
                NDArray scale = g.abs().max(new int[] {2}, true).div(127f);
                // An all-zero block keeps q = 0 whatever its scale: divide it by 1 rather than by 0.
                NDArray divisor = scale.add(scale.eq(0f).toType(DataType.FLOAT32, false));
                NDArray natural = g.div(divisor).round().toType(DataType.INT8, false).reshape(to - from, cols);
                NDArray q = layout.stored(natural);
                q.attach(manager);
                NDArray s = divisor.reshape(to - from, blocks);
                s.attach(manager);
                quants.add(q);
                scales.add(s);
            }
        }
        return new Int8Weight(joined(quants, manager), joined(scales, manager), layout, 1);
    }

    private static NDArray joined(NDList parts, NDManager manager) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        NDArray all = NDArrays.concat(parts, 0);
        all.attach(manager);
        parts.close();
        return all;
    }

    /** Rows {@code [from, to)} as fp32 {@code [to - from, in]}, owned by {@code scope}. */
    public NDArray dequantize(long from, long to, NDManager scope) {
        if (panels == 1) {
            return storedRows(from, to, scope);
        }
        long rows = rows();
        NDList parts = new NDList(panels);
        for (int p = 0; p < panels; p++) {
            parts.add(storedRows(p * rows + from, p * rows + to, scope));
        }
        NDArray all = NDArrays.concat(parts, 1);
        all.attach(scope);
        parts.close();
        return all;
    }

    /** Stored rows {@code [from, to)} (of one panel when in panels) as fp32, owned by {@code scope}. */
    private NDArray storedRows(long from, long to, NDManager scope) {
        NDArray widened = MatVec.dequantizeInt8(quants, scales, layout, from, to, scope);
        return widened != null ? widened : scaled(quants.get("{}:{}", from, to), scales.get("{}:{}", from, to), scope);
    }

    /**
     * Rows {@code ids} (a 1-D integer array) as fp32 {@code [ids, in]}, in {@code ids}' manager: an
     * embedding lookup (of a weight in the plain layout: embeddings are never stored in panels).
     */
    public NDArray gather(NDArray ids) {
        if (panels != 1) {
            throw new IllegalStateException("row lookup in a weight stored in " + panels + " column panels");
        }
        return scaled(quants.get(ids), scales.get(ids), ids.getManager());
    }

    /**
     * Selected rows {@code q [n, in]} (stored order) times their scales {@code s [n, in / BLOCK]}, in
     * fp32 and natural order, all owned by {@code scope} (a selection would otherwise belong to the
     * weights' manager). Reordered as bytes, before widening, and scaled in place: one fp32
     * temporary per call, not two.
     */
    private NDArray scaled(NDArray q, NDArray s, NDManager scope) {
        q.attach(scope);
        s.attach(scope);
        long n = q.getShape().get(0);
        long width = q.getShape().get(1);
        long blocks = width / Int8Blocks.BLOCK;
        NDArray w = layout.natural(q).toType(DataType.FLOAT32, false).reshape(n, blocks, Int8Blocks.BLOCK)
                .muli(s.reshape(n, blocks, 1)).reshape(n, width);
        w.attach(scope);
        return w;
    }

    /** The bytes {@code q}, {@code [out, in]} INT8 (in {@link #panels()}: {@code [P·out, in/P]}), each stored row in {@link #layout()}'s order. */
    public NDArray quants() {
        return quants;
    }

    /** The column panels this weight is stored in (1: the plain layout). */
    public int panels() {
        return panels;
    }

    /** The order of each row's bytes in {@link #quants()}. */
    public Int8Layout layout() {
        return layout;
    }

    /** The block scales, {@code [out, in / BLOCK]} fp32 (stored as {@link #quants()} are). */
    public NDArray scales() {
        return scales;
    }

    public long rows() {
        return quants.getShape().get(0) / panels;
    }

    public long cols() {
        return quants.getShape().get(1) * panels;
    }
}
