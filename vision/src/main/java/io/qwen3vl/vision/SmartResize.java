package io.qwen3vl.vision;

/**
 * The reference rules that pick a resized frame size: each side a multiple of {@code factor}
 * (patch size × merge size = 32 for Qwen3-VL), the area inside a pixel budget, the aspect ratio
 * kept as well as possible. Three variants exist upstream and differ in small but visible ways,
 * so each has its own method. Invalid input throws {@link IllegalArgumentException} with a clear
 * message (callers add the file name).
 *
 * <p>Shared traps: rounding to the nearest multiple uses Python's {@code round}, i.e. half to even
 * (208/32 = 6.5 → 6), not {@link Math#round}; the comparisons with the budgets are made on the
 * rounded size; the over-budget branch floors and the under-budget branch ceils.
 *
 * <p>Deviation from upstream: the over-budget branch of the image rules can produce a side of 0
 * for very elongated images (40×7000 with a 131072-pixel budget gives 0×4768 upstream, which then
 * fails deep inside the processor). Here such a side is clamped to {@code factor}, as the
 * Qwen3-VL video rule already does; the result then exceeds the budget by less than one row of
 * patches.
 */
public final class SmartResize {
    /** Largest accepted ratio between the long and the short side. */
    public static final int MAX_ASPECT_RATIO = 200;

    private SmartResize() {
    }

    /**
     * transformers' Qwen2-VL image {@code smart_resize} (used by the Qwen3-VL image processor): a
     * side below {@code factor} is an error (no upscaling).
     */
    public static ImageSize image(int width, int height, int factor, long minPixels, long maxPixels) {
        checkArguments(width, height, factor);
        if (height < factor || width < factor) {
            throw new IllegalArgumentException("image is " + width + "x" + height
                    + " pixels; both sides must be at least " + factor);
        }
        checkAspect(width, height);
        return fitBudget(width, height, roundToFactor(width, factor), roundToFactor(height, factor),
                factor, minPixels, maxPixels);
    }

    /**
     * transformers' Qwen3-VL video {@code smart_resize}: the budget covers all frames together
     * (frames rounded to a multiple of {@code temporalFactor} × height × width), sides below
     * {@code factor} are scaled up first, and fewer than {@code temporalFactor} frames is an error.
     */
    public static ImageSize video(int numFrames, int width, int height, int temporalFactor, int factor,
                                  long minPixels, long maxPixels) {
        checkArguments(width, height, factor);
        if (temporalFactor <= 0) {
            throw new IllegalArgumentException("temporal factor must be positive, got " + temporalFactor);
        }
        if (numFrames < temporalFactor) {
            throw new IllegalArgumentException("a video needs at least " + temporalFactor
                    + " sampled frames, got " + numFrames);
        }
        if (height < factor || width < factor) {
            double scale = Math.max((double) factor / height, (double) factor / width);
            height = (int) (height * scale);
            width = (int) (width * scale);
        }
        checkAspect(width, height);
        int hBar = roundToFactor(height, factor);
        int wBar = roundToFactor(width, factor);
        long tBar = (long) Math.rint((double) numFrames / temporalFactor) * temporalFactor;
        double volume = (double) numFrames * height * width;
        if (tBar * hBar * wBar > maxPixels) {
            double beta = Math.sqrt(volume / maxPixels);
            hBar = Math.max(factor, floorToFactor(height / beta, factor));
            wBar = Math.max(factor, floorToFactor(width / beta, factor));
        } else if (tBar * hBar * wBar < minPixels) {
            double beta = Math.sqrt(minPixels / volume);
            hBar = ceilToFactor(height * beta, factor);
            wBar = ceilToFactor(width * beta, factor);
        }
        return new ImageSize(wBar, hBar);
    }

    /**
     * qwen-vl-utils' {@code smart_resize}: like {@link #image} but a rounded side is first raised
     * to at least {@code factor} (tiny images are upscaled instead of rejected), and
     * {@code minPixels > maxPixels} is an error.
     */
    public static ImageSize qwenVlUtils(int width, int height, int factor, long minPixels, long maxPixels) {
        checkArguments(width, height, factor);
        if (minPixels > maxPixels) {
            throw new IllegalArgumentException("min pixels " + minPixels + " exceed max pixels " + maxPixels);
        }
        checkAspect(width, height);
        return fitBudget(width, height,
                Math.max(factor, roundToFactor(width, factor)), Math.max(factor, roundToFactor(height, factor)),
                factor, minPixels, maxPixels);
    }

    private static ImageSize fitBudget(int width, int height, int wBar, int hBar, int factor,
                                       long minPixels, long maxPixels) {
        double area = (double) height * width;
        long rounded = (long) hBar * wBar;
        if (rounded > maxPixels) {
            double beta = Math.sqrt(area / maxPixels);
            hBar = Math.max(factor, floorToFactor(height / beta, factor));
            wBar = Math.max(factor, floorToFactor(width / beta, factor));
        } else if (rounded < minPixels) {
            double beta = Math.sqrt(minPixels / area);
            hBar = ceilToFactor(height * beta, factor);
            wBar = ceilToFactor(width * beta, factor);
        }
        return new ImageSize(wBar, hBar);
    }

    private static void checkArguments(int width, int height, int factor) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (factor <= 0) {
            throw new IllegalArgumentException("resize factor must be positive, got " + factor);
        }
    }

    private static void checkAspect(int width, int height) {
        double ratio = (double) Math.max(width, height) / Math.min(width, height);
        if (ratio > MAX_ASPECT_RATIO) {
            throw new IllegalArgumentException("aspect ratio " + ratio + " (" + width + "x" + height
                    + ") exceeds the supported maximum of " + MAX_ASPECT_RATIO);
        }
    }

    /** Nearest multiple of {@code factor}, ties to even as Python's {@code round}. */
    static int roundToFactor(int value, int factor) {
        return (int) Math.rint((double) value / factor) * factor;
    }

    private static int floorToFactor(double value, int factor) {
        return (int) Math.floor(value / factor) * factor;
    }

    private static int ceilToFactor(double value, int factor) {
        return (int) Math.ceil(value / factor) * factor;
    }
}
