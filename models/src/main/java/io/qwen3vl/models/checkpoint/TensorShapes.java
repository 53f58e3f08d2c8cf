package io.qwen3vl.models.checkpoint;

import io.qwen3vl.models.config.ModelConfig;
import io.qwen3vl.models.config.TextConfig;
import io.qwen3vl.models.config.VisionConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors a Qwen3-VL checkpoint of a given configuration holds: every name with its shape, as
 * the official model writes them ({@code [out, in]} linear weights, Conv3d patch embedding). Lets
 * synthetic weights stand in for a real checkpoint and tells how many bytes a model reads.
 */
public final class TensorShapes {
    private TensorShapes() {
    }

    /** Name to shape, language model first, then the vision tower (when configured). */
    public static Map<String, long[]> of(ModelConfig config) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        text(config.text(), shapes);
        if (config.vision() != null) {
            vision(config.vision(), shapes);
        }
        return Collections.unmodifiableMap(shapes);
    }

    private static void text(TextConfig c, Map<String, long[]> out) {
        String p = "model.language_model.";
        long hidden = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        out.put(p + "embed_tokens.weight", new long[] {c.vocabSize(), hidden});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = p + "layers." + i + ".";
            out.put(l + "input_layernorm.weight", new long[] {hidden});
            linear(out, l + "self_attn.q_proj", q, hidden, c.attentionBias());
            linear(out, l + "self_attn.k_proj", kv, hidden, c.attentionBias());
            linear(out, l + "self_attn.v_proj", kv, hidden, c.attentionBias());
            linear(out, l + "self_attn.o_proj", hidden, q, c.attentionBias());
            out.put(l + "self_attn.q_norm.weight", new long[] {c.headDim()});
            out.put(l + "self_attn.k_norm.weight", new long[] {c.headDim()});
            out.put(l + "post_attention_layernorm.weight", new long[] {hidden});
            linear(out, l + "mlp.gate_proj", c.intermediateSize(), hidden, false);
            linear(out, l + "mlp.up_proj", c.intermediateSize(), hidden, false);
            linear(out, l + "mlp.down_proj", hidden, c.intermediateSize(), false);
        }
        out.put(p + "norm.weight", new long[] {hidden});
        if (!c.tieWordEmbeddings()) {
            out.put("lm_head.weight", new long[] {c.vocabSize(), hidden});
        }
    }

    private static void vision(VisionConfig c, Map<String, long[]> out) {
        String p = "model.visual.";
        long h = c.hiddenSize();
        long group = h * c.spatialMergeSize() * c.spatialMergeSize();
        out.put(p + "patch_embed.proj.weight",
                new long[] {h, c.inChannels(), c.temporalPatchSize(), c.patchSize(), c.patchSize()});
        out.put(p + "patch_embed.proj.bias", new long[] {h});
        out.put(p + "pos_embed.weight", new long[] {c.numPositionEmbeddings(), h});
        for (int i = 0; i < c.depth(); i++) {
            String b = p + "blocks." + i + ".";
            norm(out, b + "norm1", h);
            norm(out, b + "norm2", h);
            linear(out, b + "attn.qkv", 3 * h, h, true);
            linear(out, b + "attn.proj", h, h, true);
            linear(out, b + "mlp.linear_fc1", c.intermediateSize(), h, true);
            linear(out, b + "mlp.linear_fc2", h, c.intermediateSize(), true);
        }
        merger(out, p + "merger", h, group, c.outHiddenSize());
        for (int i = 0; i < c.deepstackVisualIndexes().length; i++) {
            merger(out, p + "deepstack_merger_list." + i, group, group, c.outHiddenSize());
        }
    }

    private static void merger(Map<String, long[]> out, String prefix, long normDim, long group, long outDim) {
        norm(out, prefix + ".norm", normDim);
        linear(out, prefix + ".linear_fc1", group, group, true);
        linear(out, prefix + ".linear_fc2", outDim, group, true);
    }

    private static void norm(Map<String, long[]> out, String prefix, long dim) {
        out.put(prefix + ".weight", new long[] {dim});
        out.put(prefix + ".bias", new long[] {dim});
    }

    private static void linear(Map<String, long[]> out, String prefix, long outDim, long inDim, boolean bias) {
        out.put(prefix + ".weight", new long[] {outDim, inDim});
        if (bias) {
            out.put(prefix + ".bias", new long[] {outDim});
        }
    }
}
