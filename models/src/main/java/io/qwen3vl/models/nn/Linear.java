package io.qwen3vl.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.nn.kernel.MatVec;
import io.qwen3vl.models.nn.kernel.WeightView;

/**
 * A dense layer {@code y = x·Wᵀ + b} with the weight kept in the checkpoint's {@code [out, in]}
 * layout, which is the layout torch's linear kernel (and the fast fp16 vector×matrix path) wants.
 *
 * <p>A single input row on the CPU (decoding one token) goes through the Java decode kernel
 * {@link MatVec}, which reads this weight in place at the memory's pace; everything else (prefill,
 * vision, or when the kernel is unavailable or {@code -Dqwen3vl.kernel=djl}) uses the backend.
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

    private final NDArray weight;
    private final NDArray bias;
    private volatile Object view; // null: not looked at yet; a WeightView; or NO_VIEW

    public Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** Loads {@code prefix.weight} and, when present, {@code prefix.bias}. */
    public static Linear load(WeightSource source, String prefix, NDManager manager, DataType dtype) {
        NDArray w = source.load(prefix + ".weight", manager, dtype);
        NDArray b = source.contains(prefix + ".bias") ? source.load(prefix + ".bias", manager, dtype) : null;
        return new Linear(w, b);
    }

    public NDArray forward(NDArray x) {
        WeightView v = kernelView(x);
        if (v != null) {
            return MatVec.multiply(x, v)[0];
        }
        if (HalfProducts.widens(x) && weight.getDataType() == DataType.FLOAT16
                && x.getShape().size() / x.getShape().tail() >= WIDEN_FP16_ROWS) {
            return widened(x);
        }
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * The product in fp32 with temporary fp32 copies of the weight, a block of output rows at a time:
     * each copy stays below glibc's mmap threshold (see {@link RowChunks}), so it is reused from the
     * heap instead of being faulted in afresh on every call, and is freed before the next block.
     */
    private NDArray widened(NDArray x) {
        long rows = weight.getShape().get(0);
        long block = RowChunks.rowsPerBlock(weight.getShape().get(1), Float.BYTES);
        NDArray x32 = x.toType(DataType.FLOAT32, false);
        NDArray out = RowChunks.map(rows, block, x.getShape().dimension() - 1, x.getManager(), (from, to, scope) -> {
            NDArray w = widenRows(weight, from, to, rows, scope);
            NDArray b = bias == null ? null : widenRows(bias, from, to, rows, scope);
            NDArray y = ai.djl.nn.core.Linear.linear(x32, w, b).singletonOrThrow();
            y.attach(scope);
            return y.toType(DataType.FLOAT16, false);
        });
        x32.close();
        return out;
    }

    /** Rows {@code [from, to)} of {@code a} (all of it when that is everything) in fp32, owned by {@code scope}. */
    private static NDArray widenRows(NDArray a, long from, long to, long rows, NDManager scope) {
        NDArray part = from == 0 && to == rows ? a : a.get("{}:{}", from, to);
        if (part != a) {
            part.attach(scope); // a slice would otherwise live as long as the weights
        }
        NDArray wide = part.toType(DataType.FLOAT32, false);
        wide.attach(scope);
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
                    WeightView made = MatVec.view(weight, bias);
                    view = v = made != null ? made : NO_VIEW;
                }
            }
        }
        return v instanceof WeightView ? (WeightView) v : null;
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray bias() {
        return bias;
    }

    public long outFeatures() {
        return weight.getShape().get(0);
    }
}
