package io.qwen3vl.vision;

/**
 * What a video will become, known before any pixel is decoded: the sampled frames, their
 * timestamps and the common frame size, hence the patch grid. Lets a prompt be built (and shown by
 * {@code prepare}) from the container's metadata alone, and the frames be decoded later, chunk by
 * chunk, while the vision encoder works on the previous chunk.
 *
 * @param frameIndices sampled frame indices (before padding an odd count)
 * @param timestamps   seconds per temporal patch (mean of its two frames' times)
 * @param videoFps     the source's native frame rate
 * @param totalFrames  frames in the source
 * @param original     source frame size
 * @param resized      frame size after smart resize
 * @param grid         (temporal patches, rows, columns) in patches
 */
public record VideoPlan(int[] frameIndices, double[] timestamps, double videoFps, int totalFrames, ImageSize original,
                        ImageSize resized, PatchGrid grid) {
    public VideoPlan {
        frameIndices = frameIndices.clone();
        timestamps = timestamps.clone();
    }

    @Override
    public int[] frameIndices() {
        return frameIndices.clone();
    }

    @Override
    public double[] timestamps() {
        return timestamps.clone();
    }

    /** The prompt text for temporal patch {@code t}, e.g. {@code <1.4 seconds>}. */
    public String timestampText(int t, TimestampFormat format) {
        return format.format(timestamps[t]);
    }
}
