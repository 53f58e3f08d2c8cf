package io.qwen3vl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qwen3vl.tokenizer.jinja.TemplateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Qwen3-VL Instruct template (the tiny checkpoint's) on conversations beyond the goldens. */
class ChatTemplateTest {
    private static final ChatTemplate INSTRUCT = ChatTemplate.load(TestData.tinyModel());

    @Test
    void systemMessageAndMultiTurnWithStringAndListContent() {
        List<Object> messages = ChatTemplate.parseMessages("["
                + "{\"role\": \"system\", \"content\": \"Be brief.\"},"
                + "{\"role\": \"user\", \"content\": \"Hi\"},"
                + "{\"role\": \"assistant\", \"content\": \"Hello!\"},"
                + "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"And?\"}]},"
                + "{\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"Done.\"}]},"
                + "{\"role\": \"user\", \"content\": \"Bye\"}]");
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHello!<|im_end|>\n"
                + "<|im_start|>user\nAnd?<|im_end|>\n"
                + "<|im_start|>assistant\nDone.<|im_end|>\n"
                + "<|im_start|>user\nBye<|im_end|>\n"
                + "<|im_start|>assistant\n", INSTRUCT.render(messages, true, Map.of()));
    }

    @Test
    void visionIdsNumberImagesAndVideosAcrossTurns() {
        List<Object> messages = ChatTemplate.parseMessages("["
                + "{\"role\": \"user\", \"content\": [{\"type\": \"image\", \"image\": \"a.png\"},"
                + " {\"type\": \"image\", \"image\": \"b.png\"}, {\"type\": \"video\", \"video\": \"v.mp4\"},"
                + " {\"type\": \"text\", \"text\": \"Compare.\"}]},"
                + "{\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"They differ.\"}]},"
                + "{\"role\": \"user\", \"content\": [{\"type\": \"image\", \"image\": \"c.png\"},"
                + " {\"type\": \"text\", \"text\": \"Now?\"}]}]");
        String expected = "<|im_start|>user\n"
                + "Picture 1: <|vision_start|><|image_pad|><|vision_end|>"
                + "Picture 2: <|vision_start|><|image_pad|><|vision_end|>"
                + "Video 1: <|vision_start|><|video_pad|><|vision_end|>Compare.<|im_end|>\n"
                + "<|im_start|>assistant\nThey differ.<|im_end|>\n"
                + "<|im_start|>user\nPicture 3: <|vision_start|><|image_pad|><|vision_end|>Now?<|im_end|>\n";
        assertEquals(expected, INSTRUCT.render(messages, false, Map.of("add_vision_id", true)));
        // Without add_vision_id the same conversation has no labels.
        assertEquals(expected.replaceAll("(Picture|Video) \\d: ", ""), INSTRUCT.render(messages, false, Map.of()));
    }

    @Test
    void toolsAreListedAsJsonInTheSystemTurn() {
        List<Object> messages = ChatTemplate.parseMessages("[{\"role\": \"user\", \"content\": \"Weather?\"}]");
        List<Object> tools = ChatTemplate.parseMessages(
                "[{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"days\": 3,"
                        + " \"parameters\": {\"city\": \"string\", \"note\": \"“quoted” \\\"x\\\"\"}}}]");
        String rendered = INSTRUCT.render(messages, true, Map.of("tools", tools));
        assertTrue(rendered.startsWith("<|im_start|>system\n# Tools\n\nYou may call one or more functions"),
                rendered);
        assertTrue(rendered.contains("<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"get_weather\","
                + " \"days\": 3, \"parameters\": {\"city\": \"string\", \"note\": \"“quoted” \\\"x\\\"\"}}}\n</tools>"),
                rendered);
        assertTrue(rendered.endsWith("</tool_call><|im_end|>\n<|im_start|>user\nWeather?<|im_end|>\n"
                + "<|im_start|>assistant\n"), rendered);
    }

    @Test
    void withoutGenerationPromptTheLastTurnIsClosed() {
        List<Object> messages = ChatTemplate.parseMessages("[{\"role\": \"user\", \"content\": \"Hi\"}]");
        assertEquals("<|im_start|>user\nHi<|im_end|>\n", INSTRUCT.render(messages, false, Map.of()));
    }

    @Test
    void parsedNumbersStayIntegers() {
        List<Object> messages = ChatTemplate.parseMessages("[{\"role\": \"user\", \"n\": 1, \"f\": 1.5, \"big\": 1e20}]");
        Map<?, ?> message = (Map<?, ?>) messages.get(0);
        assertInstanceOf(Long.class, message.get("n"));
        ChatTemplate template = ChatTemplate.of("numbers", "{{ messages[0].n }} {{ messages[0].f }} {{ messages[0].big }}"
                + " {{ messages[0] | tojson }}");
        assertEquals("1 1.5 1e+20 {\"role\": \"user\", \"n\": 1, \"f\": 1.5, \"big\": 1e+20}",
                template.render(messages, false, Map.of()));
    }

    @Test
    void messagesBuiltByHandWithJavaIntegersRenderLikeParsedOnes() {
        List<Object> messages = List.of(Map.of("role", "user", "content", "x", "n", 7));
        ChatTemplate template = ChatTemplate.of("ints", "{{ messages[0].n + 1 }}|{{ messages[0].n / 2 }}");
        assertEquals("8|3.5", template.render(messages, false, Map.of()));
    }

    @Test
    void unsupportedConstructIsAClearErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("chat_template.json"),
                "{\"chat_template\": \"{% for m in messages %}\\n{% include 'other.jinja' %}{% endfor %}\"}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> ChatTemplate.load(dir));
        assertEquals(dir.resolve("chat_template.json") + ":2: unsupported Jinja statement {% include %}",
                e.getMessage());
    }

    @Test
    void unsupportedFilterIsNamed() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> ChatTemplate.of("t.jinja", "{{ messages | wordcount }}"));
        assertEquals("t.jinja:1: unsupported filter 'wordcount'", e.getMessage());
    }

    @Test
    void raiseExceptionInTheTemplateStopsRendering() {
        ChatTemplate template = ChatTemplate.of("strict.jinja",
                "{% if messages[0].role != 'user' %}\n{{ raise_exception('first message must be from the user') }}"
                        + "{% endif %}");
        TemplateException e = assertThrows(TemplateException.class,
                () -> template.render(List.of(Map.of("role", "assistant", "content", "x")), false, Map.of()));
        assertEquals("strict.jinja:2: template raised an exception: first message must be from the user",
                e.getMessage());
    }

    @Test
    void missingTemplateIsAClearError(@TempDir Path dir) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> ChatTemplate.load(dir));
        assertTrue(e.getMessage().startsWith(dir + ": no chat template"), e.getMessage());
    }

    @Test
    void corruptChatTemplateJsonNamesTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("chat_template.json"), "{\"chat_template\": ");
        TokenizerException e = assertThrows(TokenizerException.class, () -> ChatTemplate.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("chat_template.json") + ": not valid JSON"), e.getMessage());
    }

    @Test
    void tokenizerConfigWithNamedTemplatesUsesTheDefaultOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|im_end|>\", \"chat_template\": ["
                + "{\"name\": \"tool_use\", \"template\": \"tools\"},"
                + "{\"name\": \"default\", \"template\": \"{{ messages[0].content }}{{ eos_token }}\"}]}");
        ChatTemplate template = ChatTemplate.load(dir);
        assertEquals("hi<|im_end|>", template.render(List.of(Map.of("role", "user", "content", "hi")), false,
                Map.of()));
    }

    @Test
    void chatTemplateJinjaFileWinsOverJson(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("chat_template.jinja"), "jinja {{ add_generation_prompt }}\n");
        Files.writeString(dir.resolve("chat_template.json"), "{\"chat_template\": \"json\"}");
        assertEquals("jinja True", ChatTemplate.load(dir).render(List.of(), true, Map.of()));
    }

    @Test
    void messagesFileThatIsNotAnArrayNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("messages.json");
        Files.writeString(file, "{\"role\": \"user\"}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> ChatTemplate.parseMessages(file));
        assertEquals(file + ": chat messages must be a JSON array", e.getMessage());
    }
}
