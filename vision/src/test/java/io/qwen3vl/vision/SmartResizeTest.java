package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SmartResizeTest {
    private static final int FACTOR = 32;

    private static JsonObject table() throws IOException {
        JsonObject t = TestData.json(TestData.golden("preprocess/smart_resize.json")).getAsJsonObject();
        assertEquals(FACTOR, t.get("factor").getAsInt());
        return t;
    }

    /** Checks one golden result: {@code [h, w]}, an upstream error string, or (only where noted) a 0 side. */
    private static void check(String label, JsonElement expected, java.util.function.Supplier<ImageSize> actual) {
        if (expected.isJsonPrimitive()) {
            String upstream = expected.getAsString();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, actual::get, label + " " + upstream);
            assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), label + ": " + e.getMessage());
            return;
        }
        JsonArray hw = expected.getAsJsonArray();
        int h = hw.get(0).getAsInt();
        int w = hw.get(1).getAsInt();
        ImageSize size = actual.get();
        // Upstream returns a zero side for extreme elongation under a small budget; we clamp it to
        // the factor (documented deviation) and must agree on the other side.
        assertEquals(h == 0 ? FACTOR : h, size.height(), label + " height");
        assertEquals(w == 0 ? FACTOR : w, size.width(), label + " width");
    }

    @Test
    void imageRulesMatchTransformersAndQwenVlUtilsForEveryGoldenRow() throws IOException {
        JsonArray rows = table().getAsJsonObject("image").getAsJsonArray("rows");
        assertEquals(18, rows.size());
        for (JsonElement el : rows) {
            JsonObject r = el.getAsJsonObject();
            int h = r.get("height").getAsInt();
            int w = r.get("width").getAsInt();
            long min = r.get("min_pixels").getAsLong();
            long max = r.get("max_pixels").getAsLong();
            String label = w + "x" + h + " [" + min + ", " + max + "]";
            check(label + " transformers", r.get("upstream_hw"), () -> SmartResize.image(w, h, FACTOR, min, max));
            check(label + " qwen-vl-utils", r.get("qwen_vl_utils_hw"),
                    () -> SmartResize.qwenVlUtils(w, h, FACTOR, min, max));
        }
    }

    @Test
    void videoRuleMatchesTransformersForEveryGoldenRow() throws IOException {
        JsonArray rows = table().getAsJsonObject("video").getAsJsonArray("rows");
        assertEquals(10, rows.size());
        for (JsonElement el : rows) {
            JsonObject r = el.getAsJsonObject();
            int n = r.get("num_frames").getAsInt();
            int h = r.get("height").getAsInt();
            int w = r.get("width").getAsInt();
            long min = r.get("min_pixels").getAsLong();
            long max = r.get("max_pixels").getAsLong();
            check(n + " frames " + w + "x" + h, r.get("upstream_hw"),
                    () -> SmartResize.video(n, w, h, 2, FACTOR, min, max));
        }
    }

    @Test
    void halfWayRoundingGoesToEvenMultiples() {
        // 208/32 = 6.5 -> 6 and 400/32 = 12.5 -> 12 (Math.round would give 7 and 13).
        assertEquals(new ImageSize(192, 384), SmartResize.image(208, 400, FACTOR, 65536, 16777216));
        assertEquals(256, SmartResize.roundToFactor(240, FACTOR)); // 7.5 -> 8
        assertEquals(320, SmartResize.roundToFactor(336, FACTOR)); // 10.5 -> 10
    }

    @Test
    void zeroSideFromTheBudgetBranchIsClampedToTheFactor() {
        ImageSize s = SmartResize.image(7000, 40, FACTOR, 65536, 131072);
        assertEquals(new ImageSize(4768, 32), s);
    }

    @Test
    void errorsNameTheProblem() {
        IllegalArgumentException aspect = assertThrows(IllegalArgumentException.class,
                () -> SmartResize.image(6500, 32, FACTOR, 65536, 16777216));
        assertTrue(aspect.getMessage().contains("aspect ratio 203.125"), aspect.getMessage());
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> SmartResize.image(31, 29, FACTOR, 65536, 16777216));
        assertTrue(tiny.getMessage().contains("31x29"), tiny.getMessage());
        IllegalArgumentException oneFrame = assertThrows(IllegalArgumentException.class,
                () -> SmartResize.video(1, 128, 96, 2, FACTOR, 4096, 25165824));
        assertTrue(oneFrame.getMessage().contains("at least 2"), oneFrame.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SmartResize.qwenVlUtils(100, 100, FACTOR, 5000, 4000));
    }
}
