package io.qwen3vl.models.vision;

/**
 * The patch grid of one image or video: {@code t} temporal patches (pairs of frames; 1 for an
 * image), {@code h} rows and {@code w} columns of 16-pixel patches. An image or video of this grid
 * contributes {@code t·h·w} rows of pixel values and {@code t·h·w / merge²} vision tokens.
 */
public record GridThw(int t, int h, int w) {
    public GridThw {
        if (t < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("grid (t, h, w) must be positive, got (" + t + ", " + h + ", " + w + ")");
        }
    }

    /** Number of patches (rows of pixel values) of this grid. */
    public int patches() {
        return Math.multiplyExact(t, Math.multiplyExact(h, w));
    }

    /** Number of patches in one temporal patch (frame pair): the attention segment length. */
    public int patchesPerFrame() {
        return Math.multiplyExact(h, w);
    }

    /** Number of vision tokens after the {@code merge × merge} patch merger. */
    public int tokens(int merge) {
        return patches() / (merge * merge);
    }
}
