package io.qwen3vl.tokenizer;

import java.nio.file.Path;

/**
 * A tokenizer or chat-template file that cannot be used. The message is one line naming the file
 * (when there is one) and the problem, fit to show a user as it is.
 */
public class TokenizerException extends IllegalArgumentException {
    private final transient Path file;

    public TokenizerException(Path file, String problem) {
        super(file == null ? problem : file + ": " + problem);
        this.file = file;
    }

    public TokenizerException(Path file, String problem, Throwable cause) {
        super(file == null ? problem : file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file, or null when the problem is not tied to one. */
    public Path file() {
        return file;
    }
}
