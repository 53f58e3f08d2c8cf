package io.qwen3vl.engine.generate;

/** One of the most likely tokens at a step, with its log-probability. */
public record TopLogprob(int tokenId, float logprob) {
}
