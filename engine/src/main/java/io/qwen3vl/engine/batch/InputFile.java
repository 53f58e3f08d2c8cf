package io.qwen3vl.engine.batch;

import io.qwen3vl.vision.MediaException;
import java.nio.file.Path;

/**
 * One file found under the input folder.
 *
 * @param path where to read it (through the symbolic links it was reached by)
 * @param relativePath its path below the input root with {@code /} separators, never containing
 *     {@code ..}: the key of its result line
 * @param kind what it holds (see {@link InputScanner} for how content and extension decide)
 * @param size its size in bytes (-1 when unknown)
 * @param problem why it cannot be used (e.g. "empty file"), or null when it can
 */
public record InputFile(Path path, String relativePath, MediaKind kind, long size, String problem) {

    public boolean usable() {
        return problem == null;
    }

    /** Throws the one-line error its result line should carry when it cannot be used. */
    public void requireUsable() {
        if (problem != null) {
            throw new MediaException(path, problem);
        }
    }
}
