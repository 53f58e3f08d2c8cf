package io.qwen3vl.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.checkpoint.WeightSource;

/**
 * Learned absolute position embeddings: a {@code side × side} table (48 × 48 in the released
 * checkpoints) bilinearly interpolated to each patch grid. The sample points are
 * {@code linspace(0, side − 1, h)} × {@code linspace(0, side − 1, w)} in float32, the four neighbours
 * are floor and floor + 1 (clamped to the table), and the weights are the float32 products of the
 * fractional parts, exactly as the reference {@code fast_pos_embed_interpolate}. The result is laid
 * out in merge-group order and repeated for every temporal patch.
 */
public final class VisionPositionEmbedding {
    private final NDArray table;
    private final int side;

    public VisionPositionEmbedding(NDArray table) {
        long n = table.getShape().get(0);
        int side = (int) Math.round(Math.sqrt(n));
        if ((long) side * side != n) {
            throw new IllegalArgumentException("position embedding table has " + n + " rows, not a square number");
        }
        this.table = table;
        this.side = side;
    }

    /** Loads {@code prefix.weight} ({@code [side², hidden]}). */
    public static VisionPositionEmbedding load(WeightSource source, String prefix, NDManager manager, DataType dtype) {
        return new VisionPositionEmbedding(source.load(prefix + ".weight", manager, dtype));
    }

    /**
     * Position embeddings {@code [t·h·w, hidden]} for one grid in merge-group order, owned by
     * {@code scope}.
     */
    public NDArray forward(GridThw grid, int merge, NDManager scope) {
        int h = grid.h();
        int w = grid.w();
        int n = h * w;
        MergeOrder order = MergeOrder.of(h, w, merge);
        float[] hPos = linspace(side - 1, h);
        float[] wPos = linspace(side - 1, w);
        long[] index = new long[4 * n];
        float[] weight = new float[4 * n];
        for (int i = 0; i < n; i++) {
            float y = hPos[order.rows[i]];
            float x = wPos[order.cols[i]];
            int y0 = (int) y;
            int x0 = (int) x;
            int y1 = Math.min(y0 + 1, side - 1);
            int x1 = Math.min(x0 + 1, side - 1);
            float dy = y - y0;
            float dx = x - x0;
            index[i] = (long) y0 * side + x0;
            index[n + i] = (long) y0 * side + x1;
            index[2 * n + i] = (long) y1 * side + x0;
            index[3 * n + i] = (long) y1 * side + x1;
            weight[i] = (1 - dy) * (1 - dx);
            weight[n + i] = (1 - dy) * dx;
            weight[2 * n + i] = dy * (1 - dx);
            weight[3 * n + i] = dy * dx;
        }
        NDArray idx = scope.create(index);
        NDArray corners = table.get(idx);
        corners.attach(scope); // indexing a weight puts the result in the weight's manager
        NDArray wts = scope.create(weight, new Shape(4, n, 1));
        if (table.getDataType() != DataType.FLOAT32) {
            wts = wts.toType(table.getDataType(), false);
        }
        NDArray weighted = corners.reshape(4, n, -1).mul(wts);
        // Summed in the reference's order: corner 0 + 1 + 2 + 3.
        NDArray frame = weighted.get(0).add(weighted.get(1)).add(weighted.get(2)).add(weighted.get(3));
        return grid.t() == 1 ? frame : frame.tile(new long[] {grid.t(), 1});
    }

    /**
     * torch.linspace(0, end, steps) in float32: the first half counts up from 0 by the step, the
     * second half counts down from {@code end}.
     */
    static float[] linspace(float end, int steps) {
        float[] out = new float[steps];
        if (steps == 1) {
            out[0] = 0f;
            return out;
        }
        float step = end / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            out[i] = i < halfway ? step * i : end - step * (steps - i - 1);
        }
        return out;
    }

    public int side() {
        return side;
    }
}
