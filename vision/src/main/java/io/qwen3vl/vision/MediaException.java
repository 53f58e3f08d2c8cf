package io.qwen3vl.vision;

import java.nio.file.Path;

/**
 * An image or video that cannot be used. The message is one line naming the file (when there is
 * one) and the problem, fit to show a user as it is.
 */
public class MediaException extends RuntimeException {
    private final transient Path file;

    public MediaException(Path file, String problem) {
        super(file == null ? problem : file + ": " + problem);
        this.file = file;
    }

    public MediaException(Path file, String problem, Throwable cause) {
        super(file == null ? problem : file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file, or null for in-memory input. */
    public Path file() {
        return file;
    }
}
