package io.qwen3vl.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.nn.HalfProducts;
import io.qwen3vl.models.nn.Linear;
import io.qwen3vl.models.nn.RowChunks;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-head self-attention of the vision tower: one fused {@code qkv} projection (with bias), 2-D
 * rotary on queries and keys, softmax attention restricted to each segment (an image, or one
 * temporal patch of a video: the reference's {@code cu_seqlens}), and the output projection.
 *
 * <p>Each segment is one batched matmul over the heads ({@code [heads, L, L]} scores). Long segments
 * are split along the query axis so that the score matrix stays within {@link #SCORE_BUDGET_BYTES}
 * (below glibc's mmap threshold, see {@link RowChunks}); rows of a softmax are independent, so
 * this changes nothing numerically.
 */
public final class VisionAttention {
    /** Upper bound for one score tensor; larger attention is processed in query chunks. */
    static final long SCORE_BUDGET_BYTES = RowChunks.BLOCK_BYTES;

    private final Linear qkv;
    private final Linear proj;
    private final int numHeads;
    private final long scoreBudgetBytes;

    public VisionAttention(Linear qkv, Linear proj, int numHeads) {
        this(qkv, proj, numHeads, SCORE_BUDGET_BYTES);
    }

    /** With an explicit score budget (tests use a tiny one to exercise query chunking). */
    VisionAttention(Linear qkv, Linear proj, int numHeads, long scoreBudgetBytes) {
        this.qkv = qkv;
        this.proj = proj;
        this.numHeads = numHeads;
        this.scoreBudgetBytes = scoreBudgetBytes;
        long hidden = proj.outFeatures();
        if (qkv.outFeatures() != 3 * hidden || hidden % numHeads != 0) {
            throw new IllegalArgumentException("qkv has " + qkv.outFeatures() + " outputs for hidden " + hidden
                    + " and " + numHeads + " heads");
        }
    }

    /** Loads {@code prefix.qkv} and {@code prefix.proj}. */
    public static VisionAttention load(WeightSource source, String prefix, int numHeads, NDManager manager, DataType dtype) {
        return new VisionAttention(
                Linear.load(source, prefix + ".qkv", manager, dtype),
                Linear.load(source, prefix + ".proj", manager, dtype),
                numHeads);
    }

    /** A run of {@code count} consecutive attention segments of {@code length} patches each. */
    public record Run(int count, int length) {
        public Run {
            if (count < 1 || length < 1) {
                throw new IllegalArgumentException("empty attention run");
            }
        }

        int patches() {
            return count * length;
        }
    }

    /**
     * The attention segments of a batch of grids: one per temporal patch of each grid, with
     * consecutive segments of equal length grouped into runs.
     */
    public static List<Run> runs(List<GridThw> grids) {
        List<Run> runs = new ArrayList<>();
        for (GridThw g : grids) {
            int len = g.patchesPerFrame();
            if (!runs.isEmpty() && runs.get(runs.size() - 1).length() == len) {
                Run last = runs.remove(runs.size() - 1);
                runs.add(new Run(last.count() + g.t(), len));
            } else {
                runs.add(new Run(g.t(), len));
            }
        }
        return runs;
    }

    /**
     * {@code x [N, hidden]} to {@code [N, hidden]}; {@code cos}/{@code sin} are {@code [N, head_dim]}
     * and {@code runs} covers exactly N patches.
     */
    public NDArray forward(NDArray x, NDArray cos, NDArray sin, List<Run> runs) {
        long n = x.getShape().get(0);
        long hidden = proj.outFeatures();
        int headDim = (int) (hidden / numHeads);
        float scale = (float) Math.pow(headDim, -0.5);

        NDArray fused = qkv.forward(x).reshape(n, 3, numHeads, headDim);
        NDArray qk = fused.get(new NDIndex(":, 0:2"));
        NDArray v = fused.get(new NDIndex(":, 2"));
        // One rotation for queries and keys together: [N, 2, heads, head_dim] with [N, 1, 1, head_dim].
        qk = VisionRotary.apply(qk, cos.reshape(n, 1, 1, headDim), sin.reshape(n, 1, 1, headDim));
        NDArray q = qk.get(new NDIndex(":, 0"));
        NDArray k = qk.get(new NDIndex(":, 1"));

        NDList outputs = new NDList(runs.size());
        long start = 0;
        for (Run run : runs) {
            long end = start + run.patches();
            boolean whole = runs.size() == 1;
            NDArray rq = whole ? q : q.get(new NDIndex("{}:{}", start, end));
            NDArray rk = whole ? k : k.get(new NDIndex("{}:{}", start, end));
            NDArray rv = whole ? v : v.get(new NDIndex("{}:{}", start, end));
            outputs.add(attendRun(rq, rk, rv, run, headDim, scale));
            start = end;
        }
        if (start != n) {
            throw new IllegalArgumentException("attention segments cover " + start + " patches, input has " + n);
        }
        NDArray out = outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(outputs);
        return proj.forward(out);
    }

    /**
     * Attention within each of the run's segments; q, k, v are {@code [count·L, heads, head_dim]}
     * views into the projections, the result is {@code [count·L, hidden]}.
     *
     * <p>Each segment is viewed as {@code [heads, L, head_dim]} with a transpose only: the per-head
     * matrices then have a row stride of a whole patch, which BLAS takes as its leading dimension,
     * so no operand is copied. (Batching segments as 4-D {@code [count, heads, L, d]} tensors made
     * torch copy every operand and the result to contiguous 3-D batches: an eighth of the vision
     * tower's time on a video.)
     */
    private NDArray attendRun(NDArray q, NDArray k, NDArray v, Run run, int headDim, float scale) {
        int len = run.length();
        long rowBytes = (long) numHeads * len * Float.BYTES; // fp16 scores are formed in fp32 (see attend)
        long chunk = Math.max(1, Math.min(len, scoreBudgetBytes / rowBytes));
        boolean widen = HalfProducts.widens(q); // keys and values widened once per segment
        // A scope per segment and per query chunk: only the contexts outlive them. (Without, a 30 s
        // video's 330 query chunks per block kept their scores alive: 10 GB a block.)
        NDArray context = RowChunks.map(run.count(), 1, 1, q.getManager(), (seg, next, segment) -> {
            long from = seg * len;
            NDArray kt = k.get("{}:{}", from, from + len);
            kt.attach(segment);
            kt = kt.transpose(1, 2, 0); // [heads, d, L]
            NDArray vs = v.get("{}:{}", from, from + len);
            vs.attach(segment);
            vs = vs.transpose(1, 0, 2); // [heads, L, d]
            NDArray keys = widen ? kt.toType(DataType.FLOAT32, false) : kt;
            NDArray values = widen ? vs.toType(DataType.FLOAT32, false) : vs;
            return RowChunks.map(len, chunk, 1, segment, (qf, qt, block) -> {
                NDArray qs = q.get("{}:{}", from + qf, from + qt);
                qs.attach(block);
                return attend(qs.transpose(1, 0, 2), keys, values, scale); // [heads, rows, d]
            });
        });
        // [heads, count·L, d] → [count·L, hidden]
        return context.transpose(1, 0, 2).reshape((long) run.patches(), (long) numHeads * headDim);
    }

    /**
     * softmax(q·kᵀ·scale)·v. The scale multiplies q ({@code L × head_dim}) rather than the scores
     * ({@code L × L}): one pass less over the largest tensor, and exact when the scale is a power
     * of two (head_dim 16 or 64); otherwise it differs from the reference by float rounding only.
     */
    private static NDArray attend(NDArray q, NDArray kt, NDArray v, float scale) {
        NDArray scaled = q.mul(scale);
        NDArray scores = HalfProducts.matMul(scaled, kt);
        // fp16 on the CPU: softmax in fp32, rounded once, as torch's fp16 softmax computes it
        NDArray probs = HalfProducts.widens(scaled)
                ? scores.toType(DataType.FLOAT32, false).softmax(-1).toType(DataType.FLOAT16, false)
                : scores.softmax(-1);
        return HalfProducts.matMul(probs, v);
    }

    public int numHeads() {
        return numHeads;
    }
}
