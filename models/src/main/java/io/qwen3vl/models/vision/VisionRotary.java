package io.qwen3vl.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * 2-D rotary position embedding of the vision attention. Each head dimension is split in two
 * halves of rotary frequencies: the first half rotates by the patch row, the second by the patch
 * column (positions in merge-group order, repeated for every temporal patch), with
 * {@code inv_freq = 1 / θ^(2i / (head_dim / 2))}, θ = 10000, all in float32. Applied in the
 * rotate-half convention: {@code x·cos + rotate_half(x)·sin}.
 */
public final class VisionRotary {
    public static final double THETA = 10000.0;

    private final int headDim;
    private final float[] invFreq;

    public VisionRotary(int headDim) {
        if (headDim % 4 != 0) {
            throw new IllegalArgumentException("vision head_dim must be divisible by 4, got " + headDim);
        }
        this.headDim = headDim;
        int dim = headDim / 2;
        this.invFreq = new float[dim / 2];
        for (int i = 0; i < invFreq.length; i++) {
            // torch: 1.0 / (theta ** (arange(0, dim, 2, float32) / dim)), every step in float32.
            float exponent = (float) (2 * i) / dim;
            float power = (float) Math.pow(THETA, exponent);
            invFreq[i] = 1.0f / power;
        }
    }

    /** The cosine and sine tables of one forward pass. */
    public record Table(NDArray cos, NDArray sin) {
    }

    /**
     * Cosines and sines {@code [N, head_dim]} for the patches of {@code grids} in order, owned by
     * {@code scope}. Depends only on the grids.
     */
    public Table forward(List<GridThw> grids, int merge, NDManager scope, DataType dtype) {
        int total = grids.stream().mapToInt(GridThw::patches).sum();
        int quarter = invFreq.length;
        float[] angles = new float[total * headDim];
        int row = 0;
        for (GridThw g : grids) {
            MergeOrder order = MergeOrder.of(g.h(), g.w(), merge);
            int n = g.patchesPerFrame();
            int frameStart = row;
            for (int i = 0; i < n; i++) {
                int base = (frameStart + i) * headDim;
                float r = order.rows[i];
                float c = order.cols[i];
                for (int j = 0; j < quarter; j++) {
                    float ar = r * invFreq[j];
                    float ac = c * invFreq[j];
                    // [row freqs, col freqs] duplicated over both halves of the head.
                    angles[base + j] = ar;
                    angles[base + quarter + j] = ac;
                    angles[base + 2 * quarter + j] = ar;
                    angles[base + 3 * quarter + j] = ac;
                }
            }
            for (int f = 1; f < g.t(); f++) {
                System.arraycopy(angles, frameStart * headDim, angles, (frameStart + f * n) * headDim, n * headDim);
            }
            row += g.patches();
        }
        NDArray a = scope.create(angles, new Shape(total, headDim));
        NDArray cos = a.cos();
        NDArray sin = a.sin();
        if (dtype != DataType.FLOAT32) {
            cos = cos.toType(dtype, false);
            sin = sin.toType(dtype, false);
        }
        return new Table(cos, sin);
    }

    /**
     * Rotates {@code x} of shape {@code [N, ..., head_dim]} with a table whose rows are already
     * reshaped to broadcast against it ({@code [N, 1, ..., head_dim]}).
     */
    static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        int last = x.getShape().dimension() - 1;
        long half = x.getShape().get(last) / 2;
        NDList halves = x.split(new long[] {half}, last);
        NDArray rotated = halves.get(1).neg().concat(halves.get(0), last);
        return x.mul(cos).add(rotated.mul(sin));
    }

    public int headDim() {
        return headDim;
    }
}
