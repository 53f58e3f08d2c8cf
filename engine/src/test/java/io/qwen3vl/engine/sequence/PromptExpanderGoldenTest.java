package io.qwen3vl.engine.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qwen3vl.engine.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptExpanderGoldenTest {
    private static String read(String path) throws IOException {
        return Files.readString(TestData.golden(path));
    }

    @Test
    void imagePlaceholderExpandsToOnePadPerMergedPatch() throws IOException {
        // image grid [1, 14, 20] -> 14*20/4 = 70 tokens
        String expanded = PromptExpander.expand(read("image/chat_template_output.txt"), List.of(70), List.of());
        assertEquals(read("image/prompt.txt"), expanded);
    }

    @Test
    void videoPlaceholderExpandsToTimestampedBlocksPerTemporalPatch() throws IOException {
        // video grid [4, 6, 8] -> 4 blocks of 6*8/4 = 12 tokens
        var blocks = new PromptExpander.VideoBlocks(
                List.of("<0.3 seconds>", "<1.4 seconds>", "<2.5 seconds>", "<3.6 seconds>"), 12);
        assertEquals(read("video/prompt.txt"),
                PromptExpander.expand(read("video/chat_template_output.txt"), List.of(), List.of(blocks)));
    }

    @Test
    void placeholderAndMediaCountsMustAgree() throws IOException {
        String rendered = read("image/chat_template_output.txt");
        assertThrows(IllegalArgumentException.class, () -> PromptExpander.expand(rendered, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> PromptExpander.expand(rendered, List.of(70, 4), List.of()));
    }
}
