package io.qwen3vl.engine.generate;

import java.util.List;

/**
 * The chosen token's log-probability at one step and the most likely alternatives (most likely
 * first, ties by lower id), from the model's raw distribution: before penalties, temperature and
 * filters (vLLM's default "raw" log-probabilities).
 */
public record TokenLogprob(int tokenId, float logprob, List<TopLogprob> top) {
    public TokenLogprob {
        top = List.copyOf(top);
    }
}
