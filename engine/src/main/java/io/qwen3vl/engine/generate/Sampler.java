package io.qwen3vl.engine.generate;

import java.util.SplittableRandom;

/**
 * Picks each next token of one request from the model's logits, in transformers' processor order:
 * penalties ({@link Penalties}), then either argmax (greedy) or temperature → top-k → top-p →
 * a categorical draw from a seeded random stream. (Top-k is taken before the temperature is
 * applied; a positive temperature never changes which tokens it keeps.)
 *
 * <p>Holds per-request state (tokens seen so far, the random stream, scratch buffers sized for the
 * vocabulary) so no step allocates: create one per request.
 */
public final class Sampler {
    private final SamplingSettings settings;
    private final Penalties penalties; // null: none active
    private final float[] penalised; // scratch copy of the logits when penalties are active
    private final Candidates candidates; // null: greedy
    private final SplittableRandom random;

    private Sampler(SamplingSettings settings, int vocabSize, int[] promptIds) {
        this.settings = settings;
        boolean penalise = Penalties.active(settings.repetitionPenalty(), settings.presencePenalty());
        penalties = penalise
                ? new Penalties(settings.repetitionPenalty(), settings.presencePenalty(), vocabSize, promptIds) : null;
        penalised = penalise ? new float[vocabSize] : null;
        candidates = settings.greedy() ? null : new Candidates(vocabSize);
        random = settings.seed().isPresent() ? new SplittableRandom(settings.seed().getAsLong()) : new SplittableRandom();
    }

    /** A sampler for one request whose prompt is {@code promptIds} (seen by the repetition penalty). */
    public static Sampler of(SamplingSettings settings, int vocabSize, int[] promptIds) {
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocabulary size must be positive, got " + vocabSize);
        }
        return new Sampler(settings, vocabSize, promptIds);
    }

    /** The next token for {@code logits} {@code [vocab]}; the array is left unchanged. */
    public int sample(float[] logits) {
        float[] x = logits;
        if (penalties != null) {
            System.arraycopy(logits, 0, penalised, 0, logits.length);
            penalties.apply(penalised);
            x = penalised;
        }
        if (candidates == null) {
            return argmax(x);
        }
        candidates.reset(x);
        candidates.keepTopK(settings.topK());
        candidates.applyTemperature(settings.temperature());
        candidates.keepTopP(settings.topP());
        return candidates.draw(random);
    }

    /** Records a token that became part of the output (for the penalties of later steps). */
    public void accept(int token) {
        if (penalties != null) {
            penalties.accept(token);
        }
    }

    /** Index of the largest value; ties go to the lowest index, as {@code torch.argmax}. */
    public static int argmax(float[] logits) {
        int best = 0;
        float bestValue = logits[0];
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > bestValue) {
                bestValue = logits[i];
                best = i;
            }
        }
        return best;
    }
}
