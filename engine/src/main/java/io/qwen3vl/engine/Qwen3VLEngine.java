package io.qwen3vl.engine;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.engine.fusion.MediaEncoder;
import io.qwen3vl.engine.fusion.VisionFeatures;
import io.qwen3vl.engine.generate.GenerationResult;
import io.qwen3vl.engine.generate.Generator;
import io.qwen3vl.engine.generate.SamplingSettings;
import io.qwen3vl.engine.generate.TokenListener;
import io.qwen3vl.engine.request.PreparedPrompt;
import io.qwen3vl.engine.request.PromptBuilder;
import io.qwen3vl.models.Precision;
import io.qwen3vl.models.Qwen3VL;
import io.qwen3vl.models.config.GenerationConfig;
import io.qwen3vl.tokenizer.QwenTokenizer;
import io.qwen3vl.tokenizer.StreamDecoder;
import java.nio.file.Path;

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
    private final MediaEncoder media;

    private Qwen3VLEngine(Path modelDir, Qwen3VL model, QwenTokenizer tokenizer, PromptBuilder prompts,
                          GenerationConfig generation, Timings loadTimings, int videoChunkPatches) {
        this.modelDir = modelDir;
        this.model = model;
        this.tokenizer = tokenizer;
        this.prompts = prompts;
        this.generation = generation;
        this.generator = new Generator(model);
        this.loadTimings = loadTimings;
        this.media = new MediaEncoder(model, videoChunkPatches);
    }

    /** Loads a model folder onto {@code device} ("cpu", "cuda[:N]") computing in {@code dtype}. */
    public static Qwen3VLEngine load(Path modelDir, String device, DataType dtype) {
        return load(modelDir, device, Precision.of(dtype), MediaEncoder.DEFAULT_CHUNK_PATCHES);
    }

    /** Loads a model folder onto {@code device} in {@code precision} (fp32, fp16, or 8-bit text weights). */
    public static Qwen3VLEngine load(Path modelDir, String device, Precision precision) {
        return load(modelDir, device, precision, MediaEncoder.DEFAULT_CHUNK_PATCHES);
    }

    /**
     * As {@link #load(Path, String, Precision)}, encoding videos in chunks of about
     * {@code videoChunkPatches} patches while the next chunk is decoded.
     */
    public static Qwen3VLEngine load(Path modelDir, String device, Precision precision, int videoChunkPatches) {
        Timings timings = new Timings();
        PromptBuilder prompts = null;
        try (Timings.Phase p = timings.phase("load")) {
            prompts = PromptBuilder.load(modelDir);
            GenerationConfig generation = GenerationConfig.load(modelDir);
            Qwen3VL model = Qwen3VL.load(modelDir, device, precision);
            return new Qwen3VLEngine(modelDir, model, prompts.tokenizer(), prompts, generation, timings,
                    videoChunkPatches);
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
     * Answers a prepared request: the vision encoder over its media (images in one batch, videos
     * chunk by chunk while the next chunk is decoded), then prefill and decoding. Text reaches {@code listener} as soon as it forms complete characters.
     */
    public Answer generate(PreparedPrompt prompt, SamplingSettings settings, TokenListener listener) {
        Timings timings = new Timings();
        timings.merge(prompt.timings());
        try (NDManager scope = model.newRequestManager()) {
            VisionFeatures features;
            try (Timings.Phase p = timings.phase("vision")) {
                features = media.encode(prompt.sequence(), prompt.media(), scope);
            }
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

    @Override
    public void close() {
        media.close();
        model.close();
        prompts.close();
    }
}
