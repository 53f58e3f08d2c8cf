package io.qwen3vl.models.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.config.TextConfig;
import io.qwen3vl.models.nn.HalfProducts;
import io.qwen3vl.models.nn.Linear;
import io.qwen3vl.models.nn.WeightFormat;
import io.qwen3vl.models.nn.RmsNorm;
import io.qwen3vl.models.nn.ScalarOperand;
import io.qwen3vl.models.nn.RowChunks;
import io.qwen3vl.models.nn.kernel.DecodeAttention;
import io.qwen3vl.models.nn.kernel.MatVec;

/**
 * Grouped-query self-attention of the Qwen3 decoder: per-head RMSNorm on queries and keys before
 * the rotary embedding, keys/values shared by {@code heads / kvHeads} query heads. Query heads of one
 * group are folded into the row axis so each group attends with one batched matmul over its shared
 * keys, without materialising repeated keys and values.
 */
final class Attention {
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear oProj;
    private final RmsNorm qNorm;
    private final RmsNorm kNorm;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scaling;
    private final ScalarOperand scale;

    Attention(WeightSource source, String prefix, TextConfig config, NDManager manager, DataType dtype,
              WeightFormat format) {
        qProj = Linear.loadForDecoding(source, prefix + "q_proj", manager, dtype, format);
        kProj = Linear.loadForDecoding(source, prefix + "k_proj", manager, dtype, format);
        vProj = Linear.loadForDecoding(source, prefix + "v_proj", manager, dtype, format);
        oProj = Linear.loadForDecoding(source, prefix + "o_proj", manager, dtype, format);
        qNorm = new RmsNorm(source.load(prefix + "q_norm.weight", manager, dtype), config.rmsNormEps());
        kNorm = new RmsNorm(source.load(prefix + "k_norm.weight", manager, dtype), config.rmsNormEps());
        heads = config.numAttentionHeads();
        kvHeads = config.numKeyValueHeads();
        headDim = config.headDim();
        scaling = (float) (1.0 / Math.sqrt(headDim));
        scale = new ScalarOperand(manager, scaling);
    }

    /**
     * @param x      hidden states {@code [L, hidden]} of the new tokens
     * @param cos    rotary table {@code [L, headDim]}
     * @param sin    rotary table {@code [L, headDim]}
     * @param mask   additive causal mask {@code [L, past+L]}, or null when L == 1
     */
    NDArray forward(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvCache cache, int layer) {
        long len = x.getShape().get(0);
        // One pass over the three weights when decoding (see Linear.forwardAll).
        NDArray[] qkv = Linear.forwardAll(x, qProj, kProj, vProj);
        NDArray q = InterleavedMRope.apply(normedHeads(qkv[0], qNorm, heads, len), cos, sin);
        NDArray k = InterleavedMRope.apply(normedHeads(qkv[1], kNorm, kvHeads, len), cos, sin);
        NDArray v = qkv[2].reshape(len, kvHeads, headDim).transpose(1, 0, 2);

        cache.append(layer, k, v);
        int total = cache.length() + (int) len;
        if (len == 1 && DecodeAttention.accepts(q, cache.keys(layer), cache.values(layer))) {
            // One new token: attend over the cache in place (see DecodeAttention).
            return oProj.forward(DecodeAttention.attend(q, cache.keys(layer), cache.values(layer), total, scaling));
        }
        NDArray out;
        // The cache operands (views, row copies of tiled keys, widened copies) live for this layer
        // only: held until the step's end, a 2,048-token prefill of an fp16 cache kept 28 layers'
        // widened keys and values, 0.4 GiB.
        try (NDManager layerScope = q.getManager().newSubManager()) {
            NDArray[] kv = cache.filled(layer, total, layerScope);
            NDArray keys = kv[0];
            NDArray values = kv[1];
            // libtorch's fp16 matrix products on the CPU run a slow generic kernel: widen the cache
            // operands once per layer here; attendBlock widens the queries (see HalfProducts). Elsewhere
            // the cache operands take the queries' dtype, which differs for an fp16 cache under fp32
            // activations (a GPU refuses mixed-dtype products).
            DataType operand = HalfProducts.widens(keys) ? DataType.FLOAT32 : q.getDataType();
            NDArray kt = as(keys, operand).transpose(0, 2, 1);
            NDArray vals = as(values, operand);
            // Query tokens in blocks whose scores [heads, n, total] stay below glibc's mmap threshold
            // (see RowChunks): the scores of a 1,024-token chunk over a 2,048-token context are 134 MB,
            // and four such temporaries per layer, each faulted in afresh, made a 2,048-token prefill
            // take 65 s instead of 44 (2B, fp32, 2 cores). Rows of a softmax are independent: nothing
            // changes numerically.
            long perToken = (long) heads * total * Float.BYTES;
            long block = Math.max(1, Math.min(len, RowChunks.BLOCK_BYTES / perToken));
            out = RowChunks.map(len, block, 0, q.getManager(), (from, to, scope) -> {
                NDArray qb = q.get(":, {}:{}, :", from, to);
                qb.attach(scope);
                NDArray mb = null;
                if (mask != null) {
                    mb = mask.get("{}:{}", from, to);
                    mb.attach(scope);
                }
                return attendBlock(qb, kt, vals, mb, to - from, total);
            });
        }
        return oProj.forward(out);
    }

