package io.qwen3vl.vision;

import java.nio.file.Path;

/**
 * A clip as a sequence of frames that can be fetched by index, so that a sampler can take the few
 * frames it needs without the whole clip ever being in memory.
 */
public interface FrameSource extends AutoCloseable {
    /** Number of frames (for a video file: verified to be decodable up to the last one). */
    int frameCount();

    /** Native frame rate, used for sampling and for timestamps ({@code index / fps}). */
    double fps();

    int width();

    int height();

    /**
     * Frame {@code index} (0-based) as a fresh image the caller owns.
     *
     * @throws IndexOutOfBoundsException outside {@code [0, frameCount)}
     * @throws MediaException            when the frame cannot be decoded or loaded
     */
    RgbImage frame(int index);

    /** The file or folder the frames come from. */
    Path path();

    @Override
    void close();
}
