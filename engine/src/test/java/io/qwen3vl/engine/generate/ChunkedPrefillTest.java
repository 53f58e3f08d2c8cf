package io.qwen3vl.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.engine.Closeness;
import io.qwen3vl.engine.GoldenPrompt;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.models.Qwen3VL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Prefilling in small chunks (cutting through vision blocks, so each chunk gets only its own
 * DeepStack rows) gives the reference's logits and greedy ids: the KV cache carries the context.
 */
class ChunkedPrefillTest {
    private static Qwen3VL model;

    @BeforeAll
    static void load() {
        model = Qwen3VL.load(TestData.tinyModel(), "cpu", DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @ParameterizedTest
    @CsvSource({"text, 5", "image, 7", "video, 13", "video, 1"})
    void smallChunksGiveTheGoldenLogitsAndIds(String kind, int chunk) {
        try (NDManager caller = model.newRequestManager()) {
            GoldenPrompt prompt = GoldenPrompt.load(kind, model, caller);
            float[] logits = new float[model.text().config().vocabSize()];
            try (DecodeSession session = DecodeSession.open(model, prompt.rope(),
                    prompt.sequence().length() + prompt.expectedIds().length, chunk)) {
                session.prefill(prompt.sequence(), prompt.vision(), logits);
                Closeness.assertClose(prompt.expectedLastLogits(), logits, 1e-4, kind + " logits, chunks of " + chunk);
                int[] ids = new int[prompt.expectedIds().length];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = Sampler.argmax(logits);
                    if (i + 1 < ids.length) {
                        session.step(ids[i], logits);
                    }
                }
                assertArrayEquals(prompt.expectedIds(), ids, kind + " greedy ids");
            }
        }
    }
}
