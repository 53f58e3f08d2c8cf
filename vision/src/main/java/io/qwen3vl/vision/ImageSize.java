package io.qwen3vl.vision;

/** A width × height in pixels. */
public record ImageSize(int width, int height) {
    public ImageSize {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
    }

    public long pixels() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
