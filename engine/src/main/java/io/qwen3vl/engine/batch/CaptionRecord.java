package io.qwen3vl.engine.batch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of {@code caption} output:
 * <pre>
 * {"path": "a/b.mp4", "kind": "video", "caption": "...", "prompt_tokens": 812, "completion_tokens": 64,
 *  "timings": {"preprocess_ms": 120.5, ...}, "frames": [0, 15, ...], "timestamps": [0.25, ...]}
 * {"path": "c.jpg", "kind": "image", "error": {"type": "MediaException", "message": "..."}}
 * </pre>
 * Fields that were not set are left out; {@code path} is relative to the input root.
 */
public final class CaptionRecord {
    private CaptionRecord() {
    }

    public static Builder builder(String path, MediaKind kind) {
        return new Builder(path, kind);
    }

    /** The error line of an input. */
    public static JsonObject error(String path, MediaKind kind, Throwable error) {
        return builder(path, kind).error(error).toJson();
    }

    /** Builds one record; {@link #toJson} checks that it has either a caption or an error. */
    public static final class Builder {
        private final String path;
        private final MediaKind kind;
        private String caption;
        private Integer promptTokens;
        private Integer completionTokens;
        private Map<String, Double> timings;
        private int[] frames;
        private double[] timestamps;
        private JsonObject error;
        private final Map<String, JsonElement> extra = new LinkedHashMap<>();

        private Builder(String path, MediaKind kind) {
            if (path == null || path.isEmpty()) {
                throw new IllegalArgumentException("record needs a path");
            }
            this.path = path;
            this.kind = kind;
        }

        public Builder caption(String value) {
            caption = value;
            return this;
        }

        public Builder tokens(int prompt, int completion) {
            promptTokens = prompt;
            completionTokens = completion;
            return this;
        }

        /** Phase name to milliseconds (written as {@code <name>_ms}, rounded to 0.1 ms). */
        public Builder timings(Map<String, Double> millis) {
            timings = new LinkedHashMap<>(millis);
            return this;
        }

        /** Indices of the sampled video frames in the source. */
        public Builder frames(int[] indices) {
            frames = indices.clone();
            return this;
        }

        /** Timestamps (seconds) of the sampled frames. */
        public Builder timestamps(double[] seconds) {
            timestamps = seconds.clone();
            return this;
        }

        public Builder error(Throwable e) {
            error = ErrorInfo.of(e);
            return this;
        }

        public Builder error(String type, String message) {
            error = ErrorInfo.of(type, message);
            return this;
        }

        /** Any further field (e.g. {@code "srt"}: the subtitle file written for the video). */
        public Builder extra(String name, JsonElement value) {
            extra.put(name, value);
            return this;
        }

        public JsonObject toJson() {
            if ((caption == null) == (error == null)) {
                throw new IllegalStateException(path + ": a record has either a caption or an error");
            }
            JsonObject o = new JsonObject();
            o.addProperty("path", path);
            o.addProperty("kind", kind.jsonName());
            if (error != null) {
                o.add("error", error);
            } else {
                o.addProperty("caption", caption);
            }
            if (promptTokens != null) {
                o.addProperty("prompt_tokens", promptTokens);
                o.addProperty("completion_tokens", completionTokens);
            }
            if (timings != null) {
                JsonObject t = new JsonObject();
                timings.forEach((k, v) -> t.addProperty(k + "_ms", round(v, 1)));
                o.add("timings", t);
            }
            if (frames != null) {
                JsonArray a = new JsonArray();
                for (int f : frames) {
                    a.add(f);
                }
                o.add("frames", a);
            }
            if (timestamps != null) {
                JsonArray a = new JsonArray();
                for (double t : timestamps) {
                    a.add(round(t, 3));
                }
                o.add("timestamps", a);
            }
            extra.forEach(o::add);
            return o;
        }
    }

    private static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        double scale = Math.pow(10, digits);
        return Math.rint(v * scale) / scale;
    }
}
