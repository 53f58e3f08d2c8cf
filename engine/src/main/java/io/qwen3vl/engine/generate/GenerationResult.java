package io.qwen3vl.engine.generate;

import io.qwen3vl.engine.Timings;
import java.util.List;

/**
 * One finished request.
 *
 * @param promptIds the prompt's token ids
 * @param tokenIds  the generated ids, including a final EOS when {@code finish} is STOP
 * @param logprobs  one entry per generated id when log-probabilities were requested, else empty
 * @param timings   "prefill" (prompt forward and first logits) and "decode" (every later step and all sampling)
 */
public record GenerationResult(int[] promptIds, int[] tokenIds, List<TokenLogprob> logprobs, FinishReason finish,
                               Timings timings) {
    public GenerationResult {
        promptIds = promptIds.clone();
        tokenIds = tokenIds.clone();
        logprobs = List.copyOf(logprobs);
    }

    @Override
    public int[] promptIds() {
        return promptIds.clone();
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    public int promptTokens() {
        return promptIds.length;
    }

    public int generatedTokens() {
        return tokenIds.length;
    }

    /** Decode speed in tokens per second (tokens after the first over the decode time); 0 if unmeasurable. */
    public double decodeTokensPerSecond() {
        double ms = timings.millis("decode");
        return tokenIds.length > 1 && ms > 0 ? (tokenIds.length - 1) / (ms / 1000) : 0;
    }
}
