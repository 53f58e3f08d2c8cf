package io.qwen3vl.cli;

import io.qwen3vl.engine.request.PromptBuilder;
import io.qwen3vl.tokenizer.ChatTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What to ask: a prompt with media from the command line, or a Hugging Face chat-messages file.
 * Shared by {@code ask} and {@code prepare}, which must see exactly the same request.
 */
public final class PromptOptions {
    @Parameters(arity = "0..*", paramLabel = "PROMPT", description = "The question (words are joined with spaces).")
    List<String> prompt = new ArrayList<>();

    @Option(names = "--image", paramLabel = "FILE", description = "An image to show the model (repeatable; in order, before the prompt).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--video", paramLabel = "FILE|DIR", description = "A video file, or a folder of frame pictures (repeatable).")
    List<Path> videos = new ArrayList<>();

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message.")
    String system;

    @Option(names = "--messages", paramLabel = "FILE.json",
            description = "Chat messages in Hugging Face format; media paths are relative to the file.")
    Path messages;

    String promptText() {
        return String.join(" ", prompt).trim();
    }

    /** The chat messages and the folder their relative media paths are resolved against. */
    record Request(List<Object> messages, Path baseDir) {
    }

    Request request() {
        if (messages != null) {
            if (!prompt.isEmpty() || !images.isEmpty() || !videos.isEmpty() || system != null) {
                throw new UsageError("--messages already holds the whole conversation: drop the prompt, "
                        + "--image, --video and --system, or drop --messages");
            }
            if (!Files.isRegularFile(messages)) {
                throw new UsageError(messages + ": no such messages file");
            }
            Path dir = messages.toAbsolutePath().getParent();
            return new Request(ChatTemplate.parseMessages(messages), dir);
        }
        if (promptText().isEmpty() && images.isEmpty() && videos.isEmpty()) {
            throw new UsageError("nothing to ask: give a prompt (and --image/--video), or --messages FILE.json");
        }
        return new Request(PromptBuilder.userTurn(system, images, videos, promptText()), null);
    }
}
