package io.qwen3vl.engine.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.config.TextConfig;
import io.qwen3vl.models.nn.Linear;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The matrix-multiply throughput this machine reaches in the compute dtype, at the decoder's own
 * projection shapes and through the same dense-layer call the model makes ({@code x·Wᵀ} with the
 * weight in its {@code [out, in]} layout). Prefill and the vision encoder are measured against the
 * best of these shapes.
 *
 * @param flopsPerSecond best FLOP/s over the shapes and runs
 * @param bestShape      which shape reached it
 * @param byShape        best FLOP/s of every shape ("512x2048x6144" = rows × in × out)
 */
public record GemmPeak(double flopsPerSecond, String bestShape, Map<String, Double> byShape, DataType dtype) {

    /** Timed products per shape, whatever the phases' repeat count. */
    static final int PEAK_RUNS = 5;

    public static GemmPeak measure(NDManager manager, DataType dtype, TextConfig text, int rows, int repeats) {
        int hidden = text.hiddenSize();
        int attn = text.numAttentionHeads() * text.headDim();
        int[][] shapes = {
            {hidden, attn},                     // q_proj
            {hidden, text.intermediateSize()},  // gate_proj / up_proj
            {text.intermediateSize(), hidden},  // down_proj
        };
        Map<String, Double> byShape = new LinkedHashMap<>();
        String best = null;
        double bestRate = 0;
        for (int[] s : shapes) {
            String key = rows + "x" + s[0] + "x" + s[1];
            if (byShape.containsKey(key)) {
                continue;
            }
            double rate = measureShape(manager, dtype, rows, s[0], s[1], repeats);
            byShape.put(key, rate);
            if (rate > bestRate) {
                bestRate = rate;
                best = key;
            }
        }
        return new GemmPeak(bestRate, best, Collections.unmodifiableMap(byShape), dtype);
    }

    private static double measureShape(NDManager manager, DataType dtype, int rows, int in, int out, int repeats) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.randomNormal(0f, 1f, new Shape(rows, in), DataType.FLOAT32).toType(dtype, false);
            NDArray w = scope.randomNormal(0f, 0.02f, new Shape(out, in), DataType.FLOAT32).toType(dtype, false);
            Linear layer = new Linear(w, null);
            double flops = 2.0 * rows * in * out;
            // A peak is the best the machine does, not a typical run: at least PEAK_RUNS timed products,
            // so one disturbed run (a page-faulting first output, another process) cannot halve it.
            double[] rates = new double[Math.max(repeats, PEAK_RUNS)];
            for (int r = -1; r < rates.length; r++) { // r = -1: warm-up
                long start = System.nanoTime();
                try (NDArray y = layer.forward(x)) {
                    Stats.await(y);
                    double seconds = Stats.seconds(start);
                    if (r >= 0) {
                        rates[r] = flops / seconds;
                    }
                }
            }
            return java.util.Arrays.stream(rates).max().orElseThrow();
        }
    }
}
