package io.qwen3vl.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.nn.Linear;

/**
 * Patch embedding: the checkpoint's Conv3d (kernel = stride = temporal × patch × patch) applied to
 * patches the processor already flattened as {@code (C, T, P, P)}. Because every patch is exactly
 * one kernel window, the convolution is one dense layer whose {@code [hidden, C·T·P·P]} weight is
 * the Conv3d weight reshaped; that is equal to Conv3d and several times faster.
 */
public final class PatchEmbed {
    private final Linear proj;
    private final int patchDim;

    public PatchEmbed(Linear proj) {
        this.proj = proj;
        this.patchDim = Math.toIntExact(proj.inFeatures());
    }

    /** Loads {@code prefix.proj.weight} ({@code [hidden, C, T, P, P]}) and {@code prefix.proj.bias}. */
    public static PatchEmbed load(WeightSource source, String prefix, NDManager manager, DataType dtype) {
        NDArray conv = source.load(prefix + ".proj.weight", manager, dtype);
        Shape s = conv.getShape();
        if (s.dimension() != 5) {
            throw new IllegalArgumentException(prefix + ".proj.weight must be a Conv3d weight [hidden, C, T, P, P], got " + s);
        }
        long hidden = s.get(0);
        // A view of the loaded weight; nothing ever writes to it.
        NDArray flat = conv.reshape(hidden, s.size() / hidden);
        NDArray bias = source.load(prefix + ".proj.bias", manager, dtype);
        return new PatchEmbed(new Linear(flat, bias));
    }

    /** {@code [N, C·T·P·P]} flattened patches to {@code [N, hidden]} embeddings. */
    public NDArray forward(NDArray patches) {
        Shape s = patches.getShape();
        if (s.dimension() != 2 || s.get(1) != patchDim) {
            throw new IllegalArgumentException("pixel values must be [patches, " + patchDim + "], got " + s);
        }
        return proj.forward(patches);
    }

    public int patchDim() {
        return patchDim;
    }
}
