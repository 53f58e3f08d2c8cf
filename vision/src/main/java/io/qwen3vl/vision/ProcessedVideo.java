package io.qwen3vl.vision;

/**
 * A video ready for the vision tower, with what the prompt needs to describe it.
 *
 * @param patches      normalised patches, grid (temporal patches, rows, columns) in 16-px patches
 * @param frameIndices the sampled frame indices (before padding an odd count)
 * @param timestamps   seconds per temporal patch (mean of its first and last frame's time)
 * @param videoFps     the source's native frame rate
 * @param totalFrames  the source's frame count
 * @param original     the source frame size
 * @param resized      the frame size fed to the patchifier
 */
public record ProcessedVideo(VisualPatches patches, int[] frameIndices, double[] timestamps, double videoFps,
                             int totalFrames, ImageSize original, ImageSize resized) {

    public PatchGrid grid() {
        return patches.grid();
    }

    /** The prompt text for temporal patch {@code t}, e.g. {@code <1.4 seconds>}. */
    public String timestampText(int t, TimestampFormat format) {
        return format.format(timestamps[t]);
    }
}
