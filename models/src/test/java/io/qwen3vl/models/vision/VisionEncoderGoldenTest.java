package io.qwen3vl.models.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import io.qwen3vl.models.TestData;
import io.qwen3vl.models.io.Npy;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The vision tower against the reference implementation's outputs on the tiny checkpoint. */
class VisionEncoderGoldenTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    static final double TOL = 1e-4;

    private static VisionEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = VisionEncoder.load(NATIVE.tinyCheckpoint(), NATIVE.tinyConfig().vision(), NATIVE.manager(),
                DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    static Npy golden(String name) throws IOException {
        return Npy.read(TestData.golden("vision/" + name));
    }

    static NDArray array(NDManager m, Npy npy) {
        return m.create(npy.floats(), new Shape(npy.shape()));
    }

    static GridThw grid(String name) throws IOException {
        long[] thw = golden(name).longs();
        return new GridThw((int) thw[0], (int) thw[1], (int) thw[2]);
    }

    private void checkAgainstGoldens(String kind) throws IOException {
        try (NDManager m = NATIVE.manager().newSubManager()) {
            GridThw g = grid(kind + "_grid_thw.npy");
            VisionOutput out = encoder.forward(array(m, golden(kind + "_pixel_values.npy")), List.of(g));
            Npy embeds = golden(kind + "_embeds.npy");
            double worst = Closeness.assertClose(kind + " embeds", embeds.shape(), embeds.floats(), out.embeds(), TOL);
            StringBuilder report = new StringBuilder(kind + " embeds " + String.format("%.3g", worst));
            assertEquals(3, out.deepstack().size());
            for (int i = 0; i < out.deepstack().size(); i++) {
                Npy ds = golden(kind + "_deepstack_" + i + ".npy");
                double e = Closeness.assertClose(kind + " deepstack " + i, ds.shape(), ds.floats(), out.deepstack().get(i), TOL);
                report.append(String.format(", deepstack %d %.3g", i, e));
            }
            System.out.println("[vision golden] " + report);
        }
    }

    @Test
    void imageMatchesGoldenEmbedsAndDeepstack() throws IOException {
        checkAgainstGoldens("image");
    }

    @Test
    void videoWithFourTemporalPatchesMatchesGoldenEmbedsAndDeepstack() throws IOException {
        checkAgainstGoldens("video");
    }

    @Test
    void imageAndVideoInOneBatchEqualTheirSeparateOutputs() throws IOException {
        GridThw ig = grid("image_grid_thw.npy");
        GridThw vg = grid("video_grid_thw.npy");
        try (NDManager m = NATIVE.manager().newSubManager()) {
            NDArray img = array(m, golden("image_pixel_values.npy"));
            NDArray vid = array(m, golden("video_pixel_values.npy"));
            VisionOutput alone = encoder.forward(img, List.of(ig));
            VisionOutput aloneVideo = encoder.forward(vid, List.of(vg));
            VisionOutput both = encoder.forward(vid.concat(img), List.of(vg, ig));
            int videoTokens = vg.tokens(2);
            assertSameRows("video rows of the batch", aloneVideo.embeds(), both.embeds().get("0:{}", videoTokens));
            assertSameRows("image rows of the batch", alone.embeds(), both.embeds().get("{}:", videoTokens));
            for (int i = 0; i < 3; i++) {
                assertSameRows("deepstack " + i + " video rows", aloneVideo.deepstack().get(i),
                        both.deepstack().get(i).get("0:{}", videoTokens));
                assertSameRows("deepstack " + i + " image rows", alone.deepstack().get(i),
                        both.deepstack().get(i).get("{}:", videoTokens));
            }
        }
    }

    @Test
    void videoEqualsItsTemporalPatchesProcessedAsSeparateGrids() throws IOException {
        GridThw g = grid("video_grid_thw.npy");
        GridThw frame = new GridThw(1, g.h(), g.w());
        try (NDManager m = NATIVE.manager().newSubManager()) {
            NDArray vid = array(m, golden("video_pixel_values.npy"));
            VisionOutput whole = encoder.forward(vid, List.of(g));
            VisionOutput perFrame = encoder.forward(vid, java.util.Collections.nCopies(g.t(), frame));
            assertSameRows("embeds", whole.embeds(), perFrame.embeds());
            for (int i = 0; i < 3; i++) {
                assertSameRows("deepstack " + i, whole.deepstack().get(i), perFrame.deepstack().get(i));
            }
        }
    }

    @Test
    void twoEqualImagesBatchedTogetherEachMatchTheGolden() throws IOException {
        GridThw g = grid("image_grid_thw.npy");
        try (NDManager m = NATIVE.manager().newSubManager()) {
            NDArray img = array(m, golden("image_pixel_values.npy"));
            VisionOutput out = encoder.forward(img.concat(img), List.of(g, g));
            Npy embeds = golden("image_embeds.npy");
            int tokens = g.tokens(2);
            Closeness.assertClose("first image", embeds.shape(), embeds.floats(), out.embeds().get("0:{}", tokens), TOL);
            Closeness.assertClose("second image", embeds.shape(), embeds.floats(), out.embeds().get("{}:", tokens), TOL);
        }
    }

    @Test
    void forwardLeavesOnlyItsOutputsInTheCallersManager() throws IOException {
        GridThw g = grid("video_grid_thw.npy");
        try (NDManager m = NATIVE.manager().newSubManager()) {
            NDArray vid = array(m, golden("video_pixel_values.npy"));
            int before = m.getManagedArrays().size();
            int rootBefore = NATIVE.manager().getManagedArrays().size();
            VisionOutput out = encoder.forward(vid, List.of(g));
            assertEquals(before + 1 + out.deepstack().size(), m.getManagedArrays().size(),
                    "arrays left in the caller's manager");
            // getManagedArrays counts sub-managers too: the encoder's weights and the caller's scope
            assertEquals(rootBefore + 1 + out.deepstack().size(), NATIVE.manager().getManagedArrays().size(),
                    "arrays left in the weight manager or another sub-manager");
            out.close();
        }
    }

    @Test
    void pixelValuesThatDoNotMatchTheGridAreRejected() {
        try (NDManager m = NATIVE.manager().newSubManager()) {
            NDArray px = m.zeros(new Shape(10, 1536));
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> encoder.forward(px, List.of(new GridThw(1, 4, 4))));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("(16, 1536)"), e.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> encoder.forward(m.zeros(new Shape(9, 1536)), List.of(new GridThw(1, 3, 3))));
        }
    }

    /** Batched and separate runs use different matmul shapes, so allow float rounding only. */
    private static void assertSameRows(String what, NDArray expected, NDArray actual) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what);
        Closeness.assertClose(what, expected.getShape().getShape(), expected.toFloatArray(), actual, 1e-5);
    }
}
