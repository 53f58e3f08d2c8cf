package io.qwen3vl.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.checkpoint.WeightSource;

/**
 * A dense layer {@code y = x·Wᵀ + b} with the weight kept in the checkpoint's {@code [out, in]}
 * layout, which is the layout torch's linear kernel (and the fast fp16 vector×matrix path) wants.
 */
public final class Linear {
    private final NDArray weight;
    private final NDArray bias;

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
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
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
