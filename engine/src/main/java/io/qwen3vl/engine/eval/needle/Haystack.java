package io.qwen3vl.engine.eval.needle;

import java.awt.image.BufferedImage;

/** The frames a needle is hidden among. */
public interface Haystack extends AutoCloseable {
    /** Frame {@code index} of the haystack video, {@code width × height}, in {@code TYPE_3BYTE_BGR}. */
    BufferedImage frame(int index, double seconds, int width, int height);

    @Override
    default void close() {
    }
}
