package io.qwen3vl.vision;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * A video file decoded by FFmpeg (any container and codec it reads), frame by frame on demand:
 * only the requested frames are converted to RGB and copied out, so sampling a long clip keeps
 * a handful of frames in memory, never the clip.
 *
 * <p>Reaching a frame: when it lies a short way ahead of the decoder, the frames in between are
 * decoded without colour conversion; otherwise the reader seeks (FFmpeg jumps to the preceding
 * keyframe and decodes forward). "Short" is the keyframe interval observed so far (at least
 * {@value #MIN_SEQUENTIAL_GAP} frames; {@value #ASSUMED_KEYFRAME_INTERVAL} until two keyframes have
 * been seen), since a seek never pays off when no keyframe lies between here and the target.
 * Measured on 2-minute 30 fps clips: with a keyframe every 250 frames, reading 120 frames 30 apart
 * took 0.4 s sequentially against 1.2 s by seeking (MPEG-TS, which has no index: 0.4 s against
 * 7.9 s); with a keyframe every 30 frames, 36 frames 100 apart took 0.27 s by seeking against 0.59 s.
 *
 * <p>Frame count: from the stream header or duration × fps, then checked on open by decoding the
 * last frame (which every sampler takes anyway, so it is cached). When the stream ends early
 * (a truncated file, a header that overstates the length) the count becomes the number of frames
 * that really decode; when seeking near the end fails (some containers cannot), the reader seeks
 * further back and reads forward.
 */
public final class VideoFileSource implements FrameSource {
    static final int MIN_SEQUENTIAL_GAP = 16;
    /** x264's default maximum keyframe interval: a cautious guess until the stream shows its own. */
    static final int ASSUMED_KEYFRAME_INTERVAL = 250;

    private final Path path;
    private final FFmpegFrameGrabber grabber;
    private final double fps;
    private final int width;
    private final int height;
    private final int declaredFrameCount;
    private int frameCount;

    /** Index of the frame the next grab returns; -1 when unknown (after a failed seek). */
    private int position = -1;
    /** Index of the frame the last successful grab returned. */
    private int lastIndex = -1;
    /** Frame count proven by reaching the end of the stream; -1 until then. */
    private int decodableEnd = -1;
    private int lastKeyframe = -1;
    private int keyframeInterval = -1;
    private long decodedFrames;
    private long convertedFrames;
    private int cachedIndex = -1;
    private RgbImage cached;
    /** The last frame, decoded on open to prove the length; handed out once (samplers always take it). */
    private RgbImage tail;
    private boolean closed;

    private VideoFileSource(Path path, FFmpegFrameGrabber grabber) {
        this.path = path;
        this.grabber = grabber;
        this.width = grabber.getImageWidth();
        this.height = grabber.getImageHeight();
        if (width <= 0 || height <= 0) {
            throw new MediaException(path, "video stream has no picture size");
        }
        this.fps = grabber.getVideoFrameRate();
        if (!(fps > 0 && Double.isFinite(fps))) {
            throw new MediaException(path, "video frame rate is unknown");
        }
        this.declaredFrameCount = grabber.getLengthInVideoFrames();
        this.frameCount = declaredFrameCount > 0 ? declaredFrameCount : countByDecoding();
        verifyLastFrame();
    }

    /**
     * Opens a video file and checks that it decodes up to its last frame.
     *
     * @throws MediaException missing, empty, unreadable, not a video, or without decodable frames
     */
    public static VideoFileSource open(Path file) {
        MediaFiles.requireNonEmptyFile(file);
        FfmpegLogging.quiet();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(grabber);
            throw new MediaException(file, "not a readable video (" + MediaFiles.oneLine(e) + ")", e);
        }
        try {
            if (!grabber.hasVideo()) {
                throw new MediaException(file, "contains no video stream");
            }
            if (MediaFiles.isStillImageDemuxer(grabber.getFormat())) {
                throw new MediaException(file, "is a still image (" + grabber.getFormat() + "), not a video");
            }
            return new VideoFileSource(file, grabber);
        } catch (RuntimeException e) {
            release(grabber);
            throw e;
        }
    }

    @Override
    public int frameCount() {
        return frameCount;
    }

    /** The length the container announced, before checking it ({@code <= 0}: not announced). */
    public int declaredFrameCount() {
        return declaredFrameCount;
    }

    @Override
    public double fps() {
        return fps;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public Path path() {
        return path;
    }

    /** Container name as FFmpeg reports it (e.g. {@code matroska,webm}). */
    public String format() {
        return grabber.getFormat();
    }

    /**
     * Frames this reader pulled out of the decoder, converted or skipped over. Frames FFmpeg decodes
     * inside a seek (from the keyframe up to the target) are not included.
     */
    public long decodedFrames() {
        return decodedFrames;
    }

    /** Frames converted to RGB and copied into an {@link RgbImage}. */
    public long convertedFrames() {
        return convertedFrames;
    }

    /**
     * Frame {@code index}. The returned image must not be modified: asking for the same index again
     * may return the same instance.
     */
    @Override
    public RgbImage frame(int index) {
        Objects.checkIndex(index, frameCount);
        ensureOpen();
        if (index == cachedIndex) {
            return cached;
        }
        if (index == frameCount - 1 && tail != null) {
            RgbImage image = tail;
            tail = null;
            cachedIndex = index;
            cached = image;
            return image;
        }
        Frame frame;
        try {
            frame = decodeAt(index);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new MediaException(path, "cannot decode frame " + index + " (" + MediaFiles.oneLine(e) + ")", e);
        }
        if (frame == null) {
            throw new MediaException(path, "video ends before frame " + index + " of " + frameCount);
        }
        RgbImage image = copyPixels(frame);
        cachedIndex = index;
        cached = image;
        return image;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cached = null;
            tail = null;
            release(grabber);
        }
    }

    private void verifyLastFrame() {
        int last = frameCount - 1;
        Frame frame;
        try {
            frame = decodeAt(last);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new MediaException(path, "cannot decode the video: truncated or corrupt (" + MediaFiles.oneLine(e) + ")", e);
        }
        if (frame != null && lastIndex == last) {
            tail = copyPixels(frame);
            return;
        }
        if (decodableEnd <= 0) {
            throw new MediaException(path, "no decodable video frames");
        }
        // Truncated, or the header overstated the length: keep what really decodes.
        frameCount = Math.min(frameCount, decodableEnd);
    }

    /** Unknown length: count by decoding once without colour conversion (nothing is kept). */
    private int countByDecoding() {
        try {
            position = 0;
            while (grab(false) != null) {
                position++;
            }
            grabber.setVideoFrameNumber(0);
            position = -1;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new MediaException(path, "cannot decode the video: truncated or corrupt (" + MediaFiles.oneLine(e) + ")", e);
        }
        if (lastIndex < 0) {
            throw new MediaException(path, "no decodable video frames");
        }
        return lastIndex + 1;
    }

    /** The decoded frame {@code index} (RGB converted), or null when the stream ends before it. */
    private Frame decodeAt(int index) throws FrameGrabber.Exception {
        if (position >= 0 && index >= position && index - position <= sequentialGap()) {
            return readForwardTo(index);
        }
        Frame frame = seekTo(index);
        if (frame != null) {
            return lastIndex >= index ? frame : readForwardTo(index);
        }
        // Seeking to the target failed (e.g. near the end of an MPEG-TS): seek further back, read forward.
        for (long back = sequentialGap(); ; back *= 4) {
            int from = (int) Math.max(0, index - back);
            frame = seekTo(from);
            if (frame != null && lastIndex <= index) {
                return lastIndex == index ? frame : readForwardTo(index);
            }
            if (from == 0) {
                if (frame == null) {
                    decodableEnd = 0;
                }
                // Nothing lands at or before the target: the earliest frame there is will do.
                return frame;
            }
        }
    }

    private Frame seekTo(int index) throws FrameGrabber.Exception {
        grabber.setVideoFrameNumber(index);
        lastKeyframe = -1;
        Frame frame = grabber.grabFrame(false, true, true, false, false);
        if (frame == null) {
            position = -1;
            return null;
        }
        decodedFrames++;
        lastIndex = grabber.getFrameNumber();
        position = lastIndex + 1;
        noteKeyframe(frame);
        return frame;
    }

    private Frame readForwardTo(int index) throws FrameGrabber.Exception {
        while (position < index) {
            if (grab(false) == null) {
                return null;
            }
            position++;
        }
        Frame frame = grab(true);
        if (frame != null) {
            position++;
        }
        return frame;
    }

    /** Next frame in decoding order at {@link #position}; null at the end of the stream. */
    private Frame grab(boolean convert) throws FrameGrabber.Exception {
        Frame frame = grabber.grabFrame(false, true, convert, false, false);
        if (frame == null) {
            decodableEnd = position;
            return null;
        }
        decodedFrames++;
        lastIndex = position;
        noteKeyframe(frame);
        return frame;
    }

    private void noteKeyframe(Frame frame) {
        if (!frame.keyFrame) {
            return;
        }
        if (lastKeyframe >= 0 && lastIndex > lastKeyframe) {
            keyframeInterval = Math.max(keyframeInterval, lastIndex - lastKeyframe);
        }
        lastKeyframe = lastIndex;
    }

    private int sequentialGap() {
        return Math.max(MIN_SEQUENTIAL_GAP, keyframeInterval > 0 ? keyframeInterval : ASSUMED_KEYFRAME_INTERVAL);
    }

    /** Copies the grabber's reused RGB buffer into a fresh image, dropping row padding. */
    private RgbImage copyPixels(Frame frame) {
        if (frame.image == null || frame.imageChannels != 3 || frame.imageDepth != Frame.DEPTH_UBYTE) {
            throw new MediaException(path, "decoder returned no 8-bit RGB picture");
        }
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int rowBytes = w * 3;
        ByteBuffer buffer = (ByteBuffer) frame.image[0];
        byte[] rgb = new byte[Math.multiplyExact(rowBytes, h)];
        for (int y = 0; y < h; y++) {
            buffer.get(y * frame.imageStride, rgb, y * rowBytes, rowBytes);
        }
        convertedFrames++;
        return new RgbImage(w, h, rgb);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(path + ": video source is closed");
        }
    }

    private static void release(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // Nothing useful to do: the file is being abandoned anyway.
        }
    }
}
