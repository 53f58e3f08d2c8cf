package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.qwen3vl.models.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageProcessorTest {
    private static final Path DIR = TestData.golden("preprocess");
    private final ImageProcessor processor = new ImageProcessor(PreprocessorConfig.load(TestData.tinyModel()));

    @Test
    void everyGoldenImageCaseProcessesLikeTheReference() throws IOException {
        int checked = 0;
        for (JsonElement el : TestData.json(DIR.resolve("images/images.json")).getAsJsonArray()) {
            JsonObject c = el.getAsJsonObject();
            String name = c.get("name").getAsString();
            Path input = DIR.resolve(c.get("input_file").getAsString());
            long min = c.get("min_pixels").getAsLong();
            long max = c.get("max_pixels").getAsLong();
            if (c.has("error")) {
                MediaException e = assertThrows(MediaException.class,
                        () -> processor.process(input, AlphaMode.DROP, min, max), name);
                assertTrue(e.getMessage().contains(input.toString()) && e.getMessage().contains("at least 32"),
                        e.getMessage());
                checked++;
                continue;
            }
            ProcessedImage p = processor.process(input, AlphaMode.DROP, min, max);
            assertEquals(new ImageSize(c.get("width").getAsInt(), c.get("height").getAsInt()), p.original(), name);
            assertEquals(new ImageSize(c.get("resized_width").getAsInt(), c.get("resized_height").getAsInt()),
                    p.resized(), name);
            JsonArray thw = c.getAsJsonArray("image_grid_thw");
            assertEquals(new PatchGrid(thw.get(0).getAsInt(), thw.get(1).getAsInt(), thw.get(2).getAsInt()),
                    p.patches().grid(), name);
            assertEquals(c.get("num_image_tokens").getAsInt(), p.patches().grid().tokenCount(2), name);
            assertPixelValues(name, Npy.read(DIR.resolve(c.get("pixel_values_file").getAsString())), p.patches());
            checked++;
        }
        assertEquals(6, checked);
    }

    @Test
    void mainGoldenImageGivesTheVisionInputWithConfiguredBudgets() throws IOException {
        ProcessedImage p = processor.process(TestData.golden("inputs/image.png"), AlphaMode.DROP, null, null);
        assertEquals(new PatchGrid(1, 14, 20), p.patches().grid());
        PatchifierTest.assertValues("image", Npy.read(TestData.golden("vision/image_pixel_values.npy")), p.patches());
    }

    @Test
    void aLoneMaxPixelsOverrideIsHonoured() throws IOException {
        // Upstream ignores max_pixels unless min_pixels is also given; ours works alone and equals
        // the golden case that passed both.
        ProcessedImage p = processor.process(DIR.resolve("images/wide_517x301.png"), AlphaMode.DROP, null, 131072L);
        assertEquals(new ImageSize(448, 256), p.resized());
        ProcessedImage q = processor.process(DIR.resolve("images/wide_517x301.png"), AlphaMode.DROP, 300_000L, null);
        assertTrue(q.resized().pixels() >= 300_000L, q.resized().toString());
    }

    @Test
    void extremeAspectRatioIsAClearError() {
        RgbImage strip = new RgbImage(6500, 32, new byte[6500 * 32 * 3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> processor.process(strip, null, null));
        assertTrue(e.getMessage().contains("aspect ratio"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> processor.process(strip, 0L, null));
    }

    /** Pixel values agree within float rounding (1e-6) everywhere. */
    static void assertPixelValues(String label, Npy expected, VisualPatches actual) {
        long[] shape = expected.shape();
        assertEquals(actual.rows(), shape[0], label + " rows");
        assertEquals(actual.patchDim(), shape[1], label + " patch dim");
        float[] e = expected.floats();
        float[] a = actual.values();
        for (int i = 0; i < e.length; i++) {
            if (Math.abs((double) e[i] - a[i]) > 1e-6) {
                fail(label + ": row " + i / shape[1] + " col " + i % shape[1] + ": expected " + e[i] + ", got " + a[i]);
            }
        }
    }
}
