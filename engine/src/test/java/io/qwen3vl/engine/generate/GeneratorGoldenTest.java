package io.qwen3vl.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.engine.Closeness;
import io.qwen3vl.engine.GoldenPrompt;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.engine.sequence.RopeIndex;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.models.Qwen3VL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runtime on the tiny checkpoint against the reference's greedy continuations and logits. */
class GeneratorGoldenTest {
    private static final double LOGIT_TOL = 1e-4;
    private static Qwen3VL model;

    @BeforeAll
    static void load() {
        model = Qwen3VL.load(TestData.tinyModel(), TestData.device(), DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static SamplingSettings greedy(int maxNewTokens) {
        return SamplingSettings.builder().greedy().ignoreEos(true).maxNewTokens(maxNewTokens).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "image", "video"})
    void greedyGenerationMatchesGoldenIds(String kind) {
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load(kind, model, caller);
            List<Integer> streamed = new ArrayList<>();
            GenerationResult result = new Generator(model).generate(prompt.sequence(), prompt.rope(), prompt.vision(),
                    greedy(prompt.expectedIds().length), streamed::add);
            assertArrayEquals(prompt.expectedIds(), result.tokenIds(), kind + " greedy ids");
            assertEquals(Arrays.stream(prompt.expectedIds()).boxed().toList(), streamed, "every id streamed");
            assertEquals(FinishReason.LENGTH, result.finish());
            assertArrayEquals(prompt.sequence().ids(), result.promptIds());
            assertEquals(prompt.sequence().length(), result.promptTokens());
            assertEquals(prompt.expectedIds().length, result.generatedTokens());
            assertTrue(result.logprobs().isEmpty(), "no log-probabilities unless asked for");
            assertTrue(result.timings().asMillis().keySet().containsAll(List.of("prefill", "decode")));
            if (prompt.vision() != null) {
                prompt.vision().embeds().toFloatArray(); // the caller's features are still open
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "image", "video"})
    void firstTokenLogprobsAreLogSoftmaxOfGoldenLogits(String kind) {
        int top = 5;
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load(kind, model, caller);
            SamplingSettings settings = greedy(2).toBuilder().logprobs(top).build();
            GenerationResult result = new Generator(model).generate(prompt.sequence(), prompt.rope(), prompt.vision(),
                    settings, TokenSink.NONE);
            assertEquals(2, result.logprobs().size(), "one entry per generated token");

            float[] golden = prompt.expectedLastLogits();
            double max = Double.NEGATIVE_INFINITY;
            for (float x : golden) {
                max = Math.max(max, x);
            }
            double sum = 0;
            for (float x : golden) {
                sum += Math.exp(x - max);
            }
            double logZ = max + Math.log(sum);
            int[] expectedTop = IntStream.range(0, golden.length).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -golden[i]).thenComparingInt(i -> i))
                    .limit(top).mapToInt(Integer::intValue).toArray();

