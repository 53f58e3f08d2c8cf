package io.qwen3vl.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.nn.Activations;
import io.qwen3vl.models.nn.LayerNorm;
import io.qwen3vl.models.nn.Linear;

/**
 * Merges each {@code merge × merge} group of patches (contiguous in merge-group order) into one
 * vision token: LayerNorm, concatenation of the group to {@code merge²·hidden}, Linear, GELU (erf
 * form), Linear to the text hidden size. The final merger normalises each patch before the
 * concatenation; the DeepStack mergers ({@code postShuffleNorm}) normalise the concatenated vector.
 */
public final class PatchMerger {
    private final LayerNorm norm;
    private final Linear fc1;
    private final Linear fc2;
    private final boolean postShuffleNorm;
    private final long groupDim;

    public PatchMerger(LayerNorm norm, Linear fc1, Linear fc2, boolean postShuffleNorm) {
        this.norm = norm;
        this.fc1 = fc1;
        this.fc2 = fc2;
        this.postShuffleNorm = postShuffleNorm;
        this.groupDim = fc1.inFeatures();
    }

    /** Loads {@code prefix.norm}, {@code prefix.linear_fc1} and {@code prefix.linear_fc2}. */
    public static PatchMerger load(WeightSource source, String prefix, boolean postShuffleNorm,
                                   NDManager manager, DataType dtype) {
        return new PatchMerger(
                VisionBlock.layerNorm(source, prefix + ".norm", manager, dtype),
                Linear.load(source, prefix + ".linear_fc1", manager, dtype),
                Linear.load(source, prefix + ".linear_fc2", manager, dtype),
                postShuffleNorm);
    }

    /** {@code [N, hidden]} patches in merge-group order to {@code [N / merge², out_hidden]} tokens. */
    public NDArray forward(NDArray x) {
        NDArray grouped = postShuffleNorm
                ? norm.forward(x.reshape(-1, groupDim))
                : norm.forward(x).reshape(-1, groupDim);
        return fc2.forward(Activations.geluErf(fc1.forward(grouped)));
    }

    public boolean postShuffleNorm() {
        return postShuffleNorm;
    }
}
