package io.qwen3vl.vision;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Synthetic videos whose frames carry their own index as a 4×3 grid of black/white blocks (12
 * bits), coarse enough to survive lossy codecs, so a test can tell which frame it got.
 */
final class TestVideos {
    private TestVideos() {
    }

    /** MPEG-4 Part 2 in MP4 at 30 fps with a keyframe every {@code gop} frames. */
    static Path writeIndexed(Path file, int width, int height, int frames, int gop) throws IOException {
        FfmpegLogging.quiet();
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(30);
            recorder.setGopSize(gop);
            recorder.setVideoQuality(2);
            recorder.start();
            Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            ByteBuffer pixels = (ByteBuffer) frame.image[0];
            for (int i = 0; i < frames; i++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        byte v = (byte) (bitAt(i, x, y, width, height) ? 230 : 20);
                        int at = y * frame.imageStride + x * 3;
                        pixels.put(at, v).put(at + 1, v).put(at + 2, v);
                    }
                }
                recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            recorder.stop();
        }
        return file;
    }

    /** The index a frame written by {@link #writeIndexed} carries (modulo 4096). */
    static int indexOf(RgbImage image) {
        int value = 0;
        for (int bit = 0; bit < 12; bit++) {
            int x = bit % 4 * (image.width() / 4) + image.width() / 8;
            int y = bit / 4 * (image.height() / 3) + image.height() / 6;
            if (image.get(x, y, 0) > 128) {
                value |= 1 << bit;
            }
        }
        return value;
    }

    private static boolean bitAt(int index, int x, int y, int width, int height) {
        int bit = Math.min(y / (height / 3), 2) * 4 + Math.min(x / (width / 4), 3);
        return (index >> bit & 1) != 0;
    }

    static RgbImage readPng(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int at = (y * w + x) * 3;
                rgb[at] = (byte) (p >> 16);
                rgb[at + 1] = (byte) (p >> 8);
                rgb[at + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
