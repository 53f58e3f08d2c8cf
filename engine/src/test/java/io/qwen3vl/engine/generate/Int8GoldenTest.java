package io.qwen3vl.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.qwen3vl.engine.GoldenPrompt;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.models.Precision;
import io.qwen3vl.models.Qwen3VL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny checkpoint with its language model in 8 bits against the reference's fp32 goldens: the
 * weights are approximated, so logits are not the reference's to 1e-4, but greedy decoding must
 * still pick the reference's tokens, and the prompt's last logits stay near the reference's.
 */
class Int8GoldenTest {
    /**
     * Largest last-position logit error over the 151,936 logits, relative to the largest logit's
     * magnitude. Measured: 3.5 % (text), 1.8 % (image), 3.4 % (video), embeddings in 8 bits too —
     * the tail of errors whose size follows from a weight step of up to 1/254 of its block's
     * largest weight (fp16, with a step 2^-11 relative, is off by 0.4 % here). A wrong scale, block
     * or byte order puts the error at the size of the logits themselves.
     */
    private static final double RELATIVE_LOGIT_BOUND = 0.05;
    private static Qwen3VL model;

    @BeforeAll
    static void load() {
        model = Qwen3VL.load(TestData.tinyModel(), "cpu", Precision.INT8);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "image", "video"})
    void greedyIdsMatchTheGoldensAndLogitsStayClose(String kind) {
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load(kind, model, caller);
            SamplingSettings settings = SamplingSettings.builder().greedy().ignoreEos(true)
                    .maxNewTokens(prompt.expectedIds().length).build();
            GenerationResult result = new Generator(model).generate(prompt.sequence(), prompt.rope(), prompt.vision(),
                    settings, TokenSink.NONE);
            assertArrayEquals(prompt.expectedIds(), result.tokenIds(), kind + " greedy ids in int8");

            float[] golden = prompt.expectedLastLogits();
            float[] ours = lastLogits(prompt);
            double maxErr = 0;
            double maxAbs = 0;
            for (int i = 0; i < golden.length; i++) {
                maxErr = Math.max(maxErr, Math.abs(golden[i] - ours[i]));
                maxAbs = Math.max(maxAbs, Math.abs(golden[i]));
            }
            System.out.printf("int8 %s: last logits max abs error %.4f of max |logit| %.2f%n", kind, maxErr, maxAbs);
            assertTrue(maxErr <= RELATIVE_LOGIT_BOUND * maxAbs,
                    kind + ": int8 logits off by " + maxErr + " (max |logit| " + maxAbs + ")");
        }
    }

    private static float[] lastLogits(GoldenPrompt prompt) {
        try (DecodeSession session = DecodeSession.open(model, prompt.rope(), prompt.sequence().length())) {
            float[] logits = new float[session.vocabSize()];
            session.prefill(prompt.sequence(), prompt.vision(), logits);
            return logits;
        }
    }
}
