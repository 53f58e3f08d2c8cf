package io.qwen3vl.engine.generate;

/**
 * Logit penalties for tokens already in the conversation, applied before any sampling filter and
 * before greedy argmax:
 * <ul>
 *   <li>repetition (transformers' {@code RepetitionPenaltyLogitsProcessor}, vLLM alike): every token
 *       seen in the prompt or the output, once however often it occurred: logit &lt; 0 is multiplied by
 *       the penalty, otherwise divided by it;</li>
 *   <li>presence (vLLM/OpenAI, what Qwen's recommended settings mean): the penalty is subtracted once
 *       from every token that appeared in the generated output; prompt tokens are not penalised.</li>
 * </ul>
 * Arithmetic is float32, as the reference stacks do it on float32 logits.
 */
final class Penalties {
    private final float repetition;
    private final float presence;
    private final boolean[] seen; // prompt or output
    private final int[] seenIds;
    private int seenCount;
    private final boolean[] generated;
    private final int[] generatedIds;
    private int generatedCount;

    Penalties(double repetition, double presence, int vocabSize, int[] promptIds) {
        this.repetition = (float) repetition;
        this.presence = (float) presence;
        seen = new boolean[vocabSize];
        seenIds = new int[vocabSize];
        generated = new boolean[vocabSize];
        generatedIds = new int[vocabSize];
        for (int id : promptIds) {
            markSeen(id);
        }
    }

    /** Whether these penalties can change any logit at all. */
    static boolean active(double repetition, double presence) {
        return repetition != 1 || presence != 0;
    }

    /** Records a generated token. */
    void accept(int id) {
        markSeen(id);
        if (!generated[checked(id)]) {
            generated[id] = true;
            generatedIds[generatedCount++] = id;
        }
    }

    void apply(float[] logits) {
        if (repetition != 1f) {
            for (int i = 0; i < seenCount; i++) {
                int id = seenIds[i];
                float x = logits[id];
                logits[id] = x < 0 ? x * repetition : x / repetition;
            }
        }
        if (presence != 0f) {
            for (int i = 0; i < generatedCount; i++) {
                logits[generatedIds[i]] -= presence;
            }
        }
    }

    private void markSeen(int id) {
        if (!seen[checked(id)]) {
            seen[id] = true;
            seenIds[seenCount++] = id;
        }
    }

    private int checked(int id) {
        if (id < 0 || id >= seen.length) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + seen.length);
        }
        return id;
    }
}
