package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every row of golden/preprocess/video_sampling.json, in both sampler modes. */
class FrameSamplerTest {

    @TestFactory
    List<DynamicTest> transformersModeMatchesEveryGoldenRow() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement element : rows()) {
            JsonObject row = element.getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(row.get("label").getAsString(),
                    () -> checkRow(row, SamplerMode.TRANSFORMERS, row.getAsJsonObject("transformers"))));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> qwenVlUtilsModeMatchesEveryGoldenRow() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement element : rows()) {
            JsonObject row = element.getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(row.get("label").getAsString(),
                    () -> checkRow(row, SamplerMode.QWEN_VL_UTILS, row.getAsJsonObject("qwen_vl_utils"))));
        }
        return tests;
    }

    private static void checkRow(JsonObject row, SamplerMode mode, JsonObject expected) {
        int total = row.get("total_num_frames").getAsInt();
        double videoFps = row.get("video_fps").getAsDouble();
        Double fps = row.get("requested_fps").isJsonNull() ? null : row.get("requested_fps").getAsDouble();
        Integer numFrames = row.get("num_frames").isJsonNull() ? null : row.get("num_frames").getAsInt();

        if (fps != null && numFrames != null) {
            // Upstream raises in both modes; we refuse the options themselves.
            assertTrue(expected.has("error"), "golden row should be an upstream error");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SamplingOptions(mode, fps, numFrames, 4, 768));
            assertTrue(e.getMessage().contains("mutually exclusive"), e.getMessage());
            return;
        }
        SamplingOptions options = new SamplingOptions(mode, fps, numFrames, 4, 768);
        FrameSampler sampler = new FrameSampler(options);

        if (numFrames != null && numFrames > total) {
            // Documented deviation: upstream repeats indices (transformers) or raises
            // (qwen-vl-utils); we clamp the count to the clip and take every frame once.
            assertTrue(mode == SamplerMode.QWEN_VL_UTILS ? expected.has("error")
                    : expected.get("num_sampled").getAsInt() > total, "golden row shows the upstream quirk");
            int clamped = mode == SamplerMode.QWEN_VL_UTILS ? total / 2 * 2 : total;
            assertArrayEquals(IntStream.range(0, clamped).map(i -> (int) Math.rint(i * (total - 1.0) / (clamped - 1))).toArray(),
                    sampler.indices(total, videoFps));
            return;
        }
        if (expected.has("error") || expected.has("video_processor_error")) {
            // A single frame cannot fill a temporal patch: both upstream paths raise, so do we.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sampler.indices(total, videoFps));
            assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
            return;
        }

        int[] indices = sampler.indices(total, videoFps);
        assertArrayEquals(ints(expected.getAsJsonArray("indices")), indices, "indices");
        String countKey = mode == SamplerMode.TRANSFORMERS ? "num_sampled" : "nframes";
        assertEquals(expected.get(countKey).getAsInt(), sampler.frameCount(total, videoFps), "frame count");

        double[] timestamps = VideoTimestamps.perTemporalPatch(indices, videoFps, 2);
        assertArrayEquals(doubles(expected.getAsJsonArray("timestamps")), timestamps, 0.0, "timestamps (bit-exact)");
        assertEquals(expected.get("video_grid_t").getAsInt(), timestamps.length, "grid t");
        JsonArray strings = expected.getAsJsonArray("timestamp_strings");
        for (int i = 0; i < timestamps.length; i++) {
            assertEquals(strings.get(i).getAsString(), TimestampFormat.SECONDS.format(timestamps[i]), "string " + i);
        }
    }

    @TestFactory
    List<DynamicTest> secondsFormatRoundsTheExactBinaryValueLikePython() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement element : rows()) {
            JsonObject transformers = element.getAsJsonObject().getAsJsonObject("transformers");
            if (!transformers.has("timestamp_rounding_notes")) {
                continue;
            }
            for (JsonElement note : transformers.getAsJsonArray("timestamp_rounding_notes")) {
                JsonObject n = note.getAsJsonObject();
                double value = Double.parseDouble(n.get("value_repr").getAsString());
                String python = n.get("python_format").getAsString();
                tests.add(DynamicTest.dynamicTest(n.get("value_repr").getAsString() + " -> " + python,
                        () -> assertEquals("<" + python + " seconds>", TimestampFormat.SECONDS.format(value))));
            }
        }
        assertTrue(tests.size() > 10, "expected rounding notes in the golden table");
        return tests;
    }

    @Test
    void hmsFormatSplitsTheRoundedTenths() {
        assertEquals("<00:02:05.7>", TimestampFormat.HMS.format(125.66));
        assertEquals("<00:00:00.2>", TimestampFormat.HMS.format(0.25));
        assertEquals("<00:01:00.0>", TimestampFormat.HMS.format(59.96));
        assertEquals("<01:00:00.0>", TimestampFormat.HMS.format(3600.0));
        assertEquals("<27:46:40.0>", TimestampFormat.HMS.format(100000.0));
        assertThrows(IllegalArgumentException.class, () -> TimestampFormat.HMS.format(Double.NaN));
    }

    @Test
    void timestampsPadAnOddCountWithTheLastFrame() {
        assertArrayEquals(new double[] {0.05, 0.4}, VideoTimestamps.perTemporalPatch(new int[] {0, 1, 4}, 10.0, 2), 0.0);
    }

    @Test
    void torchLinspaceDiffersFromPerElementFloatMathOnLongClips() {
        // 1 h at 30000/1001 fps: the per-element float formula would round two indices the other
        // way; the golden row (checked above) follows torch's vectorized kernel.
        float[] blocked = FrameSampler.torchLinspaceFloat32(107891, 768);
        float step = 107891f / 767f;
        int differences = 0;
        for (int i = 0; i < 768; i++) {
            float perElement = i < 384 ? step * i : 107891f - step * (767 - i);
            if (Math.rint(perElement) != Math.rint(blocked[i])) {
                differences++;
            }
        }
        assertEquals(2, differences);
    }

    @Test
    void invalidOptionsAndClipsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.defaults().withFps(0));
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.defaults().withNumFrames(0));
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.defaults().withFrameRange(8, 4));
        FrameSampler sampler = new FrameSampler(SamplingOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> sampler.indices(0, 30));
        assertThrows(IllegalArgumentException.class, () -> sampler.indices(10, 0));
        assertThrows(IllegalArgumentException.class, () -> sampler.indices(10, Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> new FrameSampler(SamplingOptions.defaults().withNumFrames(1)).indices(10, 10));
    }

    private static JsonArray rows() throws IOException {
        String json = Files.readString(TestData.golden("preprocess/video_sampling.json"), StandardCharsets.UTF_8);
        JsonArray rows = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("rows");
        assertEquals(29, rows.size());
        return rows;
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }

    private static double[] doubles(JsonArray array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsDouble();
        }
        return out;
    }
}
