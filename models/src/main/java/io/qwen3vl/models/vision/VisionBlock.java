package io.qwen3vl.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.nn.Activations;
import io.qwen3vl.models.nn.LayerNorm;
import io.qwen3vl.models.nn.Linear;
import io.qwen3vl.models.nn.RowChunks;
import java.util.List;

/**
 * One pre-norm vision transformer block: {@code x + attn(norm1(x))}, then
 * {@code x + fc2(act(fc1(norm2(x))))} with the config's {@code hidden_act} (GELU, tanh form, in the
 * released checkpoints). Both LayerNorms use eps 1e-6.
 */
public final class VisionBlock {
    public static final double NORM_EPS = 1e-6;

    private final LayerNorm norm1;
    private final VisionAttention attn;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;
    private final String hiddenAct;

    public VisionBlock(LayerNorm norm1, VisionAttention attn, LayerNorm norm2, Linear fc1, Linear fc2, String hiddenAct) {
        this.norm1 = norm1;
        this.attn = attn;
        this.norm2 = norm2;
        this.fc1 = fc1;
        this.fc2 = fc2;
        this.hiddenAct = hiddenAct;
    }

    /** Loads {@code prefix.norm1}, {@code prefix.attn}, {@code prefix.norm2} and {@code prefix.mlp.linear_fc1/2}. */
    public static VisionBlock load(WeightSource source, String prefix, int numHeads, String hiddenAct,
                                   NDManager manager, DataType dtype) {
        return new VisionBlock(
                layerNorm(source, prefix + ".norm1", manager, dtype),
                VisionAttention.load(source, prefix + ".attn", numHeads, manager, dtype),
                layerNorm(source, prefix + ".norm2", manager, dtype),
                Linear.load(source, prefix + ".mlp.linear_fc1", manager, dtype),
                Linear.load(source, prefix + ".mlp.linear_fc2", manager, dtype),
                hiddenAct);
    }

    static LayerNorm layerNorm(WeightSource source, String prefix, NDManager manager, DataType dtype) {
        return new LayerNorm(source.load(prefix + ".weight", manager, dtype), source.load(prefix + ".bias", manager, dtype),
                NORM_EPS);
    }

    public NDArray forward(NDArray x, NDArray cos, NDArray sin, List<VisionAttention.Run> runs) {
        NDArray h = x.add(attn.forward(norm1.forward(x), cos, sin, runs));
        // The MLP is row-wise: run it in blocks whose [rows, intermediate] activations stay small.
        long rows = RowChunks.rowsPerBlock(fc1.outFeatures(), h.getDataType().getNumOfBytes());
        return RowChunks.apply(h, rows, part -> part.add(fc2.forward(Activations.apply(hiddenAct,
                fc1.forward(norm2.forward(part))))));
    }
}
