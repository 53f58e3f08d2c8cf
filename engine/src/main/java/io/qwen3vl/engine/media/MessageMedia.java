package io.qwen3vl.engine.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the images and videos of Hugging Face chat messages in the order the Qwen3-VL chat template
 * emits their placeholders: message by message, item by item, an item counting as an image when it
 * has an {@code image} / {@code image_url} key or type {@code image}, else as a video when it has a
 * {@code video} key or type {@code video} (the template's own tests, in its order).
 */
public final class MessageMedia {
    private MessageMedia() {
    }

    /**
     * @param messages chat messages as generic JSON values (maps, lists, strings, numbers)
     * @param baseDir  folder that relative media paths are resolved against (the messages file's)
     */
    public static List<MediaItem> find(List<Object> messages, Path baseDir) {
        List<MediaItem> out = new ArrayList<>();
        for (Object message : messages) {
            if (!(message instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("each chat message must be an object with role and content");
            }
            if (!(m.get("content") instanceof List<?> items)) {
                continue; // plain string content holds no media
            }
            for (Object item : items) {
                if (item instanceof Map<?, ?> map) {
                    MediaItem media = toMedia(map, baseDir);
                    if (media != null) {
                        out.add(media);
                    }
                }
            }
        }
        return out;
    }

    private static MediaItem toMedia(Map<?, ?> item, Path baseDir) {
        Object type = item.get("type");
        Map<String, Object> options = new LinkedHashMap<>();
        item.forEach((k, v) -> options.put(String.valueOf(k), v));
        if (item.containsKey("image") || item.containsKey("image_url") || "image".equals(type)) {
            Object ref = item.containsKey("image") ? item.get("image") : item.get("image_url");
            if (ref instanceof Map<?, ?> url) {
                ref = url.get("url"); // OpenAI style {"image_url": {"url": ...}}
            }
            return new MediaItem(MediaItem.Kind.IMAGE, List.of(resolve(ref, baseDir, "image")), options);
        }
        if (item.containsKey("video") || "video".equals(type)) {
            Object ref = item.get("video");
            List<Path> files = new ArrayList<>();
            if (ref instanceof List<?> frames) {
                for (Object f : frames) {
                    files.add(resolve(f, baseDir, "video frame"));
                }
            } else {
                files.add(resolve(ref, baseDir, "video"));
            }
            return new MediaItem(MediaItem.Kind.VIDEO, files, options);
        }
        return null;
    }

    /** A local path, absolute or relative to {@code baseDir}; {@code file://} URLs are accepted. */
    static Path resolve(Object ref, Path baseDir, String what) {
        if (!(ref instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(what + " item needs a file path, got " + ref);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file://")) {
            s = s.substring("file://".length());
        } else if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("data:")) {
            throw new IllegalArgumentException(s + ": remote and inline media are not supported (this engine runs "
                    + "offline); download the file and give its path");
        }
        Path p = Path.of(s);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
    }
}
