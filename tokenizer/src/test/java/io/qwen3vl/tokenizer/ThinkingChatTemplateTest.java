package io.qwen3vl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Qwen3-VL Thinking template (test resource qwen3vl-thinking/): reasoning is kept only for
 * assistant turns after the last user query, taken from {@code reasoning_content} or split off
 * {@code <think>...</think>} in the content, and the generation prompt opens a think block.
 */
class ThinkingChatTemplateTest {
    private static ChatTemplate thinking;

    @BeforeAll
    static void load() throws URISyntaxException {
        Path dir = Path.of(ThinkingChatTemplateTest.class.getResource("/qwen3vl-thinking/chat_template.json").toURI())
                .getParent();
        thinking = ChatTemplate.load(dir);
    }

    @Test
    void generationPromptOpensAThinkBlock() {
        List<Object> messages = ChatTemplate.parseMessages("[{\"role\": \"user\", \"content\": [{\"type\": \"image\","
                + " \"image\": \"x.png\"}, {\"type\": \"text\", \"text\": \"What is it?\"}]}]");
        assertEquals("<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>What is it?<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\n", thinking.render(messages, true, Map.of()));
    }

    @Test
    void historicalReasoningIsDroppedAndTheLastAnswerKeepsIt() {
        List<Object> messages = ChatTemplate.parseMessages("["
                + "{\"role\": \"user\", \"content\": \"Q1\"},"
                + "{\"role\": \"assistant\", \"content\": \"<think>\\nr1\\n</think>\\n\\nA1\"},"
                + "{\"role\": \"user\", \"content\": \"Q2\"},"
                + "{\"role\": \"assistant\", \"content\": \"<think>\\nr2\\n</think>\\n\\nA2\"}]");
        assertEquals("<|im_start|>user\nQ1<|im_end|>\n"
                + "<|im_start|>assistant\nA1<|im_end|>\n"
                + "<|im_start|>user\nQ2<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\nr2\n</think>\n\nA2<|im_end|>\n",
                thinking.render(messages, false, Map.of()));
    }

    @Test
    void reasoningContentFieldBeforeTheLastQueryIsDropped() {
        List<Object> messages = ChatTemplate.parseMessages("["
                + "{\"role\": \"user\", \"content\": \"Q1\"},"
                + "{\"role\": \"assistant\", \"content\": \"A1\", \"reasoning_content\": \"R1\"},"
                + "{\"role\": \"user\", \"content\": \"Q2\"}]");
        assertEquals("<|im_start|>user\nQ1<|im_end|>\n"
                + "<|im_start|>assistant\nA1<|im_end|>\n"
                + "<|im_start|>user\nQ2<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\n", thinking.render(messages, true, Map.of()));
    }

    @Test
    void toolCallTurnsAfterTheQueryKeepReasoningOnlyWhereThereIsSome() {
        List<Object> messages = ChatTemplate.parseMessages("["
                + "{\"role\": \"user\", \"content\": \"Q\"},"
                + "{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"function\": {\"name\": \"get\","
                + " \"arguments\": {\"city\": \"Paris\"}}}]},"
                + "{\"role\": \"tool\", \"content\": \"sunny\"},"
                + "{\"role\": \"assistant\", \"content\": \"Done.\", \"reasoning_content\": \"R\"}]");
        assertEquals("<|im_start|>user\nQ<|im_end|>\n"
                + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get\", \"arguments\": {\"city\": \"Paris\"}}\n"
                + "</tool_call><|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\nsunny\n</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n<think>\nR\n</think>\n\nDone.<|im_end|>\n",
                thinking.render(messages, false, Map.of()));
    }

    @Test
    void systemPromptIsMergedIntoTheToolsBlock() {
        List<Object> messages = ChatTemplate.parseMessages("["
                + "{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\": \"Q\"}]");
        List<Object> tools = ChatTemplate.parseMessages("[{\"name\": \"f\"}]");
        assertEquals("<|im_start|>system\nS\n\n# Tools\n\nYou may call one or more functions to assist with the"
                + " user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n"
                + "<tools>\n{\"name\": \"f\"}\n</tools>\n\nFor each function call, return a json object with"
                + " function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n"
                + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\n",
                thinking.render(messages, true, Map.of("tools", tools)));
    }
}
