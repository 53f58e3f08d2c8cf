package io.qwen3vl.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.nn.kernel.ColumnPanels;
import io.qwen3vl.models.nn.kernel.MatVec;
import io.qwen3vl.models.nn.kernel.WeightView;

/**
 * A dense layer {@code y = x·Wᵀ + b} with the weight kept in the checkpoint's {@code [out, in]}
 * layout, which is the layout torch's linear kernel (and the fast fp16 vector×matrix path) wants,
 * or held in 8 bits ({@link Int8Weight}, same layout) for a model loaded with 8-bit weights.
 *
 * <p>A single input row on the CPU (decoding one token) goes through the Java decode kernel
 * {@link MatVec}, which reads this weight in place at the memory's pace; everything else (prefill,
 * vision, or when the kernel is unavailable or {@code -Dqwen3vl.kernel=djl}) uses the backend.
 * A decoder's wide fp16 or 8-bit weight is stored in {@link ColumnPanels} for that kernel, and the
 * backend then takes its rows back in order, a block at a time.
 */
public final class Linear {
    /**
     * Rows from which an fp16 product on the CPU is computed in fp32: libtorch's CPU fp16 matrix
     * product runs at about a quarter of its fp32 speed, while widening the weight costs one pass
     * over it (≈ 3 ms for 2048×6144), so prefill and vision in fp16 run at fp32 speed, with fp32
     * accumulation. Decoding (one row) keeps reading fp16 weights through the kernel.
     */
    static final long WIDEN_FP16_ROWS = 16;

    /** Marks a weight the kernel cannot read, so the check is not repeated on every call. */
    private static final Object NO_VIEW = new Object();

    private final NDArray weight; // null when held in 8 bits
    private final int panels; // column panels the dense weight is stored in (1: plain)
    private final Int8Weight int8; // null when dense
    private final NDArray bias;
    private volatile Object view; // null: not looked at yet; a WeightView; or NO_VIEW

    public Linear(NDArray weight, NDArray bias) {
        this(weight, 1, null, bias);
    }

    private Linear(NDArray weight, int panels, Int8Weight int8, NDArray bias) {
        this.weight = weight;
        this.panels = panels;
        this.int8 = int8;
        this.bias = bias;
    }

    /** Loads {@code prefix.weight} and, when present, {@code prefix.bias}. */
    public static Linear load(WeightSource source, String prefix, NDManager manager, DataType dtype) {
        return load(source, prefix, manager, dtype, WeightFormat.DENSE, false);
    }

    /**
     * Loads a decoder's {@code prefix.weight} in {@code format} ({@link WeightFormat#INT8}: quantized
     * from its {@code dtype} values, which are then freed; kept dense when its rows are not whole
     * blocks) and, when present, {@code prefix.bias} in {@code dtype}. A wide fp16 or 8-bit weight is
     * stored in the column panels the decode kernel reads fastest ({@link ColumnPanels#count}).
     */
    public static Linear loadForDecoding(WeightSource source, String prefix, NDManager manager, DataType dtype,
                                         WeightFormat format) {
        return load(source, prefix, manager, dtype, format, true);
    }

    private static Linear load(WeightSource source, String prefix, NDManager manager, DataType dtype,
                               WeightFormat format, boolean inPanels) {
        NDArray w = source.load(prefix + ".weight", manager, dtype);
        NDArray b = source.contains(prefix + ".bias") ? source.load(prefix + ".bias", manager, dtype) : null;
        int panels = inPanels ? ColumnPanels.count(w.getShape().get(1), manager.getDevice()) : 1;
        Linear layer;
        if (format == WeightFormat.INT8) {
            layer = quantized(w, panels, b, manager);
        } else if (panels > 1 && w.getDataType() == DataType.FLOAT16) {
            layer = new Linear(ColumnPanels.arrange(w, panels), panels, null, b);
        } else {
            layer = new Linear(w, b);
        }
        if (layer.weight != w) {
            w.close(); // quantized or rearranged: the loaded values are not needed any more
        }
        return layer;
    }

    /**
     * A layer over {@code weight} held in 8 bits (a quantized copy in {@code manager}; {@code weight}
     * itself is left to its owner), or over {@code weight} as it is when its rows are not whole
     * blocks ({@link Int8Weight#fits}).
     */
    public static Linear quantized(NDArray weight, NDArray bias, NDManager manager) {
        return quantized(weight, 1, bias, manager);
    }

    /** {@link #quantized(NDArray, NDArray, NDManager)}, stored in {@code panels} {@link ColumnPanels}. */
    private static Linear quantized(NDArray weight, int panels, NDArray bias, NDManager manager) {
        return Int8Weight.fits(weight) ? new Linear(null, 1, Int8Weight.quantize(weight, panels, manager), bias)
                : new Linear(weight, bias);
    }

    /** A layer (no bias) over weights already held in 8 bits, e.g. embeddings that double as a tied LM head. */
    public static Linear of(Int8Weight weight) {
        return new Linear(null, 1, weight, null);
    }

