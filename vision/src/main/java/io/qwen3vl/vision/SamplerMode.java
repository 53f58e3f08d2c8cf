package io.qwen3vl.vision;

/**
 * Which official rule set picks the frames of a video. They agree on short clips and differ in
 * three ways: frame counts (transformers may sample an odd count and pads the last frame;
 * qwen-vl-utils always samples an even count), the index arithmetic (float64 numpy linspace vs
 * float32 torch linspace, which round differently on long videos) and the pixel budget.
 */
public enum SamplerMode {
    /** transformers {@code Qwen3VLVideoProcessor.sample_frames}: what the checkpoint's processor does. */
    TRANSFORMERS,
    /** qwen-vl-utils {@code smart_nframes} + {@code torch.linspace(...).round()} (the Qwen README path). */
    QWEN_VL_UTILS
}
