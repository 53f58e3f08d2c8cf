package io.qwen3vl.engine.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qwen3vl.engine.TestData;
import io.qwen3vl.engine.sequence.SpecialTokens;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.models.io.Npy;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VideoQuestionTest {
    private static final SpecialTokens SPECIAL = new SpecialTokens(151652, 151653, 151655, 151656);

    /** Everything but the question's words equals the processor's ids for the golden resized video. */
    @Test
    void layoutMatchesTheProcessorsTokenIds() throws IOException {
        long[] golden = Npy.read(TestData.golden("preprocess/video_resize/input_ids.npy")).longs();
        int[] expected = Arrays.stream(golden).mapToInt(Math::toIntExact).toArray();
        TokenSequence built = VideoQuestion.build(BenchVideo.ofFrames(36, 12.0, 100, 75), SPECIAL, 2);
        int[] ids = built.ids();
        int lastEnd = lastIndexOf(expected, SPECIAL.visionEnd());
        assertEquals(lastEnd, lastIndexOf(ids, SPECIAL.visionEnd()));
        assertArrayEquals(Arrays.copyOf(expected, lastEnd + 1), Arrays.copyOf(ids, lastEnd + 1), "video blocks");
        int tail = 5; // <|im_end|>\n<|im_start|>assistant\n
        assertArrayEquals(Arrays.copyOfRange(expected, expected.length - tail, expected.length),
                Arrays.copyOfRange(ids, ids.length - tail, ids.length), "generation prompt");
        assertEquals(3, built.spans().size());
    }

    private static int lastIndexOf(int[] ids, int id) {
        for (int i = ids.length - 1; i >= 0; i--) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }
}
