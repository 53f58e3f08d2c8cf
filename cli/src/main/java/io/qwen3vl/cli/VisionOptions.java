package io.qwen3vl.cli;

import io.qwen3vl.engine.media.MediaOptions;
import io.qwen3vl.vision.AlphaMode;
import io.qwen3vl.vision.SamplerMode;
import io.qwen3vl.vision.SamplingOptions;
import io.qwen3vl.vision.TimestampFormat;
import io.qwen3vl.vision.VideoOptions;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How images and videos are turned into patches: pixel budgets, frame sampling and the timestamp
 * text. Defaults come from the checkpoint's preprocessor configs; each option overrides one value.
 */
public final class VisionOptions {
    @Option(names = "--min-pixels", paramLabel = "N", description = "Smallest image area after resizing (default: preprocessor_config.json).")
    Long minPixels;

    @Option(names = "--max-pixels", paramLabel = "N", description = "Largest image area after resizing (default: preprocessor_config.json).")
    Long maxPixels;

    @Option(names = "--alpha", paramLabel = "drop|white", defaultValue = "drop",
            description = "Transparent images: drop alpha like transformers (default) or composite on white like qwen-vl-utils.")
    String alpha;

    @Option(names = "--fps", paramLabel = "F", description = "Frames sampled per second of video (default: 2).")
    Double fps;

    @Option(names = "--num-frames", paramLabel = "N", description = "Sample exactly N frames instead of --fps.")
    Integer numFrames;

    @Option(names = "--min-frames", paramLabel = "N", description = "Fewest frames sampled from a video (default: 4).")
    Integer minFrames;

    @Option(names = "--max-frames", paramLabel = "N", description = "Most frames sampled from a video (default: 768).")
    Integer maxFrames;

    @Option(names = "--video-min-pixels", paramLabel = "N", description = "Smallest area of each video frame after resizing.")
    Long videoMinPixels;

    @Option(names = "--video-max-pixels", paramLabel = "N", description = "Largest area of each video frame after resizing.")
    Long videoMaxPixels;

    @Option(names = "--video-total-pixels", paramLabel = "N", description = "Budget for all sampled frames of a video together.")
    Long videoTotalPixels;

    @Option(names = "--sampler", paramLabel = "transformers|qwen-vl-utils", defaultValue = "transformers",
            description = "Frame sampling and budget rules: the checkpoint's video processor (default) or qwen-vl-utils.")
    String sampler;

    @Option(names = "--frames-fps", paramLabel = "F", defaultValue = "2",
            description = "Frame rate of a video given as a folder of pictures (default: ${DEFAULT-VALUE}).")
    double framesFps;

    @Option(names = "--timestamp-format", paramLabel = "seconds|hms", defaultValue = "seconds",
            description = "Timestamp text before each video frame pair: <3.0 seconds> (default, as trained) or <00:00:03.0>.")
    String timestampFormat;

    @Option(names = "--add-vision-id", description = "Label media in the prompt (\"Picture 1:\", \"Video 1:\").")
    boolean addVisionId;

    /** These options as the engine's media options; a bad combination is a usage error. */
    MediaOptions toMediaOptions() {
        try {
            SamplerMode mode = switch (sampler.trim().toLowerCase(Locale.ROOT)) {
                case "transformers" -> SamplerMode.TRANSFORMERS;
                case "qwen-vl-utils", "qwen_vl_utils" -> SamplerMode.QWEN_VL_UTILS;
                default -> throw new UsageError("--sampler must be transformers or qwen-vl-utils, not '" + sampler + "'");
            };
            SamplingOptions sampling = new SamplingOptions(mode, numFrames == null && fps == null
                    ? Double.valueOf(SamplingOptions.DEFAULT_FPS) : fps, numFrames,
                    minFrames != null ? minFrames : SamplingOptions.DEFAULT_MIN_FRAMES,
                    maxFrames != null ? maxFrames : SamplingOptions.DEFAULT_MAX_FRAMES);
            VideoOptions video = new VideoOptions(sampling, videoMaxPixels, videoTotalPixels, videoMinPixels);
            AlphaMode alphaMode = switch (alpha.trim().toLowerCase(Locale.ROOT)) {
                case "drop" -> AlphaMode.DROP;
                case "white" -> AlphaMode.WHITE;
                default -> throw new UsageError("--alpha must be drop or white, not '" + alpha + "'");
            };
            TimestampFormat format = switch (timestampFormat.trim().toLowerCase(Locale.ROOT)) {
                case "seconds" -> TimestampFormat.SECONDS;
                case "hms" -> TimestampFormat.HMS;
                default -> throw new UsageError("--timestamp-format must be seconds or hms, not '" + timestampFormat + "'");
            };
            return new MediaOptions(minPixels, maxPixels, alphaMode, video, framesFps, format, addVisionId);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }
}