    private static NDArray as(NDArray a, DataType dtype) {
        return a.getDataType() == dtype ? a : a.toType(dtype, false);
    }

    /**
     * Attention of {@code n} query tokens {@code q [heads, n, d]} over {@code total} cached positions:
     * {@code [n, heads·d]}. For fp16 on the CPU the cache operands come widened to fp32 and every
     * product is rounded to fp16 where the fp16 product would round it.
     */
    private NDArray attendBlock(NDArray q, NDArray kt, NDArray values, NDArray mask, long n, long total) {
        int groups = heads / kvHeads;
        // [heads, n, d] -> [kvHeads, groups*n, d]: head h uses kv head h / groups.
        NDArray qg = q.reshape(kvHeads, groups * n, headDim);
        NDArray scores = scale.multiply(HalfProducts.matMul(qg, kt));
        if (scores.getDataType() != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false);
        }
        if (mask != null) {
            scores = scores.reshape(kvHeads, groups, n, total).add(mask).reshape(kvHeads, groups * n, total);
        }
        NDArray probs = scores.softmax(-1);
        if (probs.getDataType() != q.getDataType()) {
            probs = probs.toType(q.getDataType(), false);
        }
        return HalfProducts.matMul(probs, values) // [kvHeads, groups*n, d]
                .reshape(heads, n, headDim)
                .transpose(1, 0, 2)
                .reshape(n, (long) heads * headDim);
    }

    /**
     * The single-token path of {@link #forward}, on float arrays (see {@link DecodeStep}): the new
     * token's key and value are written into the cache, the output goes to {@code out [hidden]}.
     */
    void decode(float[] x, DecodeStep.Buffers b, KvCache cache, int layer, float[] out) {
        boolean half = b.half;
        MatVec.multiply(x, new float[][] {b.q, b.k, b.v}, qProj.kernelView(), kProj.kernelView(), vProj.kernelView());
        b.round(b.q);
        b.round(b.k);
        b.round(b.v);
        for (int h = 0; h < heads; h++) {
            qNorm.apply(b.q, h * headDim, b.q, h * headDim, half);
        }
        for (int h = 0; h < kvHeads; h++) {
            kNorm.apply(b.k, h * headDim, b.k, h * headDim, half);
        }
        InterleavedMRope.rotate(b.q, heads, b.cos, b.sin, half, b.ropeA, b.ropeB);
        InterleavedMRope.rotate(b.k, kvHeads, b.cos, b.sin, half, b.ropeA, b.ropeB);
        cache.write(layer, b.k, b.v);
        DecodeAttention.attend(b.q, heads, cache.keys(layer), cache.values(layer), cache.length() + 1, scaling,
                half, b.context);
        b.round(b.context);
        MatVec.multiply(b.context, new float[][] {out}, oProj.kernelView());
        b.round(out);
    }

    /** Whether {@link #decode} can run: the kernel reads every projection. */
    boolean decodable() {
        return qProj.kernelView() != null && kProj.kernelView() != null && vProj.kernelView() != null
                && oProj.kernelView() != null;
    }

    private NDArray normedHeads(NDArray projected, RmsNorm norm, int n, long len) {
        NDArray h = projected.reshape(new Shape(len, n, headDim));
        return norm.forward(h).transpose(1, 0, 2);
    }
}
