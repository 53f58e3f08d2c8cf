package io.qwen3vl.engine.eval.needle;

/**
 * One haystack video.
 *
 * @param lengthSeconds video length
 * @param depth where the needle starts, as a fraction of the time before it could last end (0 = first
 *     frame, 1 = ends on the last frame)
 * @param fps frame rate of the written video
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param holdSeconds how long the needle (and each distractor) stays on screen
 * @param distractors number of similar-looking distractor appearances (0 to 2)
 */
public record NeedleSpec(double lengthSeconds, double depth, double fps, int width, int height, double holdSeconds,
        int distractors) {
    public NeedleSpec {
        if (!(depth >= 0 && depth <= 1)) {
            throw new IllegalArgumentException("needle depth must be between 0 and 1, got " + depth);
        }
        if (!(fps > 0) || width < 32 || height < 32 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("needle video needs fps > 0 and even sizes of at least 32 pixels");
        }
        if (!(holdSeconds > 0) || Math.round(holdSeconds * fps) < 1) {
            throw new IllegalArgumentException("needle must stay on screen for at least one frame");
        }
        if (distractors < 0 || distractors > 2) {
            throw new IllegalArgumentException("0 to 2 distractors, got " + distractors);
        }
        if (lengthSeconds < holdSeconds * (2 * distractors + 2)) {
            throw new IllegalArgumentException("a " + lengthSeconds + " s video is too short for the needle and "
                    + distractors + " distractors held " + holdSeconds + " s");
        }
    }

    /** 4 fps, 320×240, needle held 1 s, 2 distractors. */
    public static NeedleSpec of(double lengthSeconds, double depth) {
        return new NeedleSpec(lengthSeconds, depth, 4, 320, 240, 1.0, 2);
    }

    public int frameCount() {
        return (int) Math.round(lengthSeconds * fps);
    }

    public int holdFrames() {
        return (int) Math.round(holdSeconds * fps);
    }
}
