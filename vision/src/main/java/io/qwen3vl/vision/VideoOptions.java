package io.qwen3vl.vision;

/**
 * What to take from a video and at which resolution. Pixel budgets left null come from the rule
 * set of the sampler mode: in {@link SamplerMode#TRANSFORMERS} the checkpoint's
 * {@code video_preprocessor_config.json} ({@code size.shortest_edge} = min pixels,
 * {@code size.longest_edge} = budget for all frames together, T×H×W); in
 * {@link SamplerMode#QWEN_VL_UTILS} qwen-vl-utils' constants (min 128·32², total 128000·32²·0.9,
 * per frame at most 768·32² and at most the total's even share).
 *
 * @param sampling    frame selection
 * @param maxPixels   per-frame pixel cap ({@code --video-max-pixels}); in TRANSFORMERS mode it caps the
 *                    T×H×W budget at {@code maxPixels × frames}, the way upstream's
 *                    {@code cap_pixels_per_frame} applies a per-frame limit
 * @param totalPixels budget for the whole clip ({@code --video-total-pixels}); TRANSFORMERS: replaces
 *                    {@code size.longest_edge}; QWEN_VL_UTILS: replaces {@code total_pixels}
 * @param minPixels   lower bound ({@code --video-min-pixels})
 */
public record VideoOptions(SamplingOptions sampling, Long maxPixels, Long totalPixels, Long minPixels) {
    public VideoOptions {
        if (sampling == null) {
            throw new IllegalArgumentException("sampling options must be given");
        }
        requirePositive("video max pixels", maxPixels);
        requirePositive("video total pixels", totalPixels);
        requirePositive("video min pixels", minPixels);
        if (maxPixels != null && minPixels != null && minPixels > maxPixels) {
            throw new IllegalArgumentException("video min pixels (" + minPixels + ") exceed max pixels (" + maxPixels + ")");
        }
    }

    /** Default sampling (2 fps, transformers rules) and the checkpoint's budgets. */
    public static VideoOptions defaults() {
        return new VideoOptions(SamplingOptions.defaults(), null, null, null);
    }

    public static VideoOptions of(SamplingOptions sampling) {
        return new VideoOptions(sampling, null, null, null);
    }

    public SamplerMode mode() {
        return sampling.mode();
    }

    private static void requirePositive(String name, Long value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
