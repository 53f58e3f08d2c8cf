package io.qwen3vl.vision;

/**
 * Chooses which frames of a video the model sees, reproducing the official rules exactly
 * (indices, not just counts, since the prompt carries their timestamps).
 *
 * <p>{@link SamplerMode#TRANSFORMERS}: {@code n = int(total / videoFps * fps)} clamped to
 * {@code [minFrames, maxFrames]} and to the clip, indices = numpy's float64 linspace over
 * {@code [0, total-1]} rounded half-to-even. {@link SamplerMode#QWEN_VL_UTILS}: {@code smart_nframes}
 * (always an even count) and a float32 {@code torch.linspace} rounded half-to-even.
 *
 * <p>Deliberate differences from upstream, both turning silent surprises into defined behaviour:
 * an explicit frame count above the clip's length is clamped to the clip (transformers would
 * repeat indices, qwen-vl-utils raises), and a clip that yields fewer than 2 sampled frames is an
 * error (both upstream paths raise as well, later and less clearly) since one temporal patch needs
 * two frames; a single still picture should be given as an image.
 */
public final class FrameSampler {
    /** qwen-vl-utils samples multiples of this (one temporal patch). */
    static final int FRAME_FACTOR = 2;

    private final SamplingOptions options;

    public FrameSampler(SamplingOptions options) {
        this.options = options;
    }

    public SamplingOptions options() {
        return options;
    }

    /**
     * Number of frames to sample from a clip of {@code totalFrames} frames at {@code videoFps}.
     *
     * @throws IllegalArgumentException when the clip is empty, its fps unusable, or fewer than 2
     *                                  frames would be sampled
     */
    public int frameCount(int totalFrames, double videoFps) {
        if (totalFrames < 1) {
            throw new IllegalArgumentException("video has no frames");
        }
        if (!(videoFps > 0 && Double.isFinite(videoFps))) {
            throw new IllegalArgumentException("video frame rate must be positive, got " + videoFps);
        }
        int n = options.mode() == SamplerMode.TRANSFORMERS
                ? transformersCount(totalFrames, videoFps)
                : qwenVlUtilsCount(totalFrames, videoFps);
        if (n < FRAME_FACTOR) {
            throw new IllegalArgumentException("video has " + totalFrames + " frame" + (totalFrames == 1 ? "" : "s")
                    + " and " + n + " would be sampled; at least 2 are needed (one temporal patch)"
                    + (totalFrames == 1 ? ", give a single picture as an image" : ""));
        }
        return n;
    }

    /** The sampled frame indices, ascending (may repeat only if the clip is shorter than the count, which we clamp). */
    public int[] indices(int totalFrames, double videoFps) {
        int n = frameCount(totalFrames, videoFps);
        return options.mode() == SamplerMode.TRANSFORMERS
                ? roundHalfEven(numpyLinspace(totalFrames - 1, n))
                : roundHalfEven(torchLinspaceFloat32(totalFrames - 1, n));
    }

    private int transformersCount(int total, double videoFps) {
        if (options.numFrames() != null) {
            // Upstream uses an explicit count as is, repeating indices past the clip; we clamp.
            return Math.min(options.numFrames(), total);
        }
        // Python's int() truncates toward zero; the float64 expression is evaluated left to right.
        int n = (int) (total / videoFps * options.fps());
        return Math.min(Math.min(Math.max(n, options.minFrames()), options.maxFrames()), total);
    }

    private int qwenVlUtilsCount(int total, double videoFps) {
        if (options.numFrames() != null) {
            int n = (int) roundByFactor(options.numFrames(), FRAME_FACTOR);
            // Upstream raises for a count above the clip; we clamp to the largest even count it has.
            return (int) Math.min(n, floorByFactor(total, FRAME_FACTOR));
        }
        double minFrames = ceilByFactor(options.minFrames(), FRAME_FACTOR);
        double maxFrames = floorByFactor(Math.min(options.maxFrames(), total), FRAME_FACTOR);
        double n = total / videoFps * options.fps();
        n = Math.min(Math.min(Math.max(n, minFrames), maxFrames), total);
        return (int) floorByFactor(n, FRAME_FACTOR);
    }

    /** Python {@code round(x / f) * f}: half-to-even. */
    private static double roundByFactor(double x, int factor) {
        return Math.rint(x / factor) * factor;
    }

    private static double ceilByFactor(double x, int factor) {
        return Math.ceil(x / factor) * factor;
    }

    private static double floorByFactor(double x, int factor) {
        return Math.floor(x / factor) * factor;
    }

    /** {@code numpy.linspace(0, end, n)} in float64: {@code i * (end / (n-1))}, the last value exactly {@code end}. */
    static double[] numpyLinspace(int end, int n) {
        double[] values = new double[n];
        if (n == 1) {
            return values;
        }
        double step = (double) end / (n - 1);
        for (int i = 0; i < n; i++) {
            values[i] = i * step;
        }
        values[n - 1] = end;
        return values;
    }

    /**
     * {@code torch.linspace(0, end, n)} in float32 exactly as torch's CPU kernel computes it, which
     * is what the goldens were made with: the first half counts up from the start, the second half
     * counts down from the end ({@code end - step*(n-1-i)}), and the kernel fills blocks of 8 floats
     * (one AVX2 vector; the vectorized loop handles two vectors, 16 values, per iteration) by
     * computing the block's first value that way and the others as {@code first + j*step}. The
     * leftover {@code n mod 16} values are computed one by one. The block form matters: for long
     * clips it moves some values across a .5 boundary compared with the per-element formula.
     */
    static float[] torchLinspaceFloat32(int end, int n) {
        float[] values = new float[n];
        if (n == 1) {
            return values;
        }
        final int vector = 8;
        float start = 0f;
        float stop = end;
        float step = (stop - start) / (float) (n - 1);
        int halfway = n / 2;
        int i = 0;
        for (; i + 2 * vector <= n; i += 2 * vector) {
            for (int block = i; block < i + 2 * vector; block += vector) {
                float first = element(start, stop, step, block, n, halfway);
                for (int j = 0; j < vector; j++) {
                    values[block + j] = first + (float) j * step;
                }
            }
        }
        for (; i < n; i++) {
            values[i] = element(start, stop, step, i, n, halfway);
        }
        return values;
    }

    private static float element(float start, float stop, float step, int i, int n, int halfway) {
        return i < halfway ? start + step * (float) i : stop - step * (float) (n - i - 1);
    }

    private static int[] roundHalfEven(double[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) Math.rint(values[i]);
        }
        return out;
    }

    private static int[] roundHalfEven(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) Math.rint(values[i]);
        }
        return out;
    }
}
