package io.qwen3vl.engine.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * Log-softmax of raw logits, for the chosen token and the {@code top} most likely tokens.
 * The normaliser is computed in double ({@code max + log Σ exp(x − max)}) so the values stay exact
 * to float precision over a 151,936-token vocabulary. One instance per request; buffers are reused.
 */
public final class Logprobs {
    private final int top;
    private final long[] keys;

    public Logprobs(int vocabSize, int top) {
        if (top < 0) {
            throw new IllegalArgumentException("number of top log-probabilities must be >= 0, got " + top);
        }
        this.top = Math.min(top, vocabSize);
        keys = this.top > 0 ? new long[vocabSize] : null;
    }

    public TokenLogprob of(float[] logits, int chosen) {
        if (chosen < 0 || chosen >= logits.length) {
            throw new IllegalArgumentException("token id " + chosen + " outside the " + logits.length + " logits");
        }
        double logNormaliser = logSumExp(logits);
        List<TopLogprob> best = new ArrayList<>(top);
        if (top > 0) {
            if (keys.length != logits.length) {
                throw new IllegalArgumentException("expected " + keys.length + " logits, got " + logits.length);
            }
            for (int i = 0; i < logits.length; i++) {
                keys[i] = TokenRanking.key(logits[i], i);
            }
            TokenRanking.selectLargest(keys, 0, keys.length, top);
            TokenRanking.sortDescending(keys, 0, top);
            for (int i = 0; i < top; i++) {
                int id = TokenRanking.id(keys[i]);
                best.add(new TopLogprob(id, (float) (logits[id] - logNormaliser)));
            }
        }
        return new TokenLogprob(chosen, (float) (logits[chosen] - logNormaliser), best);
    }

    static double logSumExp(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum);
    }
}
