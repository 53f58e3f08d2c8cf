package io.qwen3vl.engine.media;

import io.qwen3vl.vision.AlphaMode;
import io.qwen3vl.vision.TimestampFormat;
import io.qwen3vl.vision.VideoOptions;
import io.qwen3vl.vision.VideoReader;

/**
 * How a request's images and videos are prepared. Null pixel budgets take the checkpoint's
 * preprocessor configs; a message item's own keys ({@code min_pixels}, {@code fps}, ...) override
 * these for that item.
 *
 * @param minPixels       image area lower bound after resizing, or null
 * @param maxPixels       image area upper bound after resizing, or null
 * @param alpha           transparent images: drop alpha (transformers) or composite on white
 * @param video           frame sampling and video budgets
 * @param framesFps       frame rate of a video given as a folder or list of pictures
 * @param timestampFormat text written before each temporal patch of a video
 * @param addVisionId     label media "Picture 1:", "Video 1:" in the prompt
 */
public record MediaOptions(Long minPixels, Long maxPixels, AlphaMode alpha, VideoOptions video, double framesFps,
                           TimestampFormat timestampFormat, boolean addVisionId) {
    public MediaOptions {
        if (minPixels != null && minPixels <= 0 || maxPixels != null && maxPixels <= 0) {
            throw new IllegalArgumentException("image pixel budgets must be positive");
        }
        if (minPixels != null && maxPixels != null && minPixels > maxPixels) {
            throw new IllegalArgumentException("--min-pixels " + minPixels + " exceeds --max-pixels " + maxPixels);
        }
        if (!(framesFps > 0) || !Double.isFinite(framesFps)) {
            throw new IllegalArgumentException("frame rate of picture folders must be positive, got " + framesFps);
        }
    }

    /** The checkpoint's budgets, 2-FPS transformers sampling, seconds timestamps. */
    public static MediaOptions defaults() {
        return new MediaOptions(null, null, AlphaMode.DROP, VideoOptions.defaults(), VideoReader.DEFAULT_FOLDER_FPS,
                TimestampFormat.SECONDS, false);
    }
}
