package io.qwen3vl.engine.generate;

import java.util.SplittableRandom;

/**
 * The tokens still in the running while one token is sampled, with the filters applied in
 * transformers' warper order: {@link #keepTopK}, {@link #applyTemperature}, {@link #keepTopP}, then
 * {@link #draw}. Buffers are sized for the vocabulary once and reused for every step.
 *
 * <p>Only as much of the candidate list is sorted as a filter needs: top-k selects its k keys in
 * O(V) and sorts those; top-p sorts the most likely tokens in growing chunks until the nucleus is
 * complete, so a small nucleus over 151,936 logits never costs a full sort.
 */
final class Candidates {
    private static final int FIRST_CHUNK = 64;

    private final long[] keys;
    private final double[] weightById; // unnormalised probability of each candidate, by token id
    private int size;
    private int sorted; // keys[0, sorted) are the most likely candidates, most likely first
    private double total; // sum of the candidates' weights
    private boolean weighted;

    Candidates(int vocabSize) {
        keys = new long[vocabSize];
        weightById = new double[vocabSize];
    }

    /** Starts a step with every token of {@code logits} as a candidate. */
    void reset(float[] logits) {
        if (logits.length != keys.length) {
            throw new IllegalArgumentException("expected " + keys.length + " logits, got " + logits.length);
        }
        for (int i = 0; i < logits.length; i++) {
            keys[i] = TokenRanking.key(logits[i], i);
        }
        size = logits.length;
        sorted = 0;
        weighted = false;
    }

    int size() {
        return size;
    }

    /** Token id of the candidate at {@code rank} (0 = most likely); sorts as far as needed. */
    int idAt(int rank) {
        while (rank >= sorted) {
            sortMore();
        }
        return TokenRanking.id(keys[rank]);
    }

    /** Keeps the k highest logits and every token tied with the k-th, as transformers' top-k does. */
    void keepTopK(int k) {
        requireUnweighted("top-k");
        if (k <= 0 || k >= size) {
            return;
        }
        TokenRanking.selectLargest(keys, 0, size, k);
        float kth = Float.POSITIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            kth = Math.min(kth, TokenRanking.logit(keys[i]));
        }
        int kept = k;
        for (int i = k; i < size; i++) {
            if (TokenRanking.logit(keys[i]) == kth) {
                long t = keys[kept];
                keys[kept++] = keys[i];
                keys[i] = t;
            }
        }
        size = kept;
        TokenRanking.sortDescending(keys, 0, size);
        sorted = size;
    }

    /**
     * Turns the candidates' logits into weights {@code exp((logit - max) / temperature)} (an
     * unnormalised softmax, in double). Temperature must be positive; greedy decoding never gets here.
     */
    void applyTemperature(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("sampling temperature must be > 0, got " + temperature);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, TokenRanking.logit(keys[i]));
        }
        double inverse = 1.0 / temperature;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double w = Math.exp(((double) TokenRanking.logit(keys[i]) - max) * inverse);
            weightById[TokenRanking.id(keys[i])] = w;
            sum += w;
        }
        total = sum;
        weighted = true;
    }

    /**
     * Nucleus filter: keeps the most likely candidates up to and including the first one at which
     * their cumulative probability reaches {@code topP} (a token is kept while the mass of the tokens
     * before it is below topP; the most likely token always stays).
     */
    void keepTopP(double topP) {
        requireWeighted("top-p");
        if (topP >= 1) {
            return;
        }
        double threshold = topP * total;
        double cumulative = 0;
        int kept = 0;
        while (kept < size && cumulative < threshold) {
            if (kept == sorted) {
                sortMore();
            }
            cumulative += weightById[TokenRanking.id(keys[kept])];
            kept++;
        }
        size = Math.max(kept, 1);
        total = cumulative;
    }

    /** Probability of the candidate {@code id} under the current weights (for tests). */
    double probability(int id) {
        requireWeighted("probability");
        for (int i = 0; i < size; i++) {
            if (TokenRanking.id(keys[i]) == id) {
                return weightById[id] / total;
            }
        }
        return 0;
    }

    /** Picks a candidate with probability proportional to its weight. */
    int draw(SplittableRandom random) {
        requireWeighted("draw");
        double target = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            int id = TokenRanking.id(keys[i]);
            cumulative += weightById[id];
            if (cumulative > target) {
                return id;
            }
        }
        // Rounding left the target just past the sum: the last candidate with any weight.
        for (int i = size - 1; i > 0; i--) {
            if (weightById[TokenRanking.id(keys[i])] > 0) {
                return TokenRanking.id(keys[i]);
            }
        }
        return TokenRanking.id(keys[0]);
    }

    /** Sorts the next chunk of the most likely unsorted candidates (chunks double in size). */
    private void sortMore() {
        int end = Math.min(size, sorted + Math.max(FIRST_CHUNK, sorted));
        TokenRanking.selectLargest(keys, sorted, size, end - sorted);
        TokenRanking.sortDescending(keys, sorted, end);
        sorted = end;
    }

    private void requireWeighted(String what) {
        if (!weighted) {
            throw new IllegalStateException(what + " needs applyTemperature first");
        }
    }

    private void requireUnweighted(String what) {
        if (weighted) {
            throw new IllegalStateException(what + " must come before applyTemperature");
        }
    }
}
