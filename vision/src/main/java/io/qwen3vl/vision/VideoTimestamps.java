package io.qwen3vl.vision;

/**
 * The time of each temporal patch, as transformers' {@code Qwen3VLProcessor._calculate_timestamps}
 * computes it: pad the sampled indices to a multiple of the temporal patch size by repeating the
 * last one, take each frame's time {@code index / videoFps} (float64), and give every patch the
 * mean of its first and last frame's time.
 */
public final class VideoTimestamps {
    private VideoTimestamps() {
    }

    /** One timestamp in seconds per temporal patch of {@code temporalPatchSize} frames. */
    public static double[] perTemporalPatch(int[] frameIndices, double videoFps, int temporalPatchSize) {
        if (frameIndices.length == 0) {
            throw new IllegalArgumentException("no frame indices");
        }
        if (temporalPatchSize < 1) {
            throw new IllegalArgumentException("temporal patch size must be positive, got " + temporalPatchSize);
        }
        int patches = (frameIndices.length + temporalPatchSize - 1) / temporalPatchSize;
        double[] times = new double[patches];
        for (int p = 0; p < patches; p++) {
            int first = frameIndices[p * temporalPatchSize];
            int lastPosition = Math.min((p + 1) * temporalPatchSize, frameIndices.length) - 1;
            // Past the end the padded index is the repeated last one.
            int last = frameIndices[lastPosition];
            times[p] = (first / videoFps + last / videoFps) / 2;
        }
        return times;
    }
}
