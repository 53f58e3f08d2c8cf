package io.qwen3vl.models.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.config.TextConfig;
import io.qwen3vl.models.nn.RmsNorm;
import io.qwen3vl.models.nn.WeightFormat;

/** One pre-norm transformer layer of the Qwen3 decoder. */
final class DecoderLayer {
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final Mlp mlp;
    private final int index;

    DecoderLayer(WeightSource source, String prefix, int index, TextConfig config, NDManager manager, DataType dtype,
                 WeightFormat format) {
        this.index = index;
        inputNorm = new RmsNorm(source.load(prefix + "input_layernorm.weight", manager, dtype), config.rmsNormEps());
        attention = new Attention(source, prefix + "self_attn.", config, manager, dtype, format);
        postAttentionNorm = new RmsNorm(
                source.load(prefix + "post_attention_layernorm.weight", manager, dtype), config.rmsNormEps());
        mlp = new Mlp(source, prefix + "mlp.", config, manager, dtype, format);
    }

    NDArray forward(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvCache cache) {
        NDArray h = x.add(attention.forward(inputNorm.forward(x), cos, sin, mask, cache, index));
        return h.add(mlp.forward(postAttentionNorm.forward(h)));
    }

    /** The single-token path of {@link #forward}: {@code h [hidden]} is updated in place. */
    void decode(float[] h, DecodeStep.Buffers b, KvCache cache) {
        inputNorm.apply(h, 0, b.normed, 0, b.half);
        attention.decode(b.normed, b, cache, index, b.out);
        for (int i = 0; i < h.length; i++) {
            h[i] += b.out[i];
        }
        b.round(h);
        postAttentionNorm.apply(h, 0, b.normed, 0, b.half);
        mlp.decode(b.normed, b, b.out);
        for (int i = 0; i < h.length; i++) {
            h[i] += b.out[i];
        }
        b.round(h);
    }

    boolean decodable() {
        return attention.decodable() && mlp.decodable();
    }
}
