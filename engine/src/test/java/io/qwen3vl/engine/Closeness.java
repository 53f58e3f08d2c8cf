package io.qwen3vl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise absolute comparison that names the worst index and both values when it fails. */
public final class Closeness {
    private Closeness() {
    }

    /** Asserts max |expected − actual| ≤ tolerance; returns that maximum. */
    public static double assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (d > worst || Double.isNaN(d)) {
                worst = d;
                at = i;
            }
        }
        if (!(worst <= tolerance)) {
            fail(what + ": max abs error " + worst + " > " + tolerance + " at index " + at + " (expected "
                    + expected[at] + ", got " + actual[at] + ")");
        }
        return worst;
    }
}