            TokenLogprob first = result.logprobs().get(0);
            int chosen = prompt.expectedIds()[0];
            assertEquals(chosen, first.tokenId());
            assertEquals(golden[chosen] - logZ, first.logprob(), LOGIT_TOL, kind + " chosen logprob");
            assertEquals(top, first.top().size());
            for (int r = 0; r < top; r++) {
                TopLogprob alt = first.top().get(r);
                assertEquals(expectedTop[r], alt.tokenId(), kind + " top rank " + r);
                assertEquals(golden[expectedTop[r]] - logZ, alt.logprob(), LOGIT_TOL, kind + " top rank " + r);
            }
            assertEquals(prompt.expectedIds()[1], result.logprobs().get(1).tokenId());
        }
    }

    @Test
    void stopsAtEosAndKeepsItInTheIds() {
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load("text", model, caller);
            int[] golden = prompt.expectedIds();
            int eos = golden[3];
            SamplingSettings settings = SamplingSettings.builder().greedy().eosTokenIds(eos).maxNewTokens(8).build();
            List<Integer> streamed = new ArrayList<>();
            GenerationResult result = new Generator(model).generate(prompt.sequence(), prompt.rope(), null,
                    settings, streamed::add);
            assertArrayEquals(Arrays.copyOf(golden, 4), result.tokenIds(), "EOS included in the ids");
            assertEquals(FinishReason.STOP, result.finish());
            assertEquals(List.of(golden[0], golden[1], golden[2]), streamed, "the stopping EOS is not streamed");

            GenerationResult ignoring = new Generator(model).generate(prompt.sequence(), prompt.rope(), null,
                    settings.toBuilder().ignoreEos(true).build(), TokenSink.NONE);
            assertArrayEquals(golden, ignoring.tokenIds());
            assertEquals(FinishReason.LENGTH, ignoring.finish());
        }
    }

    /** Cached decoding must give the logits of re-running the whole prefix from scratch. */
    @ParameterizedTest
    @ValueSource(strings = {"text", "image"})
    void cachedStepsMatchAFullReForward(String kind) {
        int steps = 6;
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load(kind, model, caller);
            TokenSequence seq = prompt.sequence();
            int vocab = model.text().config().vocabSize();
            int[] tokens = new int[steps];
            float[][] cachedLogits = new float[steps][vocab];
            try (DecodeSession session = DecodeSession.open(model, prompt.rope(), seq.length() + steps)) {
                float[] logits = new float[vocab];
                session.prefill(seq, prompt.vision(), logits);
                for (int k = 0; k < steps; k++) {
                    tokens[k] = Sampler.argmax(logits);
                    session.step(tokens[k], logits);
                    cachedLogits[k] = logits.clone(); // logits after feeding tokens[0..k]
                }
            }
            double worst = 0;
            for (int k = 0; k < steps; k++) {
                int[] prefix = Arrays.copyOf(seq.ids(), seq.length() + k + 1);
                System.arraycopy(tokens, 0, prefix, seq.length(), k + 1);
                TokenSequence longer = new TokenSequence(prefix, seq.spans());
                float[] full = new float[vocab];
                try (DecodeSession fresh = DecodeSession.open(model, RopeIndex.of(longer), prefix.length)) {
                    fresh.prefill(longer, prompt.vision(), full);
                }
                worst = Math.max(worst, Closeness.assertClose(full, cachedLogits[k], LOGIT_TOL,
                        kind + " step " + k + " cached vs re-forward logits"));
            }
            System.out.printf("%s: cached vs re-forward logits max abs error %.3g over %d steps%n", kind, worst, steps);
        }
    }

    @Test
    void decodeKeepsNativeMemoryFlat() {
        int steps = 200;
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load("text", model, caller);
            try (DecodeSession session = DecodeSession.open(model, prompt.rope(), prompt.sequence().length() + steps)) {
                float[] logits = new float[session.vocabSize()];
                session.prefill(prompt.sequence(), null, logits);
                int live = session.manager().getManagedArrays().size();
                assertEquals(2 * model.text().config().numHiddenLayers(), live,
                        "after prefill only the KV cache stays: keys and values per layer");
                for (int s = 0; s < steps; s++) {
                    session.step(Sampler.argmax(logits), logits);
                    assertEquals(live, session.manager().getManagedArrays().size(), "live arrays after step " + s);
                }
                assertEquals(session.capacity(), session.length());
            }
        }
    }

    @Test
    void generationLeavesNoArraysBehind() {
        NDManager probe = model.newRequestManager();
        NDManager weights = probe.getParentManager();
        probe.close();
        int before = weights.getManagedArrays().size();
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load("image", model, caller);
            int withFeatures = weights.getManagedArrays().size();
            new Generator(model).generate(prompt.sequence(), prompt.rope(), prompt.vision(),
                    SamplingSettings.builder().doSample(true).temperature(0.7).topK(20).topP(0.8).presencePenalty(1.5)
                            .seed(1).ignoreEos(true).maxNewTokens(50).logprobs(3).build(), TokenSink.NONE);
            assertEquals(withFeatures, weights.getManagedArrays().size(), "request memory freed, caller's kept");
        }
        assertEquals(before, weights.getManagedArrays().size());
    }

    @Test
    void visionPromptWithoutFeaturesIsRejected() {
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load("image", model, caller);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Generator(model).generate(prompt.sequence(), prompt.rope(), null, greedy(2), TokenSink.NONE));
            assertTrue(e.getMessage().contains("70 vision tokens"), e.getMessage());
        }
    }

    @Test
    void seededSamplingIsReproducible() {
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load("text", model, caller);
            SamplingSettings settings = SamplingSettings.builder().doSample(true).temperature(1.0).topK(50).topP(0.95)
                    .seed(1234).ignoreEos(true).maxNewTokens(12).build();
            Generator generator = new Generator(model);
            int[] a = generator.generate(prompt.sequence(), prompt.rope(), null, settings, TokenSink.NONE).tokenIds();
            int[] b = generator.generate(prompt.sequence(), prompt.rope(), null, settings, TokenSink.NONE).tokenIds();
            int[] c = generator.generate(prompt.sequence(), prompt.rope(), null,
                    settings.toBuilder().seed(4321).build(), TokenSink.NONE).tokenIds();
            assertArrayEquals(a, b);
            assertTrue(!Arrays.equals(a, c), "another seed gives another continuation");
        }
    }
}
