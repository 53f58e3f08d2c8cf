package io.qwen3vl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.engine.fusion.VisionFeatures;
import io.qwen3vl.engine.generate.GenerationResult;
import io.qwen3vl.engine.generate.Generator;
import io.qwen3vl.engine.generate.SamplingSettings;
import io.qwen3vl.engine.generate.TokenListener;
import io.qwen3vl.engine.media.PreparedMedia;
import io.qwen3vl.engine.request.PreparedPrompt;
import io.qwen3vl.engine.request.PromptBuilder;
import io.qwen3vl.models.Qwen3VL;
import io.qwen3vl.models.config.GenerationConfig;
import io.qwen3vl.models.vision.GridThw;
import io.qwen3vl.models.vision.VisionOutput;
import io.qwen3vl.tokenizer.QwenTokenizer;
import io.qwen3vl.tokenizer.StreamDecoder;
import io.qwen3vl.vision.VisualPatches;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded checkpoint ready to answer requests: the network, its tokenizer and chat template, the
 * image and video processors configured from the checkpoint, and its generation defaults. Build
 * requests with {@link #prompts()} (no model work, thread-safe) and run them with
 * {@link #generate}; every request's native memory lives in one scope closed when it returns.
 */
public final class Qwen3VLEngine implements AutoCloseable {
    private final Path modelDir;
    private final Qwen3VL model;
    private final QwenTokenizer tokenizer;
    private final PromptBuilder prompts;
    private final GenerationConfig generation;
    private final Generator generator;
    private final Timings loadTimings;

    private Qwen3VLEngine(Path modelDir, Qwen3VL model, QwenTokenizer tokenizer, PromptBuilder prompts,
                          GenerationConfig generation, Timings loadTimings) {
        this.modelDir = modelDir;
        this.model = model;
        this.tokenizer = tokenizer;
        this.prompts = prompts;
        this.generation = generation;
        this.generator = new Generator(model);
        this.loadTimings = loadTimings;
    }

    /** Loads a model folder onto {@code device} ("cpu", "cuda[:N]") computing in {@code dtype}. */
    public static Qwen3VLEngine load(Path modelDir, String device, DataType dtype) {
        Timings timings = new Timings();
        PromptBuilder prompts = null;
        try (Timings.Phase p = timings.phase("load")) {
            prompts = PromptBuilder.load(modelDir);
            GenerationConfig generation = GenerationConfig.load(modelDir);
            Qwen3VL model = Qwen3VL.load(modelDir, device, dtype);
            return new Qwen3VLEngine(modelDir, model, prompts.tokenizer(), prompts, generation, timings);
        } catch (RuntimeException e) {
            if (prompts != null) {
                prompts.close();
            }
            throw e;
        }
    }

    public Path modelDir() {
        return modelDir;
    }

    public Qwen3VL model() {
        return model;
    }

    public QwenTokenizer tokenizer() {
        return tokenizer;
    }

    /** Builds requests; thread-safe and model-free, so preparation can overlap generation. */
    public PromptBuilder prompts() {
        return prompts;
    }

    /** The checkpoint's decoding defaults ({@code generation_config.json}). */
    public GenerationConfig generationDefaults() {
        return generation;
    }

    /** Time spent loading tokenizer, template, processors and weights. */
    public Timings loadTimings() {
        return loadTimings;
    }

    /**
     * Answers a prepared request: vision encoder over all its media in one batch, then prefill and
     * decoding. Text reaches {@code listener} as soon as it forms complete characters.
     */
    public Answer generate(PreparedPrompt prompt, SamplingSettings settings, TokenListener listener) {
        Timings timings = new Timings();
        timings.merge(prompt.timings());
        try (NDManager scope = model.newRequestManager()) {
            VisionFeatures features = encodeMedia(prompt, scope, timings);
            StreamDecoder decoder = tokenizer.newStreamDecoder();
            StringBuilder text = new StringBuilder();
            GenerationResult result = generator.generate(prompt.sequence(), prompt.rope(), features, settings, id -> {
                String piece = decoder.push(id);
                if (!piece.isEmpty()) {
                    text.append(piece);
                    listener.onText(piece);
                }
            });
            String tail = decoder.flush();
            if (!tail.isEmpty()) {
                text.append(tail);
                listener.onText(tail);
            }
            timings.merge(result.timings());
            return new Answer(text.toString(), result, timings);
        }
    }

    /**
     * Runs the vision tower once over the patches of every image and video of the prompt (segments
     * never attend to each other, so batching changes nothing but speed) and arranges the rows in
     * prompt order. Null for a text-only prompt.
     */
    private VisionFeatures encodeMedia(PreparedPrompt prompt, NDManager scope, Timings timings) {
        if (prompt.media().isEmpty()) {
            return null;
        }
        try (Timings.Phase p = timings.phase("vision")) {
            List<PreparedMedia> media = prompt.media();
            int dim = media.get(0).patches().patchDim();
            long rows = 0;
            List<GridThw> grids = new ArrayList<>();
            for (PreparedMedia m : media) {
                VisualPatches v = m.patches();
                rows += v.rows();
                grids.add(new GridThw(v.grid().t(), v.grid().h(), v.grid().w()));
            }
            float[] all = new float[Math.toIntExact(rows * dim)];
            int offset = 0;
            for (PreparedMedia m : media) {
                float[] values = m.patches().values();
                System.arraycopy(values, 0, all, offset, values.length);
                offset += values.length;
            }
            NDArray pixels = scope.create(all, new Shape(rows, dim));
            if (model.dtype() != DataType.FLOAT32) {
                pixels = pixels.toType(model.dtype(), false);
            }
            VisionOutput out = model.vision().forward(pixels, grids);
            return VisionFeatures.assemble(prompt.sequence(), splitPerMedium(out, media, false),
                    splitPerMedium(out, media, true));
        }
    }

    /** The encoder's rows of each image (or each video), in prompt order. */
    private List<VisionOutput> splitPerMedium(VisionOutput out, List<PreparedMedia> media, boolean videos) {
        int merge = model.config().vision().spatialMergeSize();
        List<VisionOutput> parts = new ArrayList<>();
        long from = 0;
        for (PreparedMedia m : media) {
            long to = from + m.tokens(merge);
            if (m.isVideo() == videos) {
                List<NDArray> deep = new ArrayList<>();
                for (NDArray d : out.deepstack()) {
                    deep.add(d.get("{}:{}", from, to));
                }
                parts.add(new VisionOutput(out.embeds().get("{}:{}", from, to), deep));
            }
            from = to;
        }
        return parts;
    }

    @Override
    public void close() {
        model.close();
        prompts.close();
    }
}
