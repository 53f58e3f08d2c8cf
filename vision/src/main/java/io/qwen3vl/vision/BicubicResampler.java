package io.qwen3vl.vision;

/**
 * Bicubic resizing with antialiasing, reproducing what the reference processors get from
 * torchvision's {@code resize(uint8 tensor, BICUBIC, antialias=True)}: the 8-bit image is turned
 * into float32, passed through torch's separable antialiased bicubic kernel
 * ({@code _upsample_bicubic2d_aa}, align_corners=False), clamped to [0, 255] and rounded half to
 * even back to 8 bits.
 *
 * <p>Details that matter for bit-exact agreement, all taken from torch's CPU kernel:
 * <ul>
 *   <li>The antialiased kernel uses the Keys cubic with a = −0.5 (torch picks −0.5 when
 *       antialiasing, for PIL compatibility; −0.75 only without it).</li>
 *   <li>When shrinking by a factor s, the filter support grows from 2 to 2·s input pixels and its
 *       argument is divided by s; taps falling outside the image are dropped and the remaining
 *       weights renormalised to sum to one (no edge clamping of indices).</li>
 *   <li>Weights, centres and sums are float32, computed in the same order as torch; each output
 *       value is accumulated tap by tap in float32.</li>
 *   <li>Width is resampled first, then height; an axis whose size does not change is skipped.</li>
 * </ul>
 * Cost is O(pixels × taps): weights are computed once per output column and row, and the passes
 * run over flat primitive arrays.
 */
public final class BicubicResampler {
    private static final int CHANNELS = 3;
    /** Taps of the cubic kernel at scale 1 (support ±2). */
    private static final int INTERP_SIZE = 4;
    private static final float A = -0.5f;

    private BicubicResampler() {
    }

    /**
     * Resizes {@code src} to {@code width}×{@code height}. Returns {@code src} itself when the size is
     * unchanged (torch copies the input unchanged in that case).
     */
    public static RgbImage resize(RgbImage src, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (width == src.width() && height == src.height()) {
            return src;
        }
        float[] plane = resampleToFloat(src, width, height);
        byte[] out = new byte[plane.length];
        for (int i = 0; i < plane.length; i++) {
            out[i] = toByte(plane[i]);
        }
        return new RgbImage(width, height, out);
    }

    /** The float32 result before clamping and rounding (interleaved RGB, row-major). */
    static float[] resampleToFloat(RgbImage src, int width, int height) {
        int inW = src.width();
        int inH = src.height();
        byte[] in = src.rgb();
        float[] plane = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            plane[i] = in[i] & 0xFF;
        }
        int curW = inW;
        if (width != inW) {
            plane = horizontal(plane, inH, inW, Taps.of(inW, width));
            curW = width;
        }
        if (height != inH) {
            plane = vertical(plane, inH, curW, Taps.of(inH, height));
        }
        return plane;
    }

    /** Clamp to [0, 255] and round half to even, as torchvision does before casting back to uint8. */
    static byte toByte(float v) {
        float clamped = v < 0f ? 0f : (v > 255f ? 255f : v);
        return (byte) (int) Math.rint(clamped);
    }

    private static float[] horizontal(float[] src, int rows, int inW, Taps taps) {
        int outW = taps.outSize;
        float[] dst = new float[rows * outW * CHANNELS];
        float[] w = taps.weights;
        int span = taps.span;
        for (int y = 0; y < rows; y++) {
            int rowIn = y * inW * CHANNELS;
            int rowOut = y * outW * CHANNELS;
            for (int x = 0; x < outW; x++) {
                int first = rowIn + taps.start[x] * CHANNELS;
                int count = taps.count[x];
                int wBase = x * span;
                for (int c = 0; c < CHANNELS; c++) {
                    int p = first + c;
                    float acc = src[p] * w[wBase];
                    for (int j = 1; j < count; j++) {
                        acc = Math.fma(src[p + j * CHANNELS], w[wBase + j], acc);
                    }
                    dst[rowOut + x * CHANNELS + c] = acc;
                }
            }
        }
        return dst;
    }

    private static float[] vertical(float[] src, int inH, int cols, Taps taps) {
        int outH = taps.outSize;
        int stride = cols * CHANNELS;
        float[] dst = new float[outH * stride];
        float[] w = taps.weights;
        for (int y = 0; y < outH; y++) {
            int first = taps.start[y] * stride;
            int count = taps.count[y];
            int wBase = y * taps.span;
            int rowOut = y * stride;
            float w0 = w[wBase];
            for (int i = 0; i < stride; i++) {
                dst[rowOut + i] = src[first + i] * w0;
            }
            // Fused multiply-add as in torch's compiled kernel. Tap by tap over whole rows: each output still sums its taps in torch's order, while
            // the inner loop walks contiguous memory.
            for (int j = 1; j < count; j++) {
                float wj = w[wBase + j];
                int rowIn = first + j * stride;
                for (int i = 0; i < stride; i++) {
                    dst[rowOut + i] = Math.fma(src[rowIn + i], wj, dst[rowOut + i]);
                }
            }
        }
        return dst;
    }

    /**
     * Keys cubic convolution kernel in float32, as torch's {@code aa_filter}; torch's x86-64 build
     * contracts its multiply-adds into fused multiply-adds, so they are fused here too.
     */
    static float cubic(float x) {
        x = Math.abs(x);
        if (x < 1.0f) {
            return Math.fma(Math.fma(A + 2, x, -(A + 3)) * x, x, 1f);
        }
        if (x < 2.0f) {
            return Math.fma(Math.fma(Math.fma(A, x, -(5 * A)), x, 8 * A), x, -(4 * A));
        }
        return 0.0f;
    }

    /**
     * For each output index along one axis: the first input index, the number of taps and their
     * normalised weights ({@code span} slots per output, unused slots zero).
     */
    static final class Taps {
        final int outSize;
        final int span;
        final int[] start;
        final int[] count;
        final float[] weights;

        private Taps(int outSize, int span) {
            this.outSize = outSize;
            this.span = span;
            this.start = new int[outSize];
            this.count = new int[outSize];
            this.weights = new float[outSize * span];
        }

        static Taps of(int inSize, int outSize) {
            // The mixed float/double arithmetic below mirrors torch's C++ expression by expression
            // (float scale and centre, double intermediates where C++ promotes to double).
            float scale = (float) inSize / (float) outSize;
            float support = scale >= 1.0f ? (float) ((INTERP_SIZE * 0.5) * scale) : (float) (INTERP_SIZE * 0.5);
            int span = (int) Math.ceil(support) * 2 + 1;
            float invscale = scale >= 1.0f ? (float) (1.0 / scale) : 1.0f;
            Taps taps = new Taps(outSize, span);
            for (int i = 0; i < outSize; i++) {
                float center = (float) (scale * (i + 0.5));
                long xmin = Math.max((long) ((double) (center - support) + 0.5), 0L);
                long xmax = Math.min((long) ((double) (center + support) + 0.5), (long) inSize);
                int xsize = (int) Math.max(0L, Math.min(xmax - xmin, span));
                int base = i * span;
                float total = 0.0f;
                for (int j = 0; j < xsize; j++) {
                    float arg = (float) (((double) ((float) (j + xmin) - center) + 0.5) * invscale);
                    float w = cubic(arg);
                    taps.weights[base + j] = w;
                    total += w;
                }
                if (total != 0.0f) {
                    for (int j = 0; j < xsize; j++) {
                        taps.weights[base + j] /= total;
                    }
                }
                taps.start[i] = (int) xmin;
                taps.count[i] = xsize;
            }
            return taps;
        }
    }
}
