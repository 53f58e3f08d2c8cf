package io.qwen3vl.cli;

import io.qwen3vl.engine.generate.SamplingSettings;
import io.qwen3vl.models.config.GenerationConfig;
import picocli.CommandLine.Option;

/**
 * Decoding options shared by ask, caption and eval. Every option left out takes the checkpoint's
 * {@code generation_config.json} value, so a bare command decodes the way the model card says.
 */
public final class SamplingOptions {
    /** Used when neither the command line nor generation_config.json sets a limit. */
    static final int FALLBACK_MAX_NEW_TOKENS = 512;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Most tokens to generate (default: "
            + "generation_config.json's max_new_tokens, else " + FALLBACK_MAX_NEW_TOKENS + ").")
    Integer maxNewTokens;

    @Option(names = "--greedy", description = "Always take the most likely token (same as --temperature 0).")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature; 0 means greedy.")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample among the K most likely tokens (0: all).")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling: smallest set with probability >= P.")
    Double topP;

    @Option(names = "--repetition-penalty", paramLabel = "R", description = "Penalise tokens already in the prompt or output (1: off).")
    Double repetitionPenalty;

    @Option(names = "--presence-penalty", paramLabel = "P", description = "Subtract P from tokens already generated (0: off).")
    Double presencePenalty;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed for sampling (default: a new one each run).")
    Long seed;

    @Option(names = "--ignore-eos", description = "Keep generating past end-of-sequence tokens until --max-new-tokens.")
    boolean ignoreEos;

    /**
     * The checkpoint's defaults with every given option applied. Setting a temperature above 0,
     * top-k or top-p asks for sampling even when the checkpoint decodes greedily.
     *
     * @param logprobs top alternatives to report per token, or null for none
     */
    SamplingSettings toSettings(GenerationConfig defaults, Integer logprobs) {
        return toSettings(defaults, logprobs, false);
    }

    /**
     * @param greedyByDefault start from argmax decoding (evaluations) rather than the checkpoint's
     *                        sampling; sampling options given on the command line still apply
     */
    SamplingSettings toSettings(GenerationConfig defaults, Integer logprobs, boolean greedyByDefault) {
        SamplingSettings.Builder b = SamplingSettings.from(defaults).toBuilder();
        if (greedyByDefault) {
            b.greedy();
        }
        if (maxNewTokens != null) {
            b.maxNewTokens(maxNewTokens);
        } else if (defaults.maxNewTokens().isEmpty()) {
            b.maxNewTokens(FALLBACK_MAX_NEW_TOKENS);
        }
        if (topK != null) {
            b.topK(topK).doSample(true);
        }
        if (topP != null) {
            b.topP(topP).doSample(true);
        }
        if (temperature != null) {
            b.temperature(temperature).doSample(temperature > 0);
        }
        if (greedy) {
            b.greedy();
        }
        if (repetitionPenalty != null) {
            b.repetitionPenalty(repetitionPenalty);
        }
        if (presencePenalty != null) {
            b.presencePenalty(presencePenalty);
        }
        if (seed != null) {
            b.seed(seed);
        } else {
            b.randomSeed();
        }
        b.ignoreEos(ignoreEos);
        if (logprobs != null) {
            b.logprobs(logprobs);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }
}
