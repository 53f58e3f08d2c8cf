package io.qwen3vl.vision;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkpoint's pre-processing settings: {@code preprocessor_config.json} (images) and
 * {@code video_preprocessor_config.json} (videos).
 *
 * <p>Trap: {@code size.shortest_edge} / {@code size.longest_edge} are the minimum / maximum number
 * of <em>pixels</em> (65536 / 16777216 for images), not edge lengths. The older top-level
 * {@code min_pixels} / {@code max_pixels} keys, when present, override them, as transformers does.
 * For videos the maximum budgets all sampled frames together (T×H×W).
 *
 * <p>A missing file, or a key missing from a file, takes the Qwen3-VL value (what the released
 * checkpoints ship), not the class defaults of the transformers processors, which are Qwen2-VL's
 * for images. Unknown keys are ignored; a present key of the wrong type or value is an error naming
 * the file and the key.
 */
public record PreprocessorConfig(ImageSettings image, VideoSettings video) {
    public static final String IMAGE_FILE = "preprocessor_config.json";
    public static final String VIDEO_FILE = "video_preprocessor_config.json";

    /** Settings shared by images and videos: patching and normalisation, plus the pixel budget. */
    public record ImageSettings(int patchSize, int temporalPatchSize, int mergeSize, float[] mean, float[] std,
                                long minPixels, long maxPixels) {
        public ImageSettings {
            mean = mean.clone();
            std = std.clone();
        }

        /** Sides are resized to multiples of this: patch size × merge size. */
        public int factor() {
            return patchSize * mergeSize;
        }

        public Patchifier patchifier() {
            return new Patchifier(patchSize, temporalPatchSize, mergeSize, mean, std);
        }

        @Override
        public float[] mean() {
            return mean.clone();
        }

        @Override
        public float[] std() {
            return std.clone();
        }
    }

    /**
     * Video settings: the same patching plus frame sampling ({@code fps}, {@code min_frames},
     * {@code max_frames}, an optional fixed {@code num_frames}, {@code do_sample_frames}).
     * {@code minPixels}/{@code maxPixels} budget all frames together.
     */
    public record VideoSettings(ImageSettings patching, double fps, int minFrames, int maxFrames,
                                Integer numFrames, boolean doSampleFrames) {
        public long minPixels() {
            return patching.minPixels();
        }

        public long maxPixels() {
            return patching.maxPixels();
        }
    }

    private static final float[] HALF = {0.5f, 0.5f, 0.5f};

    /** Qwen3-VL image defaults: patch 16, temporal 2, merge 2, mean = std = 0.5, 65536..16777216 pixels. */
    public static ImageSettings defaultImage() {
        return new ImageSettings(16, 2, 2, HALF, HALF, 65_536L, 16_777_216L);
    }

    /** Qwen3-VL video defaults: as images but 4096..25165824 pixels over all frames; 2 fps, 4..768 frames. */
    public static VideoSettings defaultVideo() {
        return new VideoSettings(new ImageSettings(16, 2, 2, HALF, HALF, 4_096L, 25_165_824L), 2.0, 4, 768, null, true);
    }

    public static PreprocessorConfig defaults() {
        return new PreprocessorConfig(defaultImage(), defaultVideo());
    }

    /** Reads both files from a checkpoint folder; a missing file means the Qwen3-VL defaults. */
    public static PreprocessorConfig load(Path checkpointDir) {
        Path imageFile = checkpointDir.resolve(IMAGE_FILE);
        Path videoFile = checkpointDir.resolve(VIDEO_FILE);
        ImageSettings image = Files.exists(imageFile) ? parseImage(imageFile) : defaultImage();
        VideoSettings video = Files.exists(videoFile) ? parseVideo(videoFile) : defaultVideo();
        return new PreprocessorConfig(image, video);
    }

    /** Parses an image {@code preprocessor_config.json}. */
    public static ImageSettings parseImage(Path file) {
        return patching(new Keys(file, readObject(file)), defaultImage());
    }

    /** Parses a {@code video_preprocessor_config.json}. */
    public static VideoSettings parseVideo(Path file) {
        Keys k = new Keys(file, readObject(file));
        VideoSettings d = defaultVideo();
        ImageSettings patching = patching(k, d.patching());
        double fps = k.positiveDouble("fps", d.fps());
        int minFrames = k.positiveInt("min_frames", d.minFrames());
        int maxFrames = k.positiveInt("max_frames", d.maxFrames());
        if (minFrames > maxFrames) {
            throw k.error("min_frames", "min_frames " + minFrames + " exceeds max_frames " + maxFrames);
        }
        Integer numFrames = k.has("num_frames") ? Integer.valueOf(k.positiveInt("num_frames", 0)) : null;
        boolean sample = k.bool("do_sample_frames", d.doSampleFrames());
        return new VideoSettings(patching, fps, minFrames, maxFrames, numFrames, sample);
    }

