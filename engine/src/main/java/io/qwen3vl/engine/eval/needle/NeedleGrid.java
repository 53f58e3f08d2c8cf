package io.qwen3vl.engine.eval.needle;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.qwen3vl.engine.eval.TimeSpan;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

/**
 * The temporal-grounding self-test set: one needle video per (length, depth) and two questions on
 * each, written as an evaluation JSONL that {@code qwen3vl eval} reads like any other
 * ({@link io.qwen3vl.engine.eval.EvalDataset}):
 * <ul>
 *   <li>{@code time}: "At what time does the red star appear?", answer = the needle's interval
 *       (a moment inside it, or within the tolerance of it, counts);</li>
 *   <li>{@code choice}: the video and two pictures, the needle and a look-alike that never appears
 *       (order drawn from the seed), "Which of these two images appears in the video?".</li>
 * </ul>
 * Each item's {@code meta.needle} holds {@code length_s}, {@code depth} and {@code question}, from
 * which the report draws its depth × length table.
 */
public final class NeedleGrid {
    public static final String DATA_FILE = "needle.jsonl";
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private NeedleGrid() {
    }

    /** Grid settings; {@code template} gives fps, size, hold and distractors for every cell. */
    public record Options(List<Double> lengths, List<Double> depths, NeedleSpec template, double tolerance, long seed) {
        public Options {
            lengths = List.copyOf(lengths);
            depths = List.copyOf(depths);
            if (lengths.isEmpty() || depths.isEmpty()) {
                throw new IllegalArgumentException("needle grid needs at least one length and one depth");
            }
        }

        /** Lengths 30, 60, 120 s; depths 0, 25, 50, 75, 100 %; 4 fps, 320×240, 1 s hold, 2 distractors. */
        public static Options defaults() {
            return new Options(List.of(30.0, 60.0, 120.0), List.of(0.0, 0.25, 0.5, 0.75, 1.0),
                    NeedleSpec.of(30, 0), 1.0, 1234);
        }
    }

    /**
     * Writes videos, pictures and {@value #DATA_FILE} into {@code dir}; returns the data file.
     *
     * @param haystacks a new haystack per video (synthetic, or frames of the user's clip)
     */
    public static Path write(Path dir, Options options, Supplier<Haystack> haystacks) throws IOException {
        Files.createDirectories(dir.resolve("videos"));
        Files.createDirectories(dir.resolve("images"));
        Random random = new Random(options.seed());
        List<String> lines = new ArrayList<>();
        NeedleSpec t = options.template();
        for (double length : options.lengths()) {
            for (double depth : options.depths()) {
                NeedleSpec spec = new NeedleSpec(length, depth, t.fps(), t.width(), t.height(), t.holdSeconds(),
                        t.distractors());
                String name = String.format(Locale.ROOT, "needle-L%s-D%02d", number(length), Math.round(depth * 100));
                NeedleVideo video;
                try (Haystack haystack = haystacks.get()) {
                    video = NeedleVideoGenerator.write(dir.resolve("videos/" + name + ".mkv"), spec, haystack);
                } catch (Exception e) {
                    throw e instanceof IOException io ? io : new IOException(name + ": " + e.getMessage(), e);
                }
                String needleImage = "images/" + name + "-needle.png";
                String decoyImage = "images/" + name + "-decoy.png";
                png(NeedleVideoGenerator.needleImage(spec), dir.resolve(needleImage));
                png(NeedleVideoGenerator.decoyImage(spec), dir.resolve(decoyImage));
                String videoPath = "videos/" + name + ".mkv";
                lines.add(GSON.toJson(timeItem(name, videoPath, video, length, depth, options.tolerance())));
                lines.add(GSON.toJson(choiceItem(name, videoPath, needleImage, decoyImage, random.nextBoolean(),
                        length, depth)));
            }
        }
        Path data = dir.resolve(DATA_FILE);
        Files.write(data, lines, StandardCharsets.UTF_8);
        return data;
    }

    private static JsonObject timeItem(String name, String video, NeedleVideo v, double length, double depth,
            double tolerance) {
        JsonObject o = new JsonObject();
        o.addProperty("id", name + "-time");
        o.addProperty("video", video);
        o.addProperty("question", "At what time in the video does the red star appear? Answer with the time in seconds.");
        TimeSpan needle = v.needleTime();
        JsonArray answer = new JsonArray();
        answer.add(needle.start());
        answer.add(needle.end());
        o.add("answer", answer);
        o.addProperty("tolerance", tolerance);
        o.add("meta", meta(length, depth, "time"));
        return o;
    }

    private static JsonObject choiceItem(String name, String video, String needle, String decoy, boolean needleFirst,
            double length, double depth) {
        JsonArray content = new JsonArray();
        content.add(part("video", video));
        content.add(part("text", "Image A:"));
        content.add(part("image", needleFirst ? needle : decoy));
        content.add(part("text", "Image B:"));
        content.add(part("image", needleFirst ? decoy : needle));
        content.add(part("text", "Which of these two images appears in the video?\nA. Image A\nB. Image B\n"
                + "Answer with the option's letter from the given choices directly."));
        JsonObject user = new JsonObject();
        user.addProperty("role", "user");
        user.add("content", content);
        JsonArray messages = new JsonArray();
        messages.add(user);
        JsonObject o = new JsonObject();
        o.addProperty("id", name + "-choice");
        o.add("messages", messages);
        JsonArray choices = new JsonArray();
        choices.add("Image A");
        choices.add("Image B");
        o.add("choices", choices);
        o.addProperty("answer", needleFirst ? "A" : "B");
        o.add("meta", meta(length, depth, "choice"));
        return o;
    }

    private static JsonObject part(String type, String value) {
        JsonObject p = new JsonObject();
        p.addProperty("type", type);
        p.addProperty(type, value);
        return p;
    }

    private static JsonObject meta(double length, double depth, String question) {
        JsonObject n = new JsonObject();
        n.addProperty("length_s", length);
        n.addProperty("depth", depth);
        n.addProperty("question", question);
        JsonObject meta = new JsonObject();
        meta.add("needle", n);
        return meta;
    }

    private static void png(BufferedImage image, Path file) {
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write image", e);
        }
    }

    private static String number(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x).replace('.', '_');
    }
}
