package io.qwen3vl.vision;

import java.util.List;

/**
 * Turns resized frames into the vision tower's input: normalised pixels cut into
 * {@code patchSize}² patches, stacked {@code temporalPatchSize} frames deep, flattened
 * channel-major {@code (c, t, py, px)}, with rows ordered so that each
 * {@code mergeSize}×{@code mergeSize} block of neighbouring patches is contiguous (the order the
 * patch merger expects). Same layout as the reference processors' {@code patchify}.
 */
public final class Patchifier {
    private static final int CHANNELS = 3;

    private final int patchSize;
    private final int temporalPatchSize;
    private final int mergeSize;
    /** Normalised value of every 8-bit level, per channel. */
    private final float[][] levels = new float[CHANNELS][256];

    /**
     * @param mean per-channel mean on the [0, 1] scale (0.5 for Qwen3-VL)
     * @param std  per-channel standard deviation on the [0, 1] scale (0.5 for Qwen3-VL)
     */
    public Patchifier(int patchSize, int temporalPatchSize, int mergeSize, float[] mean, float[] std) {
        if (patchSize <= 0 || temporalPatchSize <= 0 || mergeSize <= 0) {
            throw new IllegalArgumentException("patch, temporal patch and merge sizes must be positive, got "
                    + patchSize + ", " + temporalPatchSize + ", " + mergeSize);
        }
        if (mean.length != CHANNELS || std.length != CHANNELS) {
            throw new IllegalArgumentException("mean and std need 3 values each, got " + mean.length + " and " + std.length);
        }
        this.patchSize = patchSize;
        this.temporalPatchSize = temporalPatchSize;
        this.mergeSize = mergeSize;
        // The reference fuses rescaling (x/255) into normalisation: mean and std are multiplied by
        // 1/(1/255) in float64, stored as float32, and the image is normalised as (x - m) / s in
        // float32. For mean = std = 0.5 that is exactly (x - 127.5) / 127.5.
        double inverseRescale = 1.0 / (1.0 / 255.0);
        for (int c = 0; c < CHANNELS; c++) {
            if (!(std[c] > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + std[c]);
            }
            float m = (float) (mean[c] * inverseRescale);
            float s = (float) (std[c] * inverseRescale);
            for (int v = 0; v < 256; v++) {
                levels[c][v] = ((float) v - m) / s;
            }
        }
    }

    /** Values per patch row: 3 · temporalPatchSize · patchSize². */
    public int patchDim() {
        return CHANNELS * temporalPatchSize * patchSize * patchSize;
    }

    /** Side of one patch in pixels. */
    public int patchSize() {
        return patchSize;
    }

    /** The side that frame sizes must be a multiple of: patchSize · mergeSize. */
    public int factor() {
        return patchSize * mergeSize;
    }

    /**
     * Patchifies one image (a single frame, repeated to fill the temporal patch) or the frames of
     * one video. A frame count that is not a multiple of the temporal patch size is padded by
     * repeating the last frame, as the reference does.
     */
    public VisualPatches patchify(List<RgbImage> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames to patchify");
        }
        RgbImage first = frames.get(0);
        int width = first.width();
        int height = first.height();
        int factor = factor();
        if (width % factor != 0 || height % factor != 0) {
            throw new IllegalArgumentException("frame size " + width + "x" + height
                    + " is not a multiple of " + factor + " (patch size × merge size); resize first");
        }
        for (RgbImage f : frames) {
            if (f.width() != width || f.height() != height) {
                throw new IllegalArgumentException("all frames must have the same size, got " + width + "x" + height
                        + " and " + f.width() + "x" + f.height());
            }
        }
        int gridT = (frames.size() + temporalPatchSize - 1) / temporalPatchSize;
        int gridH = height / patchSize;
        int gridW = width / patchSize;
        PatchGrid grid = new PatchGrid(gridT, gridH, gridW);
        int dim = patchDim();
        float[] out = new float[Math.multiplyExact(grid.patchCount(), dim)];
        byte[][] stack = new byte[temporalPatchSize][];
        int p = patchSize;
        int o = 0;
        for (int t = 0; t < gridT; t++) {
            for (int k = 0; k < temporalPatchSize; k++) {
                int index = Math.min(t * temporalPatchSize + k, frames.size() - 1);
                stack[k] = frames.get(index).rgb();
            }
            for (int bh = 0; bh < gridH / mergeSize; bh++) {
                for (int bw = 0; bw < gridW / mergeSize; bw++) {
                    for (int mh = 0; mh < mergeSize; mh++) {
                        for (int mw = 0; mw < mergeSize; mw++) {
                            int y0 = (bh * mergeSize + mh) * p;
                            int x0 = (bw * mergeSize + mw) * p;
                            for (int c = 0; c < CHANNELS; c++) {
                                float[] level = levels[c];
                                for (int k = 0; k < temporalPatchSize; k++) {
                                    byte[] rgb = stack[k];
                                    for (int py = 0; py < p; py++) {
                                        int src = ((y0 + py) * width + x0) * CHANNELS + c;
                                        for (int px = 0; px < p; px++) {
                                            out[o++] = level[rgb[src + px * CHANNELS] & 0xFF];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new VisualPatches(out, grid);
    }
}
