package io.qwen3vl.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Golden comparisons that report the worst element and both values when they fail. */
public final class Tolerance {
    private Tolerance() {
    }

    /** Max |actual - expected| over all elements; fails if above {@code tol}. Returns the worst error. */
    public static double assertAbsClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = -1;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (Double.isNaN(d)) {
                fail(what + ": NaN at index " + i + " (expected " + expected[i] + ", got " + actual[i] + ")");
            }
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (worst > tol) {
            fail(String.format("%s: max abs error %.3g > %.1g at index %d (expected %.8g, got %.8g)",
                    what, worst, tol, at, expected[at], actual[at]));
        }
        return worst;
    }

    /**
     * Max |actual - expected| relative to the largest expected magnitude; fails above {@code tol}.
     * Returns the worst relative error.
     */
    public static double assertRelClose(float[] expected, float[] actual, double tol, String what) {
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = assertAbsClose(expected, actual, tol * Math.max(scale, 1e-30), what);
        return worst / Math.max(scale, 1e-30);
    }
}
