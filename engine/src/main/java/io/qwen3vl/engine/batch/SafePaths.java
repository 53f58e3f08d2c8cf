package io.qwen3vl.engine.batch;

import java.nio.file.Path;

/** Output paths derived from input names, kept inside their folder. */
public final class SafePaths {
    private SafePaths() {
    }

    /**
     * {@code dir/relative}, refusing absolute paths and any {@code ..} that would leave {@code dir}:
     * a name taken from the input tree must never make us write elsewhere.
     */
    public static Path resolveInside(Path dir, String relative) {
        Path rel = Path.of(relative);
        if (rel.isAbsolute() || relative.isEmpty()) {
            throw new IllegalArgumentException("not a relative path: " + relative);
        }
        Path base = dir.toAbsolutePath().normalize();
        Path target = base.resolve(rel).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new IllegalArgumentException("path leaves its folder: " + relative);
        }
        return target;
    }
}
