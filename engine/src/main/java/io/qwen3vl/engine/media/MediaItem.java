package io.qwen3vl.engine.media;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One image or video referenced by a chat message, in the order the chat template will place its
 * placeholder. A video is either one file or a list of frame files (then {@code fps} says how fast
 * they were taken).
 *
 * @param kind    image or video
 * @param files   the image file, the video file, or the frames of a video given as pictures
 * @param options per-item keys of the message (qwen-vl-utils style: {@code fps}, {@code min_pixels},
 *                {@code max_pixels}, {@code nframes}, ...), as given
 */
public record MediaItem(Kind kind, List<Path> files, Map<String, Object> options) {
    public enum Kind { IMAGE, VIDEO }

    public MediaItem {
        files = List.copyOf(files);
        options = Map.copyOf(options);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT) + " item names no file");
        }
    }

    /** The file to name in messages and errors: the image or video, or the first frame of a frame list. */
    public Path source() {
        return files.get(0);
    }

    /** A video given as a list of frame pictures rather than one container file. */
    public boolean isFrameList() {
        return kind == Kind.VIDEO && files.size() > 1;
    }

    /** A per-item number such as {@code fps}, or null when the message does not set it. */
    public Double number(String key) {
        Object v = options.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(source() + ": message key '" + key + "' must be a number, not " + v);
    }
}
