package io.qwen3vl.engine.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/** Summaries of repeated timings. */
final class Stats {
    private Stats() {
    }

    static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    /**
     * Waits until {@code a} is computed. CPU ops are synchronous already; on a GPU reading one value
     * back is what makes the host wait for the queued kernels.
     */
    static void await(NDArray a) {
        if (a.getDevice().isGpu()) {
            try (NDArray s = a.sum()) {
                s.toType(DataType.FLOAT32, false).getFloat();
            }
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