    public NDArray forward(NDArray x) {
        WeightView v = kernelView(x);
        if (v != null) {
            return MatVec.multiply(x, v)[0];
        }
        if (int8 != null) {
            return inRowBlocks(x, int8::dequantize, x.getDataType());
        }
        if (panels > 1) { // fp16 on the CPU (see load): its rows back in order, any number of input rows
            return inRowBlocks(x, (from, to, scope) -> widened(ColumnPanels.naturalRows(weight, panels, from, to,
                    scope), scope), DataType.FLOAT16);
        }
        if (HalfProducts.widens(x) && weight.getDataType() == DataType.FLOAT16
                && x.getShape().size() / x.getShape().tail() >= WIDEN_FP16_ROWS) {
            return inRowBlocks(x, (from, to, scope) -> widenRows(weight, from, to, outFeatures(), scope),
                    DataType.FLOAT16);
        }
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * The product in fp32 with temporary fp32 copies of the weight ({@code rows} makes one: widened
     * fp16 or dequantized 8-bit rows), a block of output rows at a time: each copy stays below
     * glibc's mmap threshold (see {@link RowChunks}), so it is reused from the heap instead of being
     * faulted in afresh on every call, and is freed before the next block. The result is in {@code out}.
     */
    private NDArray inRowBlocks(NDArray x, RowChunks.Block rows, DataType out) {
        long n = outFeatures();
        long block = RowChunks.rowsPerBlock(inFeatures(), Float.BYTES);
        NDArray x32 = x.toType(DataType.FLOAT32, false);
        NDArray y = RowChunks.map(n, block, x.getShape().dimension() - 1, x.getManager(), (from, to, scope) -> {
            NDArray w = rows.compute(from, to, scope);
            NDArray b = bias == null ? null : widenRows(bias, from, to, n, scope);
            NDArray part = ai.djl.nn.core.Linear.linear(x32, w, b).singletonOrThrow();
            part.attach(scope);
            return part.toType(out, false);
        });
        if (x32 != x) {
            x32.close();
        }
        return y;
    }

    /**
     * Rows {@code [from, to)} of {@code a} (all of it when that is everything) in fp32, owned by
     * {@code scope} unless it is {@code a} itself (all rows of an fp32 array: an 8-bit layer's bias).
     */
    private static NDArray widenRows(NDArray a, long from, long to, long rows, NDManager scope) {
        NDArray part = from == 0 && to == rows ? a : a.get("{}:{}", from, to);
        if (part != a) {
            part.attach(scope); // a slice would otherwise live as long as the weights
        }
        return widened(part, scope);
    }

    /** {@code a} in fp32, owned by {@code scope} unless it is {@code a} itself (already fp32). */
    private static NDArray widened(NDArray a, NDManager scope) {
        NDArray wide = a.toType(DataType.FLOAT32, false);
        if (wide != a) {
            wide.attach(scope);
        }
        return wide;
    }

    /**
     * {@code layers[i].forward(x)} for every layer, in one pass of the decode kernel when it takes
     * them all (one hand-off to the cores instead of one per layer, e.g. query/key/value).
     */
    public static NDArray[] forwardAll(NDArray x, Linear... layers) {
        WeightView[] views = new WeightView[layers.length];
        for (int i = 0; i < layers.length; i++) {
            views[i] = layers[i].kernelView(x);
            if (views[i] == null) {
                NDArray[] out = new NDArray[layers.length];
                for (int j = 0; j < layers.length; j++) {
                    out[j] = layers[j].forward(x);
                }
                return out;
            }
        }
        return MatVec.multiply(x, views);
    }

    /** The kernel's view of this weight when the kernel should compute {@code forward(x)}, else null. */
    private WeightView kernelView(NDArray x) {
        if (x.getShape().dimension() != 2 || x.getShape().get(0) != 1) {
            return null;
        }
        WeightView v = kernelView();
        return v != null && MatVec.accepts(x, v) ? v : null;
    }

    /**
     * This weight as the decode kernel reads it (see {@link MatVec#multiply(float[], float[][],
     * WeightView...)}), or null when the kernel is off or cannot read it. Made once, on first use.
     */
    public WeightView kernelView() {
        if (!MatVec.enabled()) {
            return null;
        }
        Object v = view;
        if (v == null) {
            synchronized (this) {
                v = view;
                if (v == null) {
                    WeightView made = int8 != null
                            ? MatVec.viewInt8(int8.quants(), int8.panels(), int8.scales(), int8.layout(), bias)
                            : MatVec.view(weight, panels, bias);
                    view = v = made != null ? made : NO_VIEW;
                }
            }
        }
        return v instanceof WeightView ? (WeightView) v : null;
    }

    /**
     * The dense weight as stored: {@code [out, in]}, or {@code [P·out, in/P]} in {@link #panels()}
     * column panels; null for a layer held in 8 bits.
     */
    public NDArray weight() {
        return weight;
    }

    /** The column panels the weight is stored in (1: the plain layout; see {@link ColumnPanels}). */
    public int panels() {
        return int8 != null ? int8.panels() : panels;
    }

    public NDArray bias() {
        return bias;
    }

    public long outFeatures() {
        return int8 != null ? int8.rows() : weight.getShape().get(0) / panels;
    }

    public long inFeatures() {
        return int8 != null ? int8.cols() : weight.getShape().get(1) * panels;
    }
}
