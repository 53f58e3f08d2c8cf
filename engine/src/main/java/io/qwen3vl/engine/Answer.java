package io.qwen3vl.engine;

import io.qwen3vl.engine.generate.GenerationResult;

/**
 * The outcome of one request: the decoded text of the generated tokens (end-of-sequence tokens
 * produce no text), the token-level result, and where the time went.
 */
public record Answer(String text, GenerationResult result, Timings timings) {
}
