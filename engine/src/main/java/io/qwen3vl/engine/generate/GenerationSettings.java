package io.qwen3vl.engine.generate;

import io.qwen3vl.engine.sampling.SamplingParams;
import java.util.Set;

/**
 * How long and how to generate.
 *
 * @param maxNewTokens budget of generated tokens (the KV cache is sized from it and the prompt)
 * @param stopTokenIds end-of-sequence ids that end generation (not emitted as text)
 * @param ignoreEos    keep generating through end-of-sequence tokens
 * @param sampling     token selection
 * @param logprobs     how many top alternatives to report per token; 0 = no log-probabilities
 */
public record GenerationSettings(int maxNewTokens, Set<Integer> stopTokenIds, boolean ignoreEos,
                                 SamplingParams sampling, int logprobs) {
    public GenerationSettings {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
        if (logprobs < 0) {
            throw new IllegalArgumentException("--logprobs must be >= 0, got " + logprobs);
        }
        stopTokenIds = Set.copyOf(stopTokenIds);
    }
}
