package io.qwen3vl.engine.media;

import io.qwen3vl.vision.ImageSize;
import io.qwen3vl.vision.PatchGrid;
import io.qwen3vl.vision.VisualPatches;
import java.util.List;

/**
 * One image or video ready for the vision encoder: its patch grid, its pixels (a video's decoded
 * on demand, see {@link Pixels}) and what a user needs to see to understand what the model saw
 * (sizes, sampled frames, timestamps). Closing it releases an open video.
 *
 * @param item     the message item it came from
 * @param grid     (temporal patches, rows, columns) in patches
 * @param original size of the decoded image / video frames
 * @param resized  size after smart resize (what the encoder sees)
 * @param video    sampling details for a video, null for an image
 * @param pixels   the normalised patches, by temporal patch
 */
public record PreparedMedia(MediaItem item, PatchGrid grid, ImageSize original, ImageSize resized,
                            VideoSampling video, Pixels pixels) implements AutoCloseable {

    /**
     * @param frameIndices   indices of the sampled frames in the source (before padding to even)
     * @param timestamps     seconds of each temporal patch (mean of its two frames)
     * @param timestampTexts the text the prompt carries before each temporal patch
     * @param fps            the source's frame rate
     * @param totalFrames    frames in the source
     */
    public record VideoSampling(int[] frameIndices, double[] timestamps, List<String> timestampTexts, double fps,
                                int totalFrames) {
        public VideoSampling {
            frameIndices = frameIndices.clone();
            timestamps = timestamps.clone();
            timestampTexts = List.copyOf(timestampTexts);
        }
    }

    public boolean isVideo() {
        return video != null;
    }

    /** Language-model tokens this medium occupies in the prompt. */
    public int tokens(int mergeSize) {
        return grid.tokenCount(mergeSize);
    }

    /** All patches at once (a video is decoded now). */
    public VisualPatches patches() {
        return pixels.temporal(0, grid.t());
    }

    @Override
    public void close() {
        pixels.close();
    }
}
