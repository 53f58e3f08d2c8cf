package io.qwen3vl.engine.sequence;

/** The token ids that frame vision content in a Qwen3-VL prompt. */
public record SpecialTokens(int visionStart, int visionEnd, int imagePad, int videoPad) {
    public static final String VISION_START = "<|vision_start|>";
    public static final String VISION_END = "<|vision_end|>";
    public static final String IMAGE_PAD = "<|image_pad|>";
    public static final String VIDEO_PAD = "<|video_pad|>";
}
