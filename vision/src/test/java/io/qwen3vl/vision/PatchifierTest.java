package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.qwen3vl.models.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PatchifierTest {
    static final Patchifier QWEN3VL = new Patchifier(16, 2, 2, new float[] {0.5f, 0.5f, 0.5f},
            new float[] {0.5f, 0.5f, 0.5f});

    @Test
    void resizedGoldenImagesPatchifyToTheReferencePixelValues() throws IOException {
        Path dir = TestData.golden("preprocess");
        int checked = 0;
        for (JsonElement el : TestData.json(dir.resolve("images/images.json")).getAsJsonArray()) {
            JsonObject c = el.getAsJsonObject();
            if (c.has("error")) {
                continue;
            }
            RgbImage resized = TestData.png(dir.resolve(c.get("resized_file").getAsString()));
            VisualPatches p = QWEN3VL.patchify(List.of(resized));
            String name = c.get("name").getAsString();
            assertGrid(name, c.getAsJsonArray("image_grid_thw"), p.grid());
            assertValues(name, Npy.read(dir.resolve(c.get("pixel_values_file").getAsString())), p);
            checked++;
        }
        assertEquals(5, checked);
    }

    @Test
    void mainGoldenImagePatchifiesToTheVisionInput() throws IOException {
        RgbImage image = TestData.png(TestData.golden("inputs/image.png"));
        VisualPatches p = QWEN3VL.patchify(List.of(image));
        assertEquals(new PatchGrid(1, 14, 20), p.grid());
        assertGridNpy("image", TestData.golden("vision/image_grid_thw.npy"), p.grid());
        assertValues("image", Npy.read(TestData.golden("vision/image_pixel_values.npy")), p);
    }

    @Test
    void mainGoldenVideoFramesPatchifyToTheVisionInput() throws IOException {
        List<RgbImage> frames = new ArrayList<>();
        try (Stream<Path> files = Files.list(TestData.golden("inputs"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("video_frame_")).sorted().toList()) {
                frames.add(TestData.png(f));
            }
        }
        assertEquals(8, frames.size());
        VisualPatches p = QWEN3VL.patchify(frames);
        assertEquals(new PatchGrid(4, 6, 8), p.grid());
        assertGridNpy("video", TestData.golden("vision/video_grid_thw.npy"), p.grid());
        assertValues("video", Npy.read(TestData.golden("vision/video_pixel_values.npy")), p);
    }

    @Test
    void resizedVideoFramesPatchifyToTheReferencePixelValues() throws IOException {
        Path dir = TestData.golden("preprocess/video_resize");
        List<RgbImage> frames = TestData.uint8Frames(dir.resolve("resized_frames.npy"));
        assertEquals(6, frames.size());
        VisualPatches p = QWEN3VL.patchify(frames);
        assertGridNpy("video_resize", dir.resolve("video_grid_thw.npy"), p.grid());
        assertValues("video_resize", Npy.read(dir.resolve("pixel_values_videos.npy")), p);
    }

    @Test
    void oddFrameCountRepeatsTheLastFrame() {
        RgbImage a = flat(64, 32, 10);
        RgbImage b = flat(64, 32, 200);
        VisualPatches odd = QWEN3VL.patchify(List.of(a, b, a));
        VisualPatches padded = QWEN3VL.patchify(List.of(a, b, a, a));
        assertEquals(new PatchGrid(2, 2, 4), odd.grid());
        org.junit.jupiter.api.Assertions.assertArrayEquals(padded.values(), odd.values());
    }

    @Test
    void normalisationIsExactlyCentredOn127Point5() {
        VisualPatches p = QWEN3VL.patchify(List.of(flat(32, 32, 0), flat(32, 32, 255)));
        assertEquals(-1.0f, p.values()[0]);
        assertEquals(1.0f, p.values()[256]);
        VisualPatches mid = QWEN3VL.patchify(List.of(flat(32, 32, 128)));
        assertEquals((128f - 127.5f) / 127.5f, mid.values()[0]);
    }

    @Test
    void framesOfWrongSizeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> QWEN3VL.patchify(List.of(flat(48, 32, 0))));
        assertThrows(IllegalArgumentException.class, () -> QWEN3VL.patchify(List.of(flat(32, 32, 0), flat(64, 32, 0))));
        assertThrows(IllegalArgumentException.class, () -> QWEN3VL.patchify(List.of()));
    }

    private static RgbImage flat(int w, int h, int value) {
        byte[] rgb = new byte[w * h * 3];
        java.util.Arrays.fill(rgb, (byte) value);
        return new RgbImage(w, h, rgb);
    }

    private static void assertGrid(String label, JsonArray thw, PatchGrid grid) {
        assertEquals(new PatchGrid(thw.get(0).getAsInt(), thw.get(1).getAsInt(), thw.get(2).getAsInt()), grid, label);
    }

    private static void assertGridNpy(String label, Path file, PatchGrid grid) throws IOException {
        long[] thw = Npy.read(file).longs();
        assertEquals(new PatchGrid((int) thw[0], (int) thw[1], (int) thw[2]), grid, label);
    }

    /** Pixel values must agree within 1e-6 (they are bit-exact in practice; see the worst difference). */
    static void assertValues(String label, Npy expected, VisualPatches actual) {
        long[] shape = expected.shape();
        assertEquals(actual.rows(), shape[0], label + " rows");
        assertEquals(actual.patchDim(), shape[1], label + " patch dim");
        float[] e = expected.floats();
        float[] a = actual.values();
        int worst = 0;
        double worstDiff = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs((double) e[i] - a[i]);
            if (d > worstDiff) {
                worstDiff = d;
                worst = i;
            }
        }
        if (worstDiff > 1e-6) {
            fail(label + ": max |diff| " + worstDiff + " at row " + worst / shape[1] + " col " + worst % shape[1]
                    + ": expected " + e[worst] + ", got " + a[worst]);
        }
    }
}
