package io.qwen3vl.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.engine.GoldenPrompt;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.models.Precision;
import io.qwen3vl.models.Qwen3VL;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tiny checkpoint with approximated numbers against the reference's fp32 goldens: its language
 * model in 8 bits (with the default fp16 KV cache, and with an exact fp32 one), or fp32 weights with
 * keys and values cached in fp16. Logits are not the reference's to 1e-4, but greedy decoding must
 * still pick the reference's tokens, and the prompt's last logits stay near the reference's.
 */
class ApproximateNumbersGoldenTest {
    /**
     * 8 bits: largest last-position logit error over the 151,936 logits, relative to the largest
     * logit's magnitude. Measured: 3.5 % (text), 1.8 % (image), 3.4 % (video), embeddings in 8 bits
     * too — the tail of errors whose size follows from a weight step of up to 1/254 of its block's
     * largest weight (fp16, with a step 2^-11 relative, is off by 0.4 % here). A wrong scale, block
     * or byte order puts the error at the size of the logits themselves.
     */
    private static final double INT8_BOUND = 0.05;
    /**
     * fp32 weights, fp16 keys and values: only the cache is rounded (2^-11 relative), so the error
     * must stay below the whole fp16 model's 0.4 %; a cache read at the wrong scale or position
     * would not.
     */
    private static final double FP16_CACHE_BOUND = 0.004;
    private static final Map<Precision, Qwen3VL> MODELS = new HashMap<>();

    static Stream<Arguments> cases() {
        Precision fp16Cache = Precision.FP32.withKvCache(DataType.FLOAT16);
        Precision int8Fp32Cache = Precision.INT8.withKvCache(DataType.FLOAT32);
        return Stream.of("text", "image", "video").flatMap(kind -> Stream.of(
                Arguments.of(Precision.INT8, INT8_BOUND, kind),
                Arguments.of(int8Fp32Cache, INT8_BOUND, kind),
                Arguments.of(fp16Cache, FP16_CACHE_BOUND, kind)));
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(Qwen3VL::close);
        MODELS.clear();
    }

    @ParameterizedTest(name = "{0}, {2}")
    @MethodSource("cases")
    void greedyIdsMatchTheGoldensAndLogitsStayClose(Precision precision, double bound, String kind) {
        Qwen3VL model = MODELS.computeIfAbsent(precision, p -> Qwen3VL.load(TestData.tinyModel(), TestData.device(), p));
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load(kind, model, caller);
            SamplingSettings settings = SamplingSettings.builder().greedy().ignoreEos(true)
                    .maxNewTokens(prompt.expectedIds().length).build();
            GenerationResult result = new Generator(model).generate(prompt.sequence(), prompt.rope(), prompt.vision(),
                    settings, TokenSink.NONE);
            assertArrayEquals(prompt.expectedIds(), result.tokenIds(), kind + " greedy ids in " + precision);

            float[] golden = prompt.expectedLastLogits();
            float[] ours = lastLogits(model, prompt);
            double maxErr = 0;
            double maxAbs = 0;
            for (int i = 0; i < golden.length; i++) {
                maxErr = Math.max(maxErr, Math.abs(golden[i] - ours[i]));
                maxAbs = Math.max(maxAbs, Math.abs(golden[i]));
            }
            System.out.printf("%s %s: last logits max abs error %.4f of max |logit| %.2f%n", precision, kind, maxErr,
                    maxAbs);
            assertTrue(maxErr <= bound * maxAbs,
                    kind + ": " + precision + " logits off by " + maxErr + " (max |logit| " + maxAbs + ")");
        }
    }

    private static float[] lastLogits(Qwen3VL model, GoldenPrompt prompt) {
        try (DecodeSession session = DecodeSession.open(model, prompt.rope(), prompt.sequence().length())) {
            float[] logits = new float[session.vocabSize()];
            session.prefill(prompt.sequence(), prompt.vision(), logits);
            return logits;
        }
    }
}
