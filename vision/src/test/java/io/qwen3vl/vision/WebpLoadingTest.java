package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebP, which the JDK cannot decode, goes through FFmpeg. The file is written by FFmpeg too. */
class WebpLoadingTest {
    @TempDir
    Path tmp;

    @Test
    void losslessWebpDecodesToItsPixels() throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
        Assumptions.assumeTrue(avcodec.avcodec_find_encoder_by_name("libwebp") != null,
                "this FFmpeg build has no WebP encoder");
        int w = 48;
        int h = 32;
        Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // BGR24 order, as JavaCV frames of 3 channels are.
                buf.put(y * stride + x * 3, (byte) (x < w / 2 ? 0 : 255));
                buf.put(y * stride + x * 3 + 1, (byte) (y * 8));
                buf.put(y * stride + x * 3 + 2, (byte) (x < w / 2 ? 255 : 0));
            }
        }
        Path file = tmp.resolve("picture.webp");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), w, h)) {
            rec.setFormat("webp");
            rec.setVideoCodecName("libwebp");
            rec.setVideoOption("lossless", "1");
            rec.setPixelFormat(avutil.AV_PIX_FMT_BGRA);
            rec.start();
            rec.record(frame, avutil.AV_PIX_FMT_BGR24);
            rec.stop();
        }
        assertTrue(ImageLoader.looksLikeImage(file));
        RgbImage img = ImageLoader.load(file);
        assertEquals(w, img.width());
        assertEquals(h, img.height());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(x < w / 2 ? 255 : 0, img.get(x, y, 0), "red at " + x + "," + y);
                assertEquals(y * 8, img.get(x, y, 1), "green at " + x + "," + y);
                assertEquals(x < w / 2 ? 0 : 255, img.get(x, y, 2), "blue at " + x + "," + y);
            }
        }
        RgbImage white = ImageLoader.load(file, AlphaMode.WHITE);
        assertEquals(img.get(5, 5, 1), white.get(5, 5, 1), "opaque WebP is unchanged by compositing");
    }
}
