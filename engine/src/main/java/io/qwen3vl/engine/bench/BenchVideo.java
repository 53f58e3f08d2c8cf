package io.qwen3vl.engine.bench;

import io.qwen3vl.models.vision.GridThw;

/**
 * The patch grid and timestamps a clip gets under transformers' default Qwen3-VL video processing
 * (the checkpoints' {@code video_preprocessor_config.json}): 2 frames per second, clamped to
 * [4, 768] frames and to the clip, sampled at {@code round(linspace(0, total − 1, n))}; the frames
 * resized together so that {@code T·H·W} stays within 25,165,824 pixels (and above 4,096), each side
 * a multiple of 32; an odd frame count padded by repeating the last frame. Only the shapes matter
 * for a benchmark; the pixel values are synthetic.
 *
 * @param sampledFrames  frames taken from the clip (before padding to an even count)
 * @param width          resized frame width in pixels
 * @param height         resized frame height in pixels
 * @param grid           patch grid (temporal patches, rows, columns)
 * @param patchSeconds   timestamp of each temporal patch (mean of its two frames' times)
 */
public record BenchVideo(int sampledFrames, int width, int height, GridThw grid, double[] patchSeconds) {
    public static final double SAMPLE_FPS = 2;
    public static final int MIN_FRAMES = 4;
    public static final int MAX_FRAMES = 768;
    public static final long MAX_PIXELS = 25_165_824L;
    public static final long MIN_PIXELS = 4_096L;
    private static final int PATCH = 16;
    private static final int FACTOR = 32; // patch 16 × merge 2
    private static final int TEMPORAL = 2;

    /** A clip of {@code seconds} at {@code nativeFps}, {@code width × height} pixels. */
    public static BenchVideo of(double seconds, double nativeFps, int width, int height) {
        if (seconds <= 0 || nativeFps <= 0) {
            throw new IllegalArgumentException("video must last > 0 s at > 0 fps, got " + seconds + " s at "
                    + nativeFps + " fps");
        }
        return ofFrames((int) Math.round(seconds * nativeFps), nativeFps, width, height);
    }

    /** A clip of {@code total} frames at {@code nativeFps}, {@code width × height} pixels. */
    public static BenchVideo ofFrames(int total, double nativeFps, int width, int height) {
        if (total < 1 || nativeFps <= 0 || width < 1 || height < 1) {
            throw new IllegalArgumentException("video needs frames, a frame rate and a size, got " + total
                    + " frames at " + nativeFps + " fps, " + width + "×" + height);
        }
        int n = (int) (total / nativeFps * SAMPLE_FPS);
        n = Math.min(Math.min(Math.max(n, MIN_FRAMES), MAX_FRAMES), total);
        if (n < TEMPORAL) {
            throw new IllegalArgumentException("a clip of " + total + " frame(s) is too short: at least "
                    + TEMPORAL + " are needed");
        }
        int[] indices = new int[n];
        // numpy.linspace: i · step with step = (total − 1) / (n − 1), the last value exactly total − 1;
        // then rounded half to even.
        double step = (double) (total - 1) / (n - 1);
        for (int i = 0; i < n; i++) {
            double x = i == n - 1 ? total - 1 : i * step;
            indices[i] = (int) Math.rint(x);
        }
        int[] size = smartResize(n, height, width, MIN_PIXELS, MAX_PIXELS);
        int t = (n + TEMPORAL - 1) / TEMPORAL;
        double[] stamps = new double[t];
        for (int p = 0; p < t; p++) {
            int a = indices[Math.min(2 * p, n - 1)];
            int b = indices[Math.min(2 * p + 1, n - 1)]; // padding repeats the last frame
            stamps[p] = (a / nativeFps + b / nativeFps) / 2;
        }
        return new BenchVideo(n, size[1], size[0], new GridThw(t, size[0] / PATCH, size[1] / PATCH), stamps);
    }

    /**
     * transformers' video smart_resize: {height, width}, multiples of 32, with
     * {@code T·H·W} between the budgets (sides below 32 are scaled up first).
     */
    static int[] smartResize(int frames, int height, int width, long minPixels, long maxPixels) {
        if (height < FACTOR || width < FACTOR) {
            double scale = Math.max((double) FACTOR / height, (double) FACTOR / width);
            height = (int) (height * scale);
            width = (int) (width * scale);
        }
        if ((double) Math.max(height, width) / Math.min(height, width) > 200) {
            throw new IllegalArgumentException("video aspect ratio " + width + "×" + height + " exceeds 200");
        }
        int h = (int) Math.rint((double) height / FACTOR) * FACTOR;
        int w = (int) Math.rint((double) width / FACTOR) * FACTOR;
        long t = (long) Math.rint((double) frames / TEMPORAL) * TEMPORAL;
        if (t * h * w > maxPixels) {
            double beta = Math.sqrt((double) frames * height * width / maxPixels);
            h = Math.max(FACTOR, (int) Math.floor(height / beta / FACTOR) * FACTOR);
            w = Math.max(FACTOR, (int) Math.floor(width / beta / FACTOR) * FACTOR);
        } else if (t * h * w < minPixels) {
            double beta = Math.sqrt((double) minPixels / ((double) frames * height * width));
            h = (int) Math.ceil(height * beta / FACTOR) * FACTOR;
            w = (int) Math.ceil(width * beta / FACTOR) * FACTOR;
        }
        return new int[] {h, w};
    }
}
