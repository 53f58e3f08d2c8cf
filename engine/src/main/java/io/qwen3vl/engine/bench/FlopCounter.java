package io.qwen3vl.engine.bench;

import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.Precision;
import io.qwen3vl.models.checkpoint.TensorShapes;
import io.qwen3vl.models.config.ModelConfig;
import io.qwen3vl.models.config.TextConfig;
import io.qwen3vl.models.config.VisionConfig;
import io.qwen3vl.models.nn.WeightFormat;
import io.qwen3vl.models.nn.kernel.Int8Blocks;
import io.qwen3vl.models.vision.GridThw;
import java.util.List;
import java.util.Map;

/**
 * Work of the model's phases counted from the shapes alone: floating-point operations (a
 * multiply-add is 2) of the matrix products, which dominate prefill and the vision encoder, and
 * bytes a decode step must read, which bound it. Element-wise work (norms, activations, rotary) is
 * left out, so fractions of the GEMM peak are, if anything, understated. Attention counts only the
 * causal (useful) half for text.
 */
public final class FlopCounter {
    private FlopCounter() {
    }

    /**
     * FLOPs of running {@code len} new tokens after {@code past} cached ones through the decoder,
     * plus the LM head for {@code logitRows} rows.
     */
    public static double text(TextConfig c, long past, long len, long logitRows) {
        double hidden = c.hiddenSize();
        double q = (double) c.numAttentionHeads() * c.headDim();
        double kv = (double) c.numKeyValueHeads() * c.headDim();
        double linearPerToken = 2 * hidden * (q + 2 * kv) + 2 * q * hidden + 2 * 3 * hidden * c.intermediateSize();
        // Token at absolute position p attends to p + 1 keys: q·kᵀ and probs·v, 2 FLOPs each per head dim.
        double keysSeen = len * (double) past + (double) len * (len + 1) / 2;
        double attention = 4 * q * keysSeen;
        double layers = c.numHiddenLayers() * (linearPerToken * len + attention);
        return layers + 2 * hidden * c.vocabSize() * logitRows;
    }

    /** FLOPs of the vision tower (patch embedding, blocks, final and DeepStack mergers) on {@code grids}. */
    public static double vision(VisionConfig c, List<GridThw> grids) {
        double h = c.hiddenSize();
        double patchDim = (double) c.inChannels() * c.temporalPatchSize() * c.patchSize() * c.patchSize();
        double merge2 = (double) c.spatialMergeSize() * c.spatialMergeSize();
        double patches = 0;
        double attention = 0;
        for (GridThw g : grids) {
            patches += g.patches();
            // Every patch attends to the whole of its segment (one frame pair), both products.
            attention += 4 * h * (double) g.patches() * g.patchesPerFrame();
        }
        double perPatchBlock = 2 * h * 3 * h + 2 * h * h + 2 * 2 * h * c.intermediateSize();
        double blocks = c.depth() * (perPatchBlock * patches + attention);
        double tokens = patches / merge2;
        double group = h * merge2;
        double mergers = (1 + c.deepstackVisualIndexes().length)
                * tokens * (2 * group * group + 2 * group * c.outHiddenSize());
        return 2 * patchDim * h * patches + blocks + mergers;
    }

    /**
     * Bytes of weights one decode step reads: every decoder-layer tensor, the final norm and the
     * LM head (the embedding matrix itself when tied). The embedding lookup reads one row only.
     */
    public static long decodeWeightBytes(ModelConfig config, Precision precision) {
        TextConfig c = config.text();
        long bytes = 0;
        for (Map.Entry<String, long[]> e : TensorShapes.of(config).entrySet()) {
            String name = e.getKey();
            if (isText(name) && !name.endsWith("embed_tokens.weight")) {
                bytes += textTensorBytes(e.getValue(), precision);
            }
        }
        if (c.tieWordEmbeddings()) {
            bytes += textTensorBytes(new long[] {c.vocabSize(), c.hiddenSize()}, precision);
        }
        return bytes;
    }

    /**
     * Bytes the loaded model's weights take: every tensor in the compute dtype, but with 8-bit text
     * weights the language model's matrices (projections, embeddings, LM head) in 8 bits plus block
     * scales. A tied head is the embedding matrix itself.
     */
    public static long weightBytes(ModelConfig config, Precision precision) {
        long bytes = 0;
        for (Map.Entry<String, long[]> e : TensorShapes.of(config).entrySet()) {
            bytes += isText(e.getKey()) ? textTensorBytes(e.getValue(), precision)
                    : count(e.getValue()) * precision.dtype().getNumOfBytes();
        }
        return bytes;
    }

    /** Whether the checkpoint tensor {@code name} belongs to the language model (its LM head included). */
    private static boolean isText(String name) {
        return name.startsWith("model.language_model.") || name.startsWith("lm_head.");
    }

    /** A language-model tensor as the model holds it: 8 bits and a scale per block for matrices of whole blocks. */
    private static long textTensorBytes(long[] shape, Precision precision) {
        long n = count(shape);
        if (precision.textWeights() == WeightFormat.INT8 && shape.length == 2 && shape[1] % Int8Blocks.BLOCK == 0) {
            return n + n / Int8Blocks.BLOCK * Float.BYTES;
        }
        return n * precision.dtype().getNumOfBytes();
    }

    /** Bytes of cached keys and values one decode step reads at {@code context} tokens. */
    public static long kvBytes(TextConfig c, DataType dtype, long context) {
        return 2L * c.numHiddenLayers() * c.numKeyValueHeads() * c.headDim() * context * dtype.getNumOfBytes();
    }

    /** Parameters of the whole model (LM head counted once when tied). */
    public static long parameters(ModelConfig config) {
        long n = 0;
        for (long[] shape : TensorShapes.of(config).values()) {
            n += count(shape);
        }
        return n;
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
