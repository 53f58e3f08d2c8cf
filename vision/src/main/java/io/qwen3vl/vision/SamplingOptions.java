package io.qwen3vl.vision;

/**
 * How many frames to take from a video: either a sampling rate ({@code fps}, frames per second of
 * video, default 2) or a fixed {@code numFrames}, never both. {@code minFrames}/{@code maxFrames}
 * clamp the count derived from {@code fps} (as upstream, they do not apply to an explicit
 * {@code numFrames}).
 *
 * @param fps       sampled frames per second of video, or null when {@code numFrames} is given
 * @param numFrames exact number of frames, or null to derive it from {@code fps}
 */
public record SamplingOptions(SamplerMode mode, Double fps, Integer numFrames, int minFrames, int maxFrames) {
    public static final double DEFAULT_FPS = 2.0;
    public static final int DEFAULT_MIN_FRAMES = 4;
    public static final int DEFAULT_MAX_FRAMES = 768;

    public SamplingOptions {
        if (mode == null) {
            throw new IllegalArgumentException("sampler mode must be given");
        }
        if (fps != null && numFrames != null) {
            throw new IllegalArgumentException(
                    "fps (" + fps + ") and number of frames (" + numFrames + ") are mutually exclusive: give only one");
        }
        if (fps == null && numFrames == null) {
            fps = DEFAULT_FPS;
        }
        if (fps != null && !(fps > 0 && Double.isFinite(fps))) {
            throw new IllegalArgumentException("sampling fps must be a positive number, got " + fps);
        }
        if (numFrames != null && numFrames < 1) {
            throw new IllegalArgumentException("number of frames must be at least 1, got " + numFrames);
        }
        if (minFrames < 1) {
            throw new IllegalArgumentException("min frames must be at least 1, got " + minFrames);
        }
        if (maxFrames < minFrames) {
            throw new IllegalArgumentException("max frames (" + maxFrames + ") is below min frames (" + minFrames + ")");
        }
    }

    /** 2 frames per second, 4 to 768 frames, transformers rules. */
    public static SamplingOptions defaults() {
        return new SamplingOptions(SamplerMode.TRANSFORMERS, DEFAULT_FPS, null, DEFAULT_MIN_FRAMES, DEFAULT_MAX_FRAMES);
    }

    public SamplingOptions withMode(SamplerMode newMode) {
        return new SamplingOptions(newMode, fps, numFrames, minFrames, maxFrames);
    }

    /** Sample at this rate (drops a fixed frame count). */
    public SamplingOptions withFps(double newFps) {
        return new SamplingOptions(mode, newFps, null, minFrames, maxFrames);
    }

    /** Sample exactly this many frames (drops the rate). */
    public SamplingOptions withNumFrames(int count) {
        return new SamplingOptions(mode, null, count, minFrames, maxFrames);
    }

    public SamplingOptions withFrameRange(int min, int max) {
        return new SamplingOptions(mode, fps, numFrames, min, max);
    }
}
