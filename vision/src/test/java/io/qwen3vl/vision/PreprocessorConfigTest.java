package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessorConfigTest {
    @TempDir
    Path tmp;

    @Test
    void checkpointFilesGivePixelBudgetsNotEdges() {
        PreprocessorConfig cfg = PreprocessorConfig.load(TestData.tinyModel());
        PreprocessorConfig.ImageSettings img = cfg.image();
        assertEquals(16, img.patchSize());
        assertEquals(2, img.temporalPatchSize());
        assertEquals(2, img.mergeSize());
        assertEquals(32, img.factor());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, img.mean());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, img.std());
        assertEquals(65536L, img.minPixels());
        assertEquals(16777216L, img.maxPixels());
        PreprocessorConfig.VideoSettings video = cfg.video();
        assertEquals(4096L, video.minPixels());
        assertEquals(25165824L, video.maxPixels());
        assertEquals(2.0, video.fps());
        assertEquals(4, video.minFrames());
        assertEquals(768, video.maxFrames());
        assertNull(video.numFrames());
        assertTrue(video.doSampleFrames());
    }

    @Test
    void missingFilesMeanQwen3VlDefaults() {
        PreprocessorConfig cfg = PreprocessorConfig.load(tmp);
        assertEquals(PreprocessorConfig.defaultImage().minPixels(), cfg.image().minPixels());
        assertEquals(16777216L, cfg.image().maxPixels());
        assertEquals(25165824L, cfg.video().maxPixels());
    }

    @Test
    void legacyMinMaxPixelsOverrideSize() throws IOException {
        Files.writeString(tmp.resolve(PreprocessorConfig.IMAGE_FILE),
                "{\"size\": {\"shortest_edge\": 3136, \"longest_edge\": 1003520}, \"min_pixels\": 1000, "
                        + "\"max_pixels\": 2000000, \"patch_size\": 14, \"fps\": 1, \"unknown\": [1]}");
        Files.writeString(tmp.resolve(PreprocessorConfig.VIDEO_FILE),
                "{\"fps\": 1.5, \"min_frames\": 2, \"max_frames\": 64, \"num_frames\": 8, \"do_sample_frames\": false}");
        PreprocessorConfig cfg = PreprocessorConfig.load(tmp);
        assertEquals(1000L, cfg.image().minPixels());
        assertEquals(2000000L, cfg.image().maxPixels());
        assertEquals(28, cfg.image().factor());
        assertEquals(1.5, cfg.video().fps());
        assertEquals(64, cfg.video().maxFrames());
        assertEquals(8, cfg.video().numFrames());
        assertEquals(false, cfg.video().doSampleFrames());
    }

    @Test
    void badValuesNameTheFileAndKey() throws IOException {
        Path file = tmp.resolve(PreprocessorConfig.IMAGE_FILE);
        String[][] cases = {
            {"{\"patch_size\": \"16\"}", "patch_size"},
            {"{\"patch_size\": 0}", "patch_size"},
            {"{\"size\": {\"shortest_edge\": 65536}}", "size"},
            {"{\"size\": {\"shortest_edge\": 1.5, \"longest_edge\": 9}}", "size.shortest_edge"},
            {"{\"image_mean\": [0.5, 0.5]}", "image_mean"},
            {"{\"image_std\": [0.5, 0, 0.5]}", "image_std"},
            {"{\"patch_size\": 16,}", "invalid JSON"},
            {"{'patch_size': 16}", "invalid JSON"},
            {"[1, 2]", "expected a JSON object"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PreprocessorConfig.load(tmp), c[0]);
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
