package io.qwen3vl.engine.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.engine.sequence.RopeIndex;
import io.qwen3vl.engine.sequence.SpecialTokens;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.models.Qwen3VL;
import io.qwen3vl.models.io.Npy;
import io.qwen3vl.models.text.KvCache;
import io.qwen3vl.models.vision.GridThw;
import io.qwen3vl.models.vision.VisionOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image and video golden prompts through the whole network, starting from the reference's
 * pixel values: vision tower, scatter into pad rows, DeepStack after the first decoder layers,
 * Interleaved-MRoPE positions from {@link RopeIndex}, then cached greedy decoding.
 */
class MultimodalGoldenTest {
    private static final double LOGIT_TOL = 1e-4;
    private static final SpecialTokens SPECIAL = new SpecialTokens(151652, 151653, 151655, 151656);
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
    @ValueSource(strings = {"image", "video"})
    void logitsAndGreedyIdsMatchGolden(String kind) throws IOException {
        int[] ids = ints(Npy.read(TestData.golden(kind + "/input_ids.npy")).longs());
        long[] g = Npy.read(TestData.golden("vision/" + kind + "_grid_thw.npy")).longs();
        GridThw grid = new GridThw((int) g[0], (int) g[1], (int) g[2]);
        List<int[]> merged = List.of(new int[] {grid.t(), grid.h() / 2, grid.w() / 2});
        TokenSequence seq = TokenSequence.locate(ids, SPECIAL,
                kind.equals("image") ? merged : List.of(), kind.equals("video") ? merged : List.of());
        RopeIndex rope = RopeIndex.of(seq);
        int[] expectedIds = ints(Npy.read(TestData.golden(kind + "/generated_ids.npy")).longs());
        float[] expectedLast = Npy.read(TestData.golden(kind + "/logits_last.npy")).floats();

        try (NDManager request = model.newRequestManager()) {
            Npy pixels = Npy.read(TestData.golden("vision/" + kind + "_pixel_values.npy"));
            NDArray pv = request.create(pixels.floats(), new Shape(pixels.shape()));
            VisionOutput out = model.vision().forward(pv, List.of(grid));
            VisionFeatures features = VisionFeatures.assemble(seq,
                    kind.equals("image") ? List.of(out) : List.of(), kind.equals("video") ? List.of(out) : List.of());
            long[] visionRows = seq.visionPositions();
            KvCache cache = model.text().newCache(ids.length + expectedIds.length, request);

            int next;
            try (NDManager step = request.newSubManager()) {
                NDArray embeds = model.embed(ids, visionRows, features.embeds(), step);
                NDArray hidden = model.forward(embeds, rope.positions(), cache, visionRows, features.deepStack());
                float[] last = model.text().logits(hidden.get("-1:")).toFloatArray();
                double worst = maxAbs(expectedLast, last);
                System.out.printf("%s golden: last-position logits max abs error %.3g%n", kind, worst);
                if (worst > LOGIT_TOL) {
                    fail(kind + " last-position logits differ by " + worst + " > " + LOGIT_TOL);
                }
                next = argMax(last);
            }
            int[] generated = new int[expectedIds.length];
            for (int s = 0; s < generated.length; s++) {
                generated[s] = next;
                try (NDManager step = request.newSubManager()) {
                    long[][] pos = rope.decodePositions(cache.length(), 1);
                    NDArray hidden = model.forward(model.embed(new int[] {next}, null, null, step), pos, cache,
                            null, null);
                    next = argMax(model.text().logits(hidden).toFloatArray());
                }
            }
            assertArrayEquals(expectedIds, generated, kind + " greedy ids");
            assertEquals(ids.length + expectedIds.length, cache.length());
        }
    }

    static int[] ints(long[] v) {
        return Arrays.stream(v).mapToInt(Math::toIntExact).toArray();
    }

    static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static double maxAbs(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
        }
        return worst;
    }
}
