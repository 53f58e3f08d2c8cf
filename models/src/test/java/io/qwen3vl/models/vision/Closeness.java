package io.qwen3vl.models.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;

/**
 * Relative closeness used against the goldens: {@code max|a − b| / max(max|b|, 1e-30)}, i.e. the
 * worst absolute error measured against the largest magnitude of the expected tensor.
 */
final class Closeness {
    private Closeness() {
    }

    /** Returns the relative error reached; fails with the worst index and both values if above {@code tol}. */
    static double assertClose(String what, long[] expectedShape, float[] expected, NDArray actual, double tol) {
        assertArrayEquals(expectedShape, actual.getShape().getShape(), what + ": shape");
        float[] got = actual.toFloatArray();
        double maxRef = 1e-30;
        for (float e : expected) {
            maxRef = Math.max(maxRef, Math.abs(e));
        }
        double worst = -1;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) got[i] - expected[i]);
            if (Double.isNaN(d)) {
                d = Double.POSITIVE_INFINITY;
            }
            if (d > worst) {
                worst = d;
                worstAt = i;
            }
        }
        double rel = worst / maxRef;
        int cols = expectedShape.length > 1 ? (int) expectedShape[expectedShape.length - 1] : expected.length;
        String msg = String.format("%s: max|a-b|/max|b| = %.3g > %.1g; worst at flat %d (row %d, col %d): expected %.8g, got %.8g (max|b| %.5g)",
                what, rel, tol, worstAt, worstAt / cols, worstAt % cols, expected[worstAt], got[worstAt], maxRef);
        assertTrue(rel <= tol, msg);
        return rel;
    }
}
