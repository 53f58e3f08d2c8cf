package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.qwen3vl.models.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoProcessorTest {
    /** The tiny checkpoint's video_preprocessor_config.json: size.shortest_edge / longest_edge. */
    static final long CONFIG_MIN_PIXELS = 4096;
    static final long CONFIG_MAX_PIXELS = 25165824;

    @TempDir
    Path temp;

    private final VideoProcessor processor = new VideoProcessor(
            new Patchifier(16, 2, 2, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}),
            2, CONFIG_MIN_PIXELS, CONFIG_MAX_PIXELS);

    @Test
    void goldenVideoMatchesReferencePixelValues() throws IOException {
        ProcessedVideo video;
        try (FrameSource source = VideoReader.open(TestData.golden("inputs/video_dev.mkv"))) {
            video = processor.process(source, VideoOptions.defaults());
        }
        assertEquals(new PatchGrid(4, 6, 8), video.grid());
        assertArrayEquals(VideoFileSourceTest.GOLDEN_INDICES, video.frameIndices());
        assertArrayEquals(new double[] {0.3, 1.4, 2.5, 3.5999999999999996}, video.timestamps(), 0.0);
        assertEquals("<3.6 seconds>", video.timestampText(3, TimestampFormat.SECONDS));
        assertEquals(new ImageSize(128, 96), video.resized());
        assertEquals(40, video.totalFrames());
        assertClose(Npy.read(TestData.golden("vision/video_pixel_values.npy")), video.patches());
    }

    @Test
    void videoThatNeedsResizingMatchesReferencePixelValues() throws IOException {
        Path dir = TestData.golden("preprocess/video_resize");
        JsonObject expected = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("video.json")))
                .getAsJsonObject();
        ProcessedVideo video;
        try (FrameSource source = VideoReader.open(dir.resolve("video_resize_dev.mkv"))) {
            video = processor.process(source, VideoOptions.defaults());
        }
        assertEquals(new PatchGrid(3, 4, 6), video.grid());
        assertArrayEquals(ints(expected.getAsJsonArray("sampled_frame_indices")), video.frameIndices());
        assertArrayEquals(doubles(expected.getAsJsonArray("temporal_patch_timestamps_seconds")), video.timestamps(), 0.0);
        JsonArray strings = expected.getAsJsonArray("timestamp_strings");
        for (int t = 0; t < strings.size(); t++) {
            assertEquals(strings.get(t).getAsString(), video.timestampText(t, TimestampFormat.SECONDS));
        }
        assertEquals(new ImageSize(expected.get("resized_width").getAsInt(), expected.get("resized_height").getAsInt()),
                video.resized());
        assertEquals(new ImageSize(100, 75), video.original());
        assertClose(Npy.read(dir.resolve("pixel_values_videos.npy")), video.patches());
    }

    @Test
    void folderOfTheGoldenFramesGivesTheSamePixelValues() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("frames"));
        for (int k = 0; k < 8; k++) {
            // Names that sort wrongly as plain strings (frame_10 before frame_2) but rightly by number.
            Files.copy(VideoFileSourceTest.goldenFrame(k, VideoFileSourceTest.GOLDEN_INDICES[k]),
                    folder.resolve("frame_" + (k * 4 + 1) + ".png"));
        }
        Files.writeString(folder.resolve("notes.txt"), "not a frame");
        ProcessedVideo video;
        try (FrameSource source = VideoReader.open(folder, 2.0)) {
            assertEquals(8, source.frameCount());
            video = processor.process(source, VideoOptions.defaults());
        }
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, video.frameIndices(), "2 fps over 8 frames at 2 fps");
        assertEquals(new PatchGrid(4, 6, 8), video.grid());
        assertClose(Npy.read(TestData.golden("vision/video_pixel_values.npy")), video.patches());
    }

    @Test
    void explicitFrameListKeepsItsOrder() throws IOException {
        List<Path> files = new ArrayList<>();
        for (int k = 7; k >= 0; k--) {
            files.add(VideoFileSourceTest.goldenFrame(k, VideoFileSourceTest.GOLDEN_INDICES[k]));
        }
        try (FrameFolderSource source = FrameFolderSource.of(files, 2.0)) {
            RgbImage expected = TestVideos.readPng(files.get(0));
            assertArrayEquals(expected.rgb(), source.frame(0).rgb());
            assertArrayEquals(TestVideos.readPng(files.get(5)).rgb(), source.frame(5).rgb());
        }
    }

    @Test
    void naturalOrderComparesNumbersByValue() {
        List<String> names = new ArrayList<>(List.of("f10.png", "f2.png", "f1.png", "f02b.png", "g.png", "f.png"));
        names.sort(FrameFolderSource.NaturalOrder.INSTANCE);
        assertEquals(List.of("f.png", "f1.png", "f2.png", "f02b.png", "f10.png", "g.png"), names);
    }

    @Test
    void singleFrameClipIsAClearErrorNamingTheSource() {
        Path frame = VideoFileSourceTest.goldenFrame(0, 0);
        try (FrameSource source = FrameFolderSource.of(List.of(frame), 2.0)) {
            MediaException e = assertThrows(MediaException.class, () -> processor.process(source, VideoOptions.defaults()));
            assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
            assertEquals(source.path(), e.file());
        }
    }

    @Test
    void qwenVlUtilsModeUsesPerFrameBudgets() {
        VideoOptions qwen = VideoOptions.of(SamplingOptions.defaults().withMode(SamplerMode.QWEN_VL_UTILS));
        // 768 frames: each frame's share of 128000·32²·0.9 is 307200 pixels (below the 768·32² cap).
        ImageSize hd = processor.targetSize(768, new ImageSize(1920, 1080), qwen);
        assertTrue(hd.pixels() <= 307200 && hd.pixels() >= 131072, hd.toString());
        assertEquals(0, hd.width() % 32);
        // 8 frames: the 768·32² per-frame cap applies.
        ImageSize few = processor.targetSize(8, new ImageSize(1920, 1080), qwen);
        assertTrue(few.pixels() <= 768 * 1024 && few.pixels() > 307200, few.toString());
        // Small frames are scaled up to the 128·32² minimum.
        ImageSize small = processor.targetSize(8, new ImageSize(128, 96), qwen);
        assertTrue(small.pixels() >= 131072, small.toString());
        // A per-frame override lowers the cap.
        ImageSize capped = processor.targetSize(8, new ImageSize(1920, 1080),
                new VideoOptions(qwen.sampling(), 200000L, null, null));
        assertTrue(capped.pixels() <= 200000, capped.toString());
    }

    @Test
    void transformersModeBudgetsAllFramesTogether() {
        VideoOptions defaults = VideoOptions.defaults();
        ImageSize size = processor.targetSize(768, new ImageSize(1920, 1080), defaults);
        assertTrue(768L * size.pixels() <= CONFIG_MAX_PIXELS, size.toString());
        ImageSize fewFrames = processor.targetSize(8, new ImageSize(1920, 1080), defaults);
        assertEquals(new ImageSize(1920, 1088), fewFrames, "8 frames fit the budget at near-native size");
        ImageSize perFrame = processor.targetSize(8, new ImageSize(1920, 1080),
                new VideoOptions(defaults.sampling(), 200000L, null, null));
        assertTrue(perFrame.pixels() <= 200000, perFrame.toString());
        ImageSize total = processor.targetSize(8, new ImageSize(1920, 1080),
                new VideoOptions(defaults.sampling(), null, 8L * 100000, null));
        assertTrue(total.pixels() <= 100000, total.toString());
    }

    private static void assertClose(Npy expected, VisualPatches actual) {
        float[] want = expected.floats();
        float[] got = actual.values();
        assertEquals(want.length, got.length, "value count");
        assertEquals(expected.shape()[1], actual.patchDim());
        int worst = 0;
        double worstDiff = 0;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(want[i] - got[i]);
            if (d > worstDiff) {
                worstDiff = d;
                worst = i;
            }
        }
        assertTrue(worstDiff <= 1e-6, "max |diff| " + worstDiff + " at " + worst + ": expected " + want[worst]
                + ", got " + got[worst]);
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