    private static ImageSettings patching(Keys k, ImageSettings d) {
        int patch = k.positiveInt("patch_size", d.patchSize());
        int temporal = k.positiveInt("temporal_patch_size", d.temporalPatchSize());
        int merge = k.positiveInt("merge_size", d.mergeSize());
        float[] mean = k.triple("image_mean", d.mean(), false);
        float[] std = k.triple("image_std", d.std(), true);
        long min = d.minPixels();
        long max = d.maxPixels();
        JsonElement size = k.get("size");
        if (size != null && !size.isJsonNull()) {
            if (!size.isJsonObject()) {
                throw k.error("size", "must be an object with shortest_edge and longest_edge (pixel counts)");
            }
            Keys s = k.child("size", size.getAsJsonObject());
            if (!s.has("shortest_edge") || !s.has("longest_edge")) {
                throw k.error("size", "must contain shortest_edge and longest_edge (min and max pixels)");
            }
            min = s.positiveLong("shortest_edge", min);
            max = s.positiveLong("longest_edge", max);
        }
        min = k.positiveLong("min_pixels", min);
        max = k.positiveLong("max_pixels", max);
        return new ImageSettings(patch, temporal, merge, mean, std, min, max);
    }

    private static JsonObject readObject(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonReader reader = new JsonReader(r);
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = JsonParser.parseReader(reader);
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new JsonParseException("trailing content after the JSON object");
            }
            if (!root.isJsonObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object");
            }
            return root.getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + ": invalid JSON (" + e.getMessage() + ")", e);
        }
    }

    /** Typed, validated access to the keys of one JSON object, with errors naming file and key. */
    private record Keys(Path file, String prefix, JsonObject obj) {
        Keys(Path file, JsonObject obj) {
            this(file, "", obj);
        }

        Keys child(String key, JsonObject o) {
            return new Keys(file, prefix + key + ".", o);
        }

        boolean has(String key) {
            return obj.has(key) && !obj.get(key).isJsonNull();
        }

        JsonElement get(String key) {
            return obj.get(key);
        }

        IllegalArgumentException error(String key, String problem) {
            return new IllegalArgumentException(file + ": key '" + prefix + key + "' " + problem);
        }

        private double number(String key) {
            JsonElement e = obj.get(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw error(key, "must be a number, got " + e);
            }
            return e.getAsDouble();
        }

        long positiveLong(String key, long fallback) {
            if (!has(key)) {
                return fallback;
            }
            double v = number(key);
            if (v != Math.rint(v) || v < 1 || v > Long.MAX_VALUE / 2) {
                throw error(key, "must be a positive integer, got " + obj.get(key));
            }
            return (long) v;
        }

        int positiveInt(String key, int fallback) {
            long v = positiveLong(key, fallback);
            if (v > Integer.MAX_VALUE) {
                throw error(key, "is too large: " + v);
            }
            return (int) v;
        }

        double positiveDouble(String key, double fallback) {
            if (!has(key)) {
                return fallback;
            }
            double v = number(key);
            if (!(v > 0) || Double.isInfinite(v)) {
                throw error(key, "must be a positive number, got " + obj.get(key));
            }
            return v;
        }

        boolean bool(String key, boolean fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonElement e = obj.get(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw error(key, "must be true or false, got " + e);
            }
            return e.getAsBoolean();
        }

        float[] triple(String key, float[] fallback, boolean positive) {
            if (!has(key)) {
                return fallback;
            }
            JsonElement e = obj.get(key);
            JsonArray a;
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                a = new JsonArray();
                a.add(e);
                a.add(e);
                a.add(e);
            } else if (e.isJsonArray() && e.getAsJsonArray().size() == 3) {
                a = e.getAsJsonArray();
            } else {
                throw error(key, "must be 3 numbers (one per RGB channel), got " + e);
            }
            float[] out = new float[3];
            for (int i = 0; i < 3; i++) {
                JsonElement v = a.get(i);
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                    throw error(key, "must be 3 numbers (one per RGB channel), got " + e);
                }
                out[i] = v.getAsFloat();
                if (positive ? !(out[i] > 0) : !Float.isFinite(out[i])) {
                    throw error(key, (positive ? "must be positive" : "must be finite") + ", got " + e);
                }
            }
            return out;
        }
    }
}
