package io.qwen3vl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatTemplateGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"text", "image", "video", "preprocess/video_resize"})
    void goldenMessagesRenderToGoldenTemplateOutput(String prompt) throws IOException {
        Path dir = TestData.golden(prompt);
        List<Object> messages = ChatTemplate.parseMessages(dir.resolve("messages.json"));
        String expected = Files.readString(dir.resolve("chat_template_output.txt"), StandardCharsets.UTF_8);
        ChatTemplate template = ChatTemplate.load(TestData.tinyModel());
        assertEquals(expected, template.render(messages, true, Map.of()));
    }
}
