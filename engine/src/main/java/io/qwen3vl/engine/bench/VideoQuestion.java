package io.qwen3vl.engine.bench;

import io.qwen3vl.engine.sequence.SpecialTokens;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.models.vision.GridThw;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The token ids of a one-video question as the chat template and the processor lay it out, without
 * needing a tokenizer: {@code <|im_start|>user\n}, then per temporal patch its timestamp text
 * {@code <t.t seconds>} (Qwen's tokenizer splits digits, so the ids are known) followed by
 * {@code <|vision_start|>}, h·w/4 {@code <|video_pad|>} and {@code <|vision_end|>}, then a short
 * question and {@code <|im_end|>\n<|im_start|>assistant\n}. The question's word ids are
 * placeholders; only the length and the vision layout matter for timing.
 */
public final class VideoQuestion {
    private static final int IM_START = 151644;
    private static final int IM_END = 151645;
    private static final int USER = 872;
    private static final int ASSISTANT = 77091;
    private static final int NEWLINE = 198;
    private static final int LESS = 27;
    private static final int GREATER = 29;
    private static final int DOT = 13;
    private static final int DIGIT_ZERO = 15;
    private static final int SECONDS = 6486;
    /** "Describe what happens in this video." is 7 tokens; any ordinary ids do. */
    private static final int[] QUESTION = {74785, 1128, 8573, 304, 419, 2766, 13};

    private VideoQuestion() {
    }

    public static TokenSequence build(BenchVideo video, SpecialTokens special, int merge) {
        GridThw g = video.grid();
        int pads = g.h() * g.w() / (merge * merge);
        List<Integer> ids = new ArrayList<>();
        ids.add(IM_START);
        ids.add(USER);
        ids.add(NEWLINE);
        for (double t : video.patchSeconds()) {
            ids.add(LESS);
            // Python's "{:.1f}" rounds half to even on the exact binary value.
            String text = new BigDecimal(t).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
            for (char ch : text.toCharArray()) {
                ids.add(ch == '.' ? DOT : DIGIT_ZERO + (ch - '0'));
            }
            ids.add(SECONDS);
            ids.add(GREATER);
            ids.add(special.visionStart());
            for (int i = 0; i < pads; i++) {
                ids.add(special.videoPad());
            }
            ids.add(special.visionEnd());
        }
        for (int q : QUESTION) {
            ids.add(q);
        }
        ids.add(IM_END);
        ids.add(NEWLINE);
        ids.add(IM_START);
        ids.add(ASSISTANT);
        ids.add(NEWLINE);
        int[] array = ids.stream().mapToInt(Integer::intValue).toArray();
        return TokenSequence.locate(array, special, List.of(),
                List.of(new int[] {g.t(), g.h() / merge, g.w() / merge}));
    }
}
