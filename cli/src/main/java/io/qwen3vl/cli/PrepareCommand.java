package io.qwen3vl.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.qwen3vl.engine.request.PromptBuilder;
import io.qwen3vl.engine.media.PreparedMedia;
import io.qwen3vl.engine.request.PreparedPrompt;
import io.qwen3vl.vision.ImageSize;
import io.qwen3vl.vision.PatchGrid;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qwen3vl prepare}: shows what the model would see for a request, without running it — the
 * expanded prompt, token ids, each medium's size after resize, its grid, the sampled frames and
 * their timestamps. The first thing to look at when answers seem wrong.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Show the prompt, tokens, media sizes, grids, frames and timestamps the model would see (no generation).",
        footer = {"", "Examples:",
                "  qwen3vl prepare --model DIR --video clip.mp4 \"What happens?\"",
                "  qwen3vl prepare --model DIR --messages chat.json --json"})
public final class PrepareCommand implements Callable<Integer> {
    private static final Pattern PAD_RUN = Pattern.compile("((<\\|(?:image|video)_pad\\|>))\\1+");

    @Mixin
    ModelOptions model;

    @Mixin
    PromptOptions prompt;

    @Mixin
    VisionOptions vision;

    @Option(names = "--json", description = "Print everything as one JSON object (full token ids and prompt).")
    boolean json;

    @Override
    public Integer call() {
        PromptOptions.Request request = prompt.request();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (PromptBuilder prompts = PromptBuilder.load(model.modelDir());
             PreparedPrompt p = prompts.build(request.messages(), request.baseDir(), vision.toMediaOptions())) {
            int merge = prompts.mergeSize();
            if (json) {
                out.println(new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create().toJson(toJson(p, merge)));
            } else {
                printText(p, merge, out);
            }
        }
        return 0;
    }

    static JsonObject toJson(PreparedPrompt p, int merge) {
        JsonObject o = new JsonObject();
        o.addProperty("rendered_template", p.rendered());
        o.addProperty("prompt", p.expanded());
        o.addProperty("prompt_tokens", p.sequence().length());
        o.add("token_ids", AnswerJson.ints(p.sequence().ids()));
        o.addProperty("rope_delta", p.rope().ropeDelta());
        JsonArray media = new JsonArray();
        for (PreparedMedia m : p.media()) {
            JsonObject j = new JsonObject();
            j.addProperty("kind", m.isVideo() ? "video" : "image");
            j.addProperty("source", m.item().source().toString());
            j.add("original_size", size(m.original()));
            j.add("resized_size", size(m.resized()));
            PatchGrid g = m.grid();
            JsonArray grid = new JsonArray();
            grid.add(g.t());
            grid.add(g.h());
            grid.add(g.w());
            j.add("grid_thw", grid);
            j.addProperty("tokens", m.tokens(merge));
            if (m.isVideo()) {
                PreparedMedia.VideoSampling v = m.video();
                j.addProperty("fps", v.fps());
                j.addProperty("total_frames", v.totalFrames());
                j.add("frame_indices", AnswerJson.ints(v.frameIndices()));
                JsonArray ts = new JsonArray();
                for (double t : v.timestamps()) {
                    ts.add(t);
                }
                j.add("timestamps", ts);
                JsonArray texts = new JsonArray();
                v.timestampTexts().forEach(texts::add);
                j.add("timestamp_texts", texts);
            }
            media.add(j);
        }
        o.add("media", media);
        o.addProperty("preprocess_ms", p.timings().millis("preprocess"));
        return o;
    }

    private static JsonObject size(ImageSize s) {
        JsonObject o = new JsonObject();
        o.addProperty("width", s.width());
        o.addProperty("height", s.height());
        return o;
    }

    private static void printText(PreparedPrompt p, int merge, PrintStream out) {
        int i = 1;
        for (PreparedMedia m : p.media()) {
            PatchGrid g = m.grid();
            out.printf(Locale.ROOT, "%s %d: %s%n  size %s -> %s, grid_thw [%d, %d, %d], %d tokens%n",
                    m.isVideo() ? "video" : "image", i++, m.item().source(), m.original(), m.resized(),
                    g.t(), g.h(), g.w(), m.tokens(merge));
            if (m.isVideo()) {
                PreparedMedia.VideoSampling v = m.video();
                out.printf(Locale.ROOT, "  %d of %d frames at %.3f fps: %s%n", v.frameIndices().length,
                        v.totalFrames(), v.fps(), java.util.Arrays.toString(v.frameIndices()));
                out.println("  timestamps: " + String.join(" ", v.timestampTexts()));
            }
        }
        out.printf(Locale.ROOT, "prompt: %d tokens (rope delta %d), prepared in %.0f ms%n", p.sequence().length(),
                p.rope().ropeDelta(), p.timings().millis("preprocess"));
        out.println(compactPads(p.expanded()));
    }

    /** Runs of pad tokens shown as {@code <|image_pad|>×N} so the prompt stays readable. */
    static String compactPads(String prompt) {
        Matcher m = PAD_RUN.matcher(prompt);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int count = m.group().length() / m.group(2).length();
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2) + "×" + count));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
