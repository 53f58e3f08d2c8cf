package io.qwen3vl.engine.eval.needle;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import io.qwen3vl.vision.FfmpegLogging;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Writes a needle-in-a-haystack video (the V-NIAH-D idea from the VideoRoPE paper): haystack frames
 * with a distinctive needle (a red star) held for {@code holdSeconds} at a known time, and similar
 * distractors (the same star in blue, then green) at other times, so that a model must both see the
 * needle and place it in time.
 *
 * <p>Encoding is lossless (FFV1 in Matroska with BGR0 pixels; the bundled FFmpeg has no x264), so the
 * decoded frames are exactly the drawn ones and tests can check every frame.
 */
public final class NeedleVideoGenerator {
    private static final Color[] DISTRACTOR_COLOURS = {NeedleShapes.BLUE, NeedleShapes.GREEN};

    private NeedleVideoGenerator() {
    }

    /** The needle frame as shown in the video. */
    public static BufferedImage needleImage(NeedleSpec spec) {
        return NeedleShapes.draw(NeedleShapes.Shape.STAR, NeedleShapes.RED, spec.width(), spec.height());
    }

    /** A look-alike that never appears in the video (the wrong option of the two-image question). */
    public static BufferedImage decoyImage(NeedleSpec spec) {
        return NeedleShapes.draw(NeedleShapes.Shape.TRIANGLE, NeedleShapes.RED, spec.width(), spec.height());
    }

    public static NeedleVideo write(Path file, NeedleSpec spec, Haystack haystack) throws IOException {
        int frames = spec.frameCount();
        int hold = spec.holdFrames();
        int needle = (int) Math.round(spec.depth() * (frames - hold));
        List<Integer> distractors = placeDistractors(spec, needle);
        NeedleVideo video = new NeedleVideo(file, spec, needle, distractors);
        BufferedImage needleFrame = needleImage(spec);
        List<BufferedImage> distractorFrames = new ArrayList<>();
        for (int k = 0; k < distractors.size(); k++) {
            distractorFrames.add(NeedleShapes.draw(NeedleShapes.Shape.STAR, DISTRACTOR_COLOURS[k], spec.width(),
                    spec.height()));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FfmpegLogging.quiet(); // the recorder would print its stream layout to stderr
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), spec.width(), spec.height(), 0);
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat("matroska");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_FFV1);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_BGR0);
            recorder.setFrameRate(spec.fps());
            recorder.start();
            for (int i = 0; i < frames; i++) {
                BufferedImage image;
                if (video.showsNeedle(i)) {
                    image = needleFrame;
                } else {
                    image = null;
                    for (int k = 0; k < distractors.size(); k++) {
                        if (i >= distractors.get(k) && i < distractors.get(k) + hold) {
                            image = distractorFrames.get(k);
                        }
                    }
                    if (image == null) {
                        image = haystack.frame(i, i / spec.fps(), spec.width(), spec.height());
                    }
                }
                Frame frame = converter.convert(image);
                recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            recorder.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException(file + ": cannot write the needle video: " + e.getMessage(), e);
        }
        return video;
    }

    /**
     * Distractor start frames: a third and two thirds of the way round from the needle, moved
     * forward until at least one hold away from the needle and from each other.
     */
    static List<Integer> placeDistractors(NeedleSpec spec, int needle) {
        int frames = spec.frameCount();
        int hold = spec.holdFrames();
        int slots = frames - hold + 1;
        List<Integer> taken = new ArrayList<>(List.of(needle));
        List<Integer> out = new ArrayList<>();
        for (int k = 1; k <= spec.distractors(); k++) {
            int start = (int) Math.round((needle + k * slots / (spec.distractors() + 1.0)) % slots);
            for (int tries = 0; tries < slots; tries++) {
                int s = (start + tries) % slots;
                if (taken.stream().allMatch(t -> Math.abs(t - s) >= 2 * hold)) {
                    taken.add(s);
                    out.add(s);
                    break;
                }
            }
        }
        if (out.size() != spec.distractors()) {
            throw new IllegalArgumentException("no room for " + spec.distractors() + " distractors in "
                    + spec.lengthSeconds() + " s");
        }
        return out;
    }
}
