package io.qwen3vl.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.NativeFixture;
import io.qwen3vl.models.TestData;
import io.qwen3vl.models.Tolerance;
import io.qwen3vl.models.config.ModelConfig;
import io.qwen3vl.models.io.Npy;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The text-only golden prompt through the decoder, compared with the official implementation. */
class TextDecoderGoldenTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    private static final double LOGIT_TOL = 1e-4;

    private static TextDecoder decoder;

    @BeforeAll
    static void load() {
        ModelConfig config = NATIVE.tinyConfig();
        decoder = TextDecoder.load(NATIVE.tinyCheckpoint(), config.text(), NATIVE.manager(), DataType.FLOAT32);
    }

    static int[] ints(long[] v) {
        return Arrays.stream(v).mapToInt(Math::toIntExact).toArray();
    }

    static long[][] textPositions(int start, int len) {
        long[][] p = new long[3][len];
        for (int a = 0; a < 3; a++) {
            for (int i = 0; i < len; i++) {
                p[a][i] = start + i;
            }
        }
        return p;
    }

    @Test
    void promptLogitsMatchGoldenAtEveryCheckedPosition() throws IOException {
        int[] ids = ints(Npy.read(TestData.golden("text/input_ids.npy")).longs());
        long[] golden = Npy.read(TestData.golden("text/position_ids.npy")).longs();
        long[][] positions = textPositions(0, ids.length);
        for (int a = 0; a < 3; a++) {
            assertArrayEquals(Arrays.copyOfRange(golden, a * ids.length, (a + 1) * ids.length), positions[a]);
        }
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            KvCache cache = decoder.newCache(ids.length, scope);
            NDArray hidden = decoder.forward(decoder.embed(ids, scope), positions, cache, null);
            float[] last = decoder.logits(hidden.get("-1:")).toFloatArray();
            float[] expected = Npy.read(TestData.golden("text/logits_last.npy")).floats();
            double worst = Tolerance.assertAbsClose(expected, last, LOGIT_TOL, "last-position logits");
            System.out.printf("text golden: last-position logits max abs error %.3g%n", worst);

            float[] other = Npy.read(TestData.golden("text/logits_other.npy")).floats();
            int[] rows = {6, 9};
            int vocab = expected.length;
            for (int r = 0; r < rows.length; r++) {
                float[] actual = decoder.logits(hidden.get("{}:{}", rows[r], rows[r] + 1)).toFloatArray();
                Tolerance.assertAbsClose(Arrays.copyOfRange(other, r * vocab, (r + 1) * vocab), actual, LOGIT_TOL,
                        "logits at position " + rows[r]);
            }
        }
    }

    @Test
    void greedyDecodingWithKvCacheMatchesGoldenIds() throws IOException {
        int[] ids = ints(Npy.read(TestData.golden("text/input_ids.npy")).longs());
        int[] expected = ints(Npy.read(TestData.golden("text/generated_ids.npy")).longs());
        int[] generated = new int[expected.length];
        try (NDManager request = NATIVE.manager().newSubManager()) {
            KvCache cache = decoder.newCache(ids.length + expected.length, request);
            int next;
            try (NDManager step = request.newSubManager()) {
                NDArray hidden = decoder.forward(decoder.embed(ids, step), textPositions(0, ids.length), cache, null);
                next = (int) decoder.logits(hidden.get("-1:")).argMax().getLong();
            }
            for (int s = 0; s < expected.length; s++) {
                generated[s] = next;
                try (NDManager step = request.newSubManager()) {
                    int pos = cache.length();
                    NDArray hidden = decoder.forward(decoder.embed(new int[] {next}, step),
                            textPositions(pos, 1), cache, null);
                    next = (int) decoder.logits(hidden).argMax().getLong();
                }
            }
        }
        assertArrayEquals(expected, generated, "greedy ids");
    }
}
