package io.qwen3vl.engine.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.engine.Closeness;
import io.qwen3vl.engine.GoldenPrompt;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.engine.generate.DecodeSession;
import io.qwen3vl.engine.sequence.RopeIndex;
import io.qwen3vl.models.Qwen3VL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image and video golden prompts through the whole network, starting from the reference's
 * pixel values: vision tower, scatter into pad rows, DeepStack after the first decoder layers,
 * Interleaved-MRoPE positions from {@link RopeIndex}. The greedy continuation of the same prompts is
 * checked through the runtime in {@code GeneratorGoldenTest}.
 */
class MultimodalGoldenTest {
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

    @ParameterizedTest
    @ValueSource(strings = {"image", "video"})
    void prefillLogitsMatchGolden(String kind) {
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load(kind, model, caller);
            try (DecodeSession session = DecodeSession.open(model, prompt.rope(), prompt.sequence().length())) {
                float[] last = new float[session.vocabSize()];
                session.prefill(prompt.sequence(), prompt.vision(), last);
                double worst = Closeness.assertClose(prompt.expectedLastLogits(), last, LOGIT_TOL,
                        kind + " last-position logits");
                System.out.printf("%s golden: last-position logits max abs error %.3g%n", kind, worst);
                assertEquals(prompt.sequence().length(), session.length());
            }
        }
    }
}
