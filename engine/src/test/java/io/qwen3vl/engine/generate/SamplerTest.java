package io.qwen3vl.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final int[] NO_PROMPT = new int[0];

    private static SamplingSettings.Builder sampling() {
        return SamplingSettings.builder().doSample(true).temperature(1).topK(0).topP(1).seed(7);
    }

    private static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static Set<Integer> kept(Candidates c) {
        Set<Integer> ids = new HashSet<>();
        for (int r = 0; r < c.size(); r++) {
            ids.add(c.idAt(r));
        }
        return ids;
    }

    @Test
    void greedyTieGoesToLowestId() {
        float[] logits = {1f, 3f, 0f, 3f, 3f};
        assertEquals(1, Sampler.argmax(logits));
        Sampler sampler = Sampler.of(SamplingSettings.builder().build(), logits.length, NO_PROMPT);
        assertEquals(1, sampler.sample(logits));
    }

    @Test
    void temperatureZeroIsGreedyEvenWhenSamplingIsOn() {
        float[] logits = {0f, 2f, 1.9f};
        Sampler sampler = Sampler.of(sampling().temperature(0).build(), 3, NO_PROMPT);
        for (int i = 0; i < 50; i++) {
            assertEquals(1, sampler.sample(logits));
        }
    }

    @Test
    void topKKeepsTheKHighestLogits() {
        float[] logits = {0.5f, 3f, -1f, 2f, 2.5f, 0f};
        Candidates c = new Candidates(logits.length);
        c.reset(logits);
        c.keepTopK(3);
        assertEquals(3, c.size());
        assertEquals(1, c.idAt(0));
        assertEquals(4, c.idAt(1));
        assertEquals(3, c.idAt(2));
    }

    @Test
    void topKKeepsTokensTiedWithTheKth() {
        // transformers removes only logits strictly below the k-th value.
        float[] logits = {5f, 4f, 1f, 4f, 4f};
        Candidates c = new Candidates(logits.length);
        c.reset(logits);
        c.keepTopK(2);
        assertEquals(Set.of(0, 1, 3, 4), kept(c));
        assertEquals(List.of(0, 1, 3, 4), ranks(c));
    }

    private static List<Integer> ranks(Candidates c) {
        return IntStream.range(0, c.size()).map(c::idAt).boxed().toList();
    }

    @Test
    void topKOverTheFullVocabularyMatchesAFullSort() {
        int vocab = 151_936;
        float[] logits = new float[vocab];
        Random r = new Random(1);
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (r.nextGaussian() * 3);
        }
        logits[99] = logits[100]; // a tie somewhere, to exercise the id order
        Integer[] order = IntStream.range(0, vocab).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i));
        Candidates c = new Candidates(vocab);
        for (int k : new int[] {1, 20, 50, 1000}) {
            c.reset(logits);
            c.keepTopK(k);
            assertEquals(k, c.size());
            for (int rank = 0; rank < k; rank++) {
                assertEquals(order[rank], c.idAt(rank), "rank " + rank + " of top-" + k);
            }
        }
    }

    @Test
    void topPStopsWhereTheCumulativeProbabilityExactlyReachesTopP() {
        float[] logits = {0f, 0f, 0f, 0f}; // 0.25 each, exactly
        Candidates c = new Candidates(4);
        for (double[] pAndKept : new double[][] {{0.25, 1}, {0.5, 2}, {0.75, 3}, {0.5000001, 3}, {0.4999999, 2},
                {0.01, 1}, {1.0, 4}}) {
            c.reset(logits);
            c.applyTemperature(1);
            c.keepTopP(pAndKept[0]);
            assertEquals((int) pAndKept[1], c.size(), "top_p " + pAndKept[0]);
        }
        c.reset(logits);
        c.applyTemperature(1);
        c.keepTopP(0.5);
        assertEquals(Set.of(0, 1), kept(c), "equal probabilities: lower ids first");
        assertEquals(0.5, c.probability(0), 1e-15, "kept probabilities are renormalised");
    }

    @Test
    void topPKeepsTheSmallestSetReachingTopP() {
        float[] logits = {1f, 3f, 2f, 0f};
        double[] p = softmax(logits, 1);
        double two = p[1] + p[2];
        Candidates c = new Candidates(4);
        c.reset(logits);
        c.applyTemperature(1);
        c.keepTopP(two - 1e-9);
        assertEquals(Set.of(1, 2), kept(c));
        c.reset(logits);
        c.applyTemperature(1);
        c.keepTopP(two + 1e-9);
        assertEquals(Set.of(1, 2, 0), kept(c));
        c.reset(logits);
        c.applyTemperature(1);
        c.keepTopP(p[1] * 0.5);
        assertEquals(Set.of(1), kept(c), "the most likely token always stays");
    }

    @Test
    void topPOverTheFullVocabularyMatchesAFullSort() {
        int vocab = 151_936;
        float[] logits = new float[vocab];
        Random r = new Random(2);
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (r.nextGaussian() * 2);
        }
        double[] p = softmax(logits, 0.7);
        Integer[] order = IntStream.range(0, vocab).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i));
        double topP = 0.9;
        int expected = 0;
        double cumulative = 0;
        while (cumulative < topP) {
            cumulative += p[order[expected++]];
        }
        Candidates c = new Candidates(vocab);
        c.reset(logits);
        c.applyTemperature(0.7);
        c.keepTopP(topP);
        assertEquals(expected, c.size());
        assertTrue(expected > 1000, "a nucleus spanning many sort chunks: " + expected);
        for (int rank = 0; rank < expected; rank++) {
            assertEquals(order[rank], c.idAt(rank), "rank " + rank);
        }
    }

    @Test
    void temperatureScalesTheDistribution() {
        float[] logits = {1f, 2f, 0.5f, -1f};
        Candidates c = new Candidates(4);
        for (double t : new double[] {0.25, 1, 3}) {
            double[] expected = softmax(logits, t);
            c.reset(logits);
            c.applyTemperature(t);
            for (int id = 0; id < 4; id++) {
                assertEquals(expected[id], c.probability(id), 1e-12, "T=" + t + " id " + id);
            }
        }
        c.reset(logits);
        c.applyTemperature(0.25);
        double sharp = c.probability(1);
        c.reset(logits);
        c.applyTemperature(3);
        assertTrue(sharp > c.probability(1), "lower temperature sharpens");
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
        Penalties penalties = new Penalties(2.0, 0, 6, new int[] {0, 1, 1, 1, 4});
        penalties.accept(2);
        penalties.accept(2);
        float[] logits = {3f, -1.5f, 0.5f, 7f, 0f, -2f};
        penalties.apply(logits);
        assertArrayEquals(new float[] {1.5f, -3f, 0.25f, 7f, 0f, -2f}, logits,
                "once per seen token however often it occurs; unseen tokens untouched");
    }

    @Test
    void repetitionPenaltyAppliesToGreedyDecoding() {
        float[] logits = {2f, 1.5f, -1f};
        Sampler sampler = Sampler.of(SamplingSettings.builder().repetitionPenalty(2).build(), 3, new int[] {0});
        assertEquals(1, sampler.sample(logits));
        assertArrayEquals(new float[] {2f, 1.5f, -1f}, logits, "the caller's logits are left unchanged");
    }

    @Test
    void presencePenaltySubtractsOnceForEachGeneratedTokenOnly() {
        Penalties penalties = new Penalties(1.0, 1.5, 5, new int[] {0, 1});
        penalties.accept(1);
        penalties.accept(3);
        penalties.accept(3);
        float[] logits = {2f, 2f, 2f, -1f, 0f};
        penalties.apply(logits);
        assertArrayEquals(new float[] {2f, 0.5f, 2f, -2.5f, 0f}, logits);
    }

    @Test
    void presencePenaltySteersGreedyAwayFromRepeats() {
        float[] logits = {0f, 2f, 1f};
        Sampler sampler = Sampler.of(SamplingSettings.builder().presencePenalty(1.5).build(), 3, new int[] {1});
        assertEquals(1, sampler.sample(logits), "prompt tokens are not penalised");
        sampler.accept(1);
        assertEquals(2, sampler.sample(logits));
    }

    @Test
    void sameSeedGivesTheSameTokensAndDifferentSeedsDiffer() {
        float[] logits = new float[1000];
        Random r = new Random(3);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) r.nextGaussian();
        }
        int[] a = draws(sampling().seed(42).topK(200).topP(0.95).build(), logits);
        int[] b = draws(sampling().seed(42).topK(200).topP(0.95).build(), logits);
        int[] c = draws(sampling().seed(43).topK(200).topP(0.95).build(), logits);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    private static int[] draws(SamplingSettings s, float[] logits) {
        Sampler sampler = Sampler.of(s, logits.length, NO_PROMPT);
        int[] out = new int[100];
        for (int i = 0; i < out.length; i++) {
            out[i] = sampler.sample(logits);
        }
        return out;
    }

    @Test
    void drawsFollowTheDistribution() {
        double[] p = {0.2, 0.3, 0.5};
        float[] logits = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            logits[i] = (float) Math.log(p[i]);
        }
        Sampler sampler = Sampler.of(sampling().seed(11).build(), p.length, NO_PROMPT);
        int n = 100_000;
        int[] counts = new int[p.length];
        for (int i = 0; i < n; i++) {
            counts[sampler.sample(logits)]++;
        }
        for (int i = 0; i < p.length; i++) {
            double sigma = Math.sqrt(p[i] * (1 - p[i]) / n);
            assertEquals(p[i], counts[i] / (double) n, 5 * sigma, "frequency of token " + i);
        }
    }

    @Test
    void filteredDrawsNeverLeaveTheKeptSet() {
        float[] logits = {0f, 1f, 2f, 3f, 4f, 5f};
        Sampler topK = Sampler.of(sampling().topK(2).build(), logits.length, NO_PROMPT);
        // softmax of 0..5: P(5) ≈ 0.636, P(4) ≈ 0.234, so top_p 0.8 keeps {5, 4}.
        Sampler topP = Sampler.of(sampling().topP(0.8).build(), logits.length, NO_PROMPT);
        Set<Integer> fromK = new HashSet<>();
        Set<Integer> fromP = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            fromK.add(topK.sample(logits));
            fromP.add(topP.sample(logits));
        }
        assertEquals(Set.of(4, 5), fromK);
        assertEquals(Set.of(4, 5), fromP);
    }

    @Test
    void rankingKeysOrderLikeFloatsWithTiesByLowerId() {
        float[] values = {-3.5f, -0f, 0f, 1e-30f, -1e-30f, 7f, Float.NEGATIVE_INFINITY, 7f};
        for (int i = 0; i < values.length; i++) {
            long key = TokenRanking.key(values[i], i);
            assertEquals(i, TokenRanking.id(key));
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(TokenRanking.logit(key)));
            for (int j = 0; j < values.length; j++) {
                long other = TokenRanking.key(values[j], j);
                if (values[i] > values[j]) {
                    assertTrue(key > other, values[i] + " vs " + values[j]);
                }
            }
        }
        assertTrue(TokenRanking.key(7f, 5) > TokenRanking.key(7f, 7), "equal logits: lower id ranks first");
    }

    @Test
    void drawUsesOnlyTheRandomStreamGiven() {
        float[] logits = {0f, 0f, 0f};
        Candidates c = new Candidates(3);
        int[] first = new int[20];
        int[] second = new int[20];
        SplittableRandom r1 = new SplittableRandom(5);
        SplittableRandom r2 = new SplittableRandom(5);
        for (int i = 0; i < 20; i++) {
            c.reset(logits);
            c.applyTemperature(1);
            first[i] = c.draw(r1);
            c.reset(logits);
            c.applyTemperature(1);
            second[i] = c.draw(r2);
        }
        assertArrayEquals(first, second);
        assertNotEquals(1, Arrays.stream(first).distinct().count());
    }
}
