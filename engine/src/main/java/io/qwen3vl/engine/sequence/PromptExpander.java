package io.qwen3vl.engine.sequence;

import java.util.List;

/**
 * Expands the vision placeholders of a rendered chat template into the text the model reads, as the
 * official processor does: each image's {@code <|image_pad|>} becomes one pad per vision token, and
 * each video's {@code <|vision_start|><|video_pad|><|vision_end|>} becomes, per temporal patch, that
 * patch's timestamp text followed by its own start / pads / end block. The expanded text is then
 * tokenized as a whole, so token boundaries are exactly those of the reference.
 */
public final class PromptExpander {
    private static final String VIDEO_PLACEHOLDER =
            SpecialTokens.VISION_START + SpecialTokens.VIDEO_PAD + SpecialTokens.VISION_END;

    private PromptExpander() {
    }

    /** A video as the prompt shows it: one timestamp text per temporal patch, same pads per patch. */
    public record VideoBlocks(List<String> timestamps, int tokensPerPatch) {
    }

    /**
     * @param rendered    the chat template's output
     * @param imageTokens number of vision tokens of each image, in prompt order
     * @param videos      the blocks of each video, in prompt order
     */
    public static String expand(String rendered, List<Integer> imageTokens, List<VideoBlocks> videos) {
        StringBuilder out = new StringBuilder(rendered.length() + 64);
        int image = 0;
        int video = 0;
        int i = 0;
        while (i < rendered.length()) {
            if (rendered.startsWith(VIDEO_PLACEHOLDER, i)) {
                if (video >= videos.size()) {
                    throw new IllegalArgumentException("the prompt has more video placeholders than videos ("
                            + videos.size() + ")");
                }
                VideoBlocks v = videos.get(video++);
                for (String timestamp : v.timestamps()) {
                    out.append(timestamp).append(SpecialTokens.VISION_START);
                    out.append(SpecialTokens.VIDEO_PAD.repeat(v.tokensPerPatch()));
                    out.append(SpecialTokens.VISION_END);
                }
                i += VIDEO_PLACEHOLDER.length();
            } else if (rendered.startsWith(SpecialTokens.IMAGE_PAD, i)) {
                if (image >= imageTokens.size()) {
                    throw new IllegalArgumentException("the prompt has more image placeholders than images ("
                            + imageTokens.size() + ")");
                }
                out.append(SpecialTokens.IMAGE_PAD.repeat(imageTokens.get(image++)));
                i += SpecialTokens.IMAGE_PAD.length();
            } else {
                out.append(rendered.charAt(i++));
            }
        }
        if (image != imageTokens.size() || video != videos.size()) {
            throw new IllegalArgumentException("the prompt has " + image + " image and " + video
                    + " video placeholder(s) for " + imageTokens.size() + " image(s) and " + videos.size()
                    + " video(s)");
        }
        return out.toString();
    }
}
