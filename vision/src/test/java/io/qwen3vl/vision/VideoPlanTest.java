package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Planning from metadata, then decoding chunk by chunk, equals processing the clip at once. */
class VideoPlanTest {
    private final VideoProcessor processor = new VideoProcessor(
            new Patchifier(16, 2, 2, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}), 2, 4096, 25165824);

    @ParameterizedTest
    @CsvSource({
            "inputs/video_dev.mkv, 0",                      // 8 frames, grid t 4
            "preprocess/video_resize/video_resize_dev.mkv, 0", // resized, t 3
            "inputs/video_dev.mkv, 5"})                     // odd count: last patch repeats its frame
    void chunkedPatchesEqualTheWholeClip(String file, int numFrames) {
        VideoOptions options = numFrames > 0 ? VideoOptions.of(SamplingOptions.defaults().withNumFrames(numFrames))
                : VideoOptions.defaults();
        ProcessedVideo whole;
        try (FrameSource source = VideoReader.open(TestData.golden(file))) {
            whole = processor.process(source, options);
        }
        try (FrameSource source = VideoReader.open(TestData.golden(file))) {
            VideoPlan plan = processor.plan(source, options);
            assertEquals(whole.grid(), plan.grid());
            assertArrayEquals(whole.frameIndices(), plan.frameIndices());
            assertArrayEquals(whole.timestamps(), plan.timestamps());
            float[] chunked = new float[whole.patches().values().length];
            int offset = 0;
            for (int t = 0; t < plan.grid().t(); t++) {
                VisualPatches part = processor.patches(source, plan, t, t + 1);
                System.arraycopy(part.values(), 0, chunked, offset, part.values().length);
                offset += part.values().length;
            }
            assertEquals(chunked.length, offset);
            assertArrayEquals(whole.patches().values(), chunked);
        }
    }
}
