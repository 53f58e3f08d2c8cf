package io.qwen3vl.vision;

/**
 * The patch grid of one image or video, counted in patches before merging: {@code t} temporal
 * patches (groups of {@code temporal_patch_size} frames), {@code h} rows and {@code w} columns of
 * {@code patch_size}-pixel patches. This is the reference's {@code image_grid_thw}/{@code video_grid_thw}.
 */
public record PatchGrid(int t, int h, int w) {
    public PatchGrid {
        if (t <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("patch grid must be positive, got t=" + t + " h=" + h + " w=" + w);
        }
    }

    /** Number of patches (rows of the pixel-value matrix): t·h·w. */
    public int patchCount() {
        return Math.multiplyExact(Math.multiplyExact(t, h), w);
    }

    /** Number of vision tokens after {@code mergeSize}×{@code mergeSize} merging: t·h·w / merge². */
    public int tokenCount(int mergeSize) {
        return patchCount() / (mergeSize * mergeSize);
    }
}
