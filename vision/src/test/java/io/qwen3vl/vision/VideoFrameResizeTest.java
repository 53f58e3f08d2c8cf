package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

/** The resampler on video frames: 100x75 lossless frames resized to 96x64 as the video processor did. */
class VideoFrameResizeTest {

    @Test
    void sampledFramesResizeToTheReferenceFrames() throws Exception {
        Path dir = TestData.golden("preprocess/video_resize");
        List<RgbImage> all = decodeAll(dir.resolve("video_resize_dev.mkv"));
        assertEquals(36, all.size());
        List<RgbImage> expected = TestData.uint8Frames(dir.resolve("resized_frames.npy"));
        int[] indices = {0, 7, 14, 21, 28, 35};
        assertEquals(indices.length, expected.size());
        for (int i = 0; i < indices.length; i++) {
            BicubicResamplerTest.assertMatchesReference("frame " + indices[i], all.get(indices[i]), expected.get(i));
        }
    }

    private static List<RgbImage> decodeAll(Path file) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
        List<RgbImage> frames = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                int w = f.imageWidth;
                int h = f.imageHeight;
                ByteBuffer buf = (ByteBuffer) f.image[0];
                byte[] rgb = new byte[w * h * 3];
                for (int y = 0; y < h; y++) {
                    buf.position(y * f.imageStride);
                    buf.get(rgb, y * w * 3, w * 3);
                }
                frames.add(new RgbImage(w, h, rgb));
            }
            g.stop();
        }
        return frames;
    }
}
