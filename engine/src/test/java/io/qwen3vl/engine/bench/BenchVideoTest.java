package io.qwen3vl.engine.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.models.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The benchmark's video follows the transformers video processor's sampling and resizing (golden tables). */
class BenchVideoTest {

    @Test
    void defaultSamplingMatchesTransformersRows() throws IOException {
        JsonObject table = read("preprocess/video_sampling.json");
        int checked = 0;
        for (JsonElement e : table.getAsJsonArray("rows")) {
            JsonObject row = e.getAsJsonObject();
            boolean defaultFps = row.get("requested_fps").isJsonNull() || row.get("requested_fps").getAsDouble() == 2;
            JsonObject tf = row.getAsJsonObject("transformers");
            if (!defaultFps || !row.get("num_frames").isJsonNull() || tf.has("error") || tf.has("video_processor_error")) {
                continue;
            }
            String label = row.get("label").getAsString();
            BenchVideo video = BenchVideo.ofFrames(row.get("total_num_frames").getAsInt(),
                    row.get("video_fps").getAsDouble(), 64, 64);
            assertEquals(tf.get("num_sampled").getAsInt(), video.sampledFrames(), label);
            assertEquals(tf.get("video_grid_t").getAsInt(), video.grid().t(), label);
            double[] expected = new double[tf.getAsJsonArray("timestamps").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = tf.getAsJsonArray("timestamps").get(i).getAsDouble();
            }
            assertArrayEquals(expected, video.patchSeconds(), label);
            checked++;
        }
        assertTrue(checked >= 10, "only " + checked + " rows checked");
    }

    @Test
    void resizeMatchesTransformersVideoSmartResize() throws IOException {
        JsonObject table = read("preprocess/smart_resize.json");
        int checked = 0;
        for (JsonElement e : table.getAsJsonObject("video").getAsJsonArray("rows")) {
            JsonObject row = e.getAsJsonObject();
            if (!row.get("upstream_hw").isJsonArray()) {
                continue; // an upstream error row
            }
            int[] hw = BenchVideo.smartResize(row.get("num_frames").getAsInt(), row.get("height").getAsInt(),
                    row.get("width").getAsInt(), row.get("min_pixels").getAsLong(), row.get("max_pixels").getAsLong());
            assertEquals(row.get("upstream_hw").getAsJsonArray().get(0).getAsInt(), hw[0], row.toString());
            assertEquals(row.get("upstream_hw").getAsJsonArray().get(1).getAsInt(), hw[1], row.toString());
            checked++;
        }
        assertTrue(checked >= 8, "only " + checked + " rows checked");
    }

    @Test
    void resizedGoldenVideoGetsItsGrid() throws IOException {
        long[] grid = Npy.read(TestData.golden("preprocess/video_resize/video_grid_thw.npy")).longs();
        BenchVideo video = BenchVideo.ofFrames(36, 12.0, 100, 75);
        assertArrayEquals(grid, new long[] {video.grid().t(), video.grid().h(), video.grid().w()});
    }

    private static JsonObject read(String golden) throws IOException {
        return JsonParser.parseString(Files.readString(TestData.golden(golden))).getAsJsonObject();
    }
}
