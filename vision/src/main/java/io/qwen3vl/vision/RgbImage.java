package io.qwen3vl.vision;

/**
 * An 8-bit RGB picture, pixels row-major with interleaved channels ({@code rgb[(y·width + x)·3 + c]}).
 * The common currency between image loading, video decoding, resizing and patchifying.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != Math.multiplyExact(Math.multiplyExact(width, height), 3)) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " RGB bytes, got " + rgb.length);
        }
    }

    /** Channel value 0..255 of pixel (x, y). */
    public int get(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }
}
