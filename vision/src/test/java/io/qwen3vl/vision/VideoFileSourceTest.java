package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFileSourceTest {
    static final int[] GOLDEN_INDICES = {0, 6, 11, 17, 22, 28, 33, 39};

    @TempDir
    Path temp;

    @Test
    void goldenVideoFramesDecodeBitExact() throws IOException {
        try (VideoFileSource video = VideoFileSource.open(TestData.golden("inputs/video_dev.mkv"))) {
            assertEquals(40, video.frameCount());
            assertEquals(10.0, video.fps());
            assertEquals(128, video.width());
            assertEquals(96, video.height());
            int[] indices = new FrameSampler(SamplingOptions.defaults()).indices(video.frameCount(), video.fps());
            assertArrayEquals(GOLDEN_INDICES, indices);
            for (int k = 0; k < indices.length; k++) {
                RgbImage expected = TestVideos.readPng(goldenFrame(k, indices[k]));
                assertArrayEquals(expected.rgb(), video.frame(indices[k]).rgb(), "frame " + indices[k]);
            }
            assertEquals(indices.length, video.convertedFrames(), "only the sampled frames are converted");
        }
    }

    @Test
    void framesComeOutRightInAnyOrder() throws IOException {
        try (VideoFileSource video = VideoFileSource.open(TestData.golden("inputs/video_dev.mkv"))) {
            for (int k : new int[] {7, 0, 5, 2}) {
                RgbImage expected = TestVideos.readPng(goldenFrame(k, GOLDEN_INDICES[k]));
                assertArrayEquals(expected.rgb(), video.frame(GOLDEN_INDICES[k]).rgb(), "frame " + GOLDEN_INDICES[k]);
            }
        }
    }

    @Test
    void resizeGoldenVideoHasItsMetadataAndIndices() {
        try (VideoFileSource video = VideoFileSource.open(TestData.golden("preprocess/video_resize/video_resize_dev.mkv"))) {
            assertEquals(36, video.frameCount());
            assertEquals(12.0, video.fps());
            assertEquals(100, video.width());
            assertEquals(75, video.height());
            int[] indices = new FrameSampler(SamplingOptions.defaults()).indices(video.frameCount(), video.fps());
            assertArrayEquals(new int[] {0, 7, 14, 21, 28, 35}, indices);
            for (int index : indices) {
                assertEquals(100 * 75 * 3, video.frame(index).rgb().length);
            }
        }
    }

    @Test
    void longVideoSamplingKeepsOnlyTheSampledFrames() throws IOException {
        // 2 minutes at 30 fps; the whole clip as RGB would be 3600 x 9216 bytes = 33 MB.
        Path file = TestVideos.writeIndexed(temp.resolve("long.mp4"), 64, 48, 3600, 12);
        long before = usedHeap();
        List<RgbImage> kept = new ArrayList<>();
        int[] indices;
        try (VideoFileSource video = VideoFileSource.open(file)) {
            assertEquals(3600, video.frameCount());
            assertEquals(30.0, video.fps(), 1e-9);
            indices = new FrameSampler(SamplingOptions.defaults()).indices(video.frameCount(), video.fps());
            assertEquals(240, indices.length);
            for (int index : indices) {
                RgbImage frame = video.frame(index);
                assertEquals(index % 4096, TestVideos.indexOf(frame), "decoded frame carries its index");
                kept.add(frame);
            }
            assertEquals(indices.length, video.convertedFrames(), "one RGB conversion per sampled frame");
            assertTrue(video.decodedFrames() <= 3600 + 1, "never decodes a frame twice: " + video.decodedFrames());
        }
        long grown = usedHeap() - before;
        long sampledBytes = 240L * 64 * 48 * 3;
        assertTrue(grown < sampledBytes + 16L * 1024 * 1024,
                "heap grew by " + grown + " bytes for " + sampledBytes + " bytes of sampled frames");
        assertEquals(240, kept.size());
    }

    @Test
    void sparseSamplingSeeksInsteadOfDecodingEverything() throws IOException {
        Path file = TestVideos.writeIndexed(temp.resolve("sparse.mp4"), 64, 48, 3600, 30);
        try (VideoFileSource video = VideoFileSource.open(file)) {
            int[] indices = new FrameSampler(SamplingOptions.defaults().withNumFrames(8)).indices(3600, video.fps());
            for (int index : indices) {
                assertEquals(index % 4096, TestVideos.indexOf(video.frame(index)), "frame " + index);
            }
            // Sequential reading to the last sample would pull 3600 frames out of the decoder.
            assertTrue(video.decodedFrames() < 600, "decoded " + video.decodedFrames());
        }
    }

    @Test
    void truncatedVideoKeepsTheFramesBeforeTheCut() throws IOException {
        byte[] whole = Files.readAllBytes(TestData.golden("inputs/video_dev.mkv"));
        Path cut = Files.write(temp.resolve("cut.mkv"), Arrays.copyOf(whole, whole.length / 2));
        try (VideoFileSource video = VideoFileSource.open(cut)) {
            assertEquals(40, video.declaredFrameCount());
            assertTrue(video.frameCount() > 0 && video.frameCount() < 40, "frames: " + video.frameCount());
            for (int k = 0; k < GOLDEN_INDICES.length && GOLDEN_INDICES[k] < video.frameCount(); k++) {
                RgbImage expected = TestVideos.readPng(goldenFrame(k, GOLDEN_INDICES[k]));
                assertArrayEquals(expected.rgb(), video.frame(GOLDEN_INDICES[k]).rgb(), "frame " + GOLDEN_INDICES[k]);
            }
            assertThrows(IndexOutOfBoundsException.class, () -> video.frame(39));
        }
    }

    @Test
    void truncatedMp4WithoutItsIndexIsAClearError() throws IOException {
        Path file = TestVideos.writeIndexed(temp.resolve("whole.mp4"), 64, 48, 300, 12);
        byte[] whole = Files.readAllBytes(file);
        Path cut = Files.write(temp.resolve("cut.mp4"), Arrays.copyOf(whole, whole.length / 2));
        MediaException e = assertThrows(MediaException.class, () -> VideoFileSource.open(cut).close());
        assertOneLineNaming(e, cut);
    }

    @Test
    void unusableFilesAreOneLineErrors() throws IOException {
        Path missing = temp.resolve("missing.mp4");
        assertOneLineNaming(assertThrows(MediaException.class, () -> VideoReader.open(missing)), missing);
        assertTrue(assertThrows(MediaException.class, () -> VideoReader.open(missing)).getMessage().contains("not found"));

        Path empty = Files.createFile(temp.resolve("empty.mp4"));
        MediaException emptyError = assertThrows(MediaException.class, () -> VideoReader.open(empty));
        assertOneLineNaming(emptyError, empty);
        assertTrue(emptyError.getMessage().contains("empty"), emptyError.getMessage());

        Path text = Files.writeString(temp.resolve("notes.mp4"), "this is not a video at all\n".repeat(50));
        assertOneLineNaming(assertThrows(MediaException.class, () -> VideoReader.open(text)), text);

        Path image = TestData.golden("inputs/image.png");
        MediaException imageError = assertThrows(MediaException.class, () -> VideoReader.open(image));
        assertTrue(imageError.getMessage().contains("still image"), imageError.getMessage());
        MediaException ffmpegImage = assertThrows(MediaException.class, () -> VideoFileSource.open(image));
        assertTrue(ffmpegImage.getMessage().contains("still image"), ffmpegImage.getMessage());

        Path noFrames = Files.createDirectory(temp.resolve("no-frames"));
        assertOneLineNaming(assertThrows(MediaException.class, () -> VideoReader.open(noFrames)), noFrames);
    }

    @Test
    void videosAreRecognisedByContent() throws IOException {
        assertTrue(VideoReader.looksLikeVideo(TestData.golden("inputs/video_dev.mkv")));
        Path mp4 = TestVideos.writeIndexed(temp.resolve("clip.bin"), 64, 48, 10, 12);
        assertTrue(VideoReader.looksLikeVideo(mp4), "MP4 without a telling name");
        assertFalse(VideoReader.looksLikeVideo(TestData.golden("inputs/image.png")));
        assertFalse(VideoReader.looksLikeVideo(Files.writeString(temp.resolve("a.mkv"), "plain text")));
        assertFalse(VideoReader.looksLikeVideo(temp.resolve("missing.mkv")));
        assertFalse(VideoReader.looksLikeVideo(temp));
        try (FrameSource source = VideoReader.open(mp4)) {
            assertTrue(source instanceof VideoFileSource);
            assertEquals(10, source.frameCount());
        }
    }

    @Test
    void closedSourceRefusesFrames() {
        VideoFileSource video = VideoFileSource.open(TestData.golden("inputs/video_dev.mkv"));
        video.close();
        video.close();
        assertThrows(IllegalStateException.class, () -> video.frame(3));
    }

    static Path goldenFrame(int order, int index) {
        return TestData.golden(String.format("inputs/video_frame_%02d_idx%03d.png", order, index));
    }

    private static void assertOneLineNaming(MediaException e, Path file) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
