package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qwen3vl.models.checkpoint.HalfFloat;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector element-wise steps of a decode step against their scalar definitions. */
class VectorElementwiseTest {
    private final VectorElementwise vector = new VectorElementwise();

    /** The vector fp16 rounding (decode attention, norms, rotary, residuals) is HalfFloat's, bit for bit. */
    @Test
    void roundsLikeHalfFloatAroundEveryHalfAndAtRandom() {
        int n = 1 << 22;
        float[] values = new float[n];
        int i = 0;
        // Every fp16 value, the midpoints to its neighbours and one fp32 step either side of them.
        for (int h = 0; h < 0x7C00 && i + 8 <= n; h++) {
            float v = HalfFloat.toFloat((short) h);
            float next = HalfFloat.toFloat((short) (h + 1));
            float mid = (v + next) / 2;
            for (float x : new float[] {v, mid, Math.nextUp(mid), Math.nextDown(mid)}) {
                values[i++] = x;
                values[i++] = -x;
            }
        }
        Random random = new Random(7);
        while (i < n) {
            int kind = random.nextInt(4);
            values[i++] = kind == 0 ? Float.intBitsToFloat(random.nextInt()) // anything, NaN and inf included
                    : kind == 1 ? (float) random.nextGaussian() * 1e-5f
                    : (float) random.nextGaussian() * (kind == 2 ? 1 : 3e4f);
        }
        float[] rounded = values.clone();
        vector.roundToHalf(rounded, 0, n - 5); // a scalar tail too, and the last five left alone
        for (int j = n - 5; j < n; j++) {
            assertEquals(Float.floatToRawIntBits(values[j]), Float.floatToRawIntBits(rounded[j]), "outside the range");
        }
        for (int j = 0; j < n - 5; j++) {
            int expected = Float.floatToIntBits(HalfFloat.toFloat(HalfFloat.fromFloat(values[j])));
            int got = Float.floatToIntBits(rounded[j]);
            if (expected != got && !(Float.isNaN(rounded[j]) && Float.isNaN(values[j]))) {
                fail(String.format("%s (0x%08x): vector %s, HalfFloat %s", values[j],
                        Float.floatToRawIntBits(values[j]), rounded[j], Float.intBitsToFloat(expected)));
            }
        }
    }

    /**
     * SiLU·up on vector exponentials against the same formula in double precision: fp32 within a few
     * ulps, including saturated inputs; with fp16 rounding, equal except where the fp32 SiLU sits on
     * an fp16 rounding boundary, and then apart by what one fp16 step of the SiLU makes of the product.
     */
    @Test
    void siluTimesMatchesTheFormulaInDoublePrecision() {
        assertTrue(Elementwise.vectorized(), "the tests run with the Vector API module");
        int n = 100_003;
        Random random = new Random(11);
        float[] gate = new float[n];
        float[] up = new float[n];
        for (int i = 0; i < n; i++) {
            gate[i] = HalfFloat.round(i % 1000 == 0 ? (i % 2000 == 0 ? 120f : -120f) : (float) random.nextGaussian() * 6);
            up[i] = HalfFloat.round((float) random.nextGaussian() * 4);
        }
        for (boolean half : new boolean[] {false, true}) {
            float[] got = gate.clone();
            Elementwise.siluTimes(got, up, n, half, new float[n]);
            int differing = 0;
            for (int i = 0; i < n; i++) {
                double silu = gate[i] / (1 + Math.exp(-gate[i]));
                float e = half ? HalfFloat.round(HalfFloat.round((float) silu) * up[i]) : (float) (silu * up[i]);
                // fp16: a SiLU one fp16 step off (an exponential 2 ulps off can cross a rounding
                // boundary) moves the product by that step times |up|, plus the product's own step
                float step = half ? halfStep((float) silu) * Math.abs(up[i]) + halfStep(e) : 4 * Math.ulp(e);
                assertTrue(Math.abs(got[i] - e) <= step, "silu(" + gate[i] + ")·" + up[i] + ": " + got[i] + " vs " + e);
                differing += got[i] != e ? 1 : 0;
            }
            if (half) {
                assertTrue(differing < n / 1000, differing + " of " + n + " fp16 results differ");
            }
        }
        float[] saturated = {-120f, 120f};
        Elementwise.siluTimes(saturated, new float[] {1f, 1f}, 2, false, new float[2]);
        assertEquals(-0f, saturated[0], "e^120 overflows to inf: the quotient is -0");
        assertEquals(120f, saturated[1]);
    }

    /** The spacing of fp16 values at v's magnitude. */
    private static float halfStep(float v) {
        return Math.max(Math.ulp(v) * 8192, 0x1p-24f);
    }

    /** The vector exponential (the JDK's) against Math.exp, densely over the fp32 range and at its edges. */
    @Test
    void expIsWithinTwoUlpsOfMathExp() {
        float[] xs = new float[3_200_003];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -110f + 220f * i / xs.length;
        }
        float[] edges = {0f, -0f, 1f, -1f, 88.72283f, 88.7229f, 100f, -87.3f, -103.9f, 1e-8f, -1e-8f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, -Float.MAX_VALUE};
        System.arraycopy(edges, 0, xs, 0, edges.length);
        float[] got = xs.clone();
        vector.exp(got, 0, got.length);
        for (int i = 0; i < xs.length; i++) {
            float expected = (float) Math.exp(xs[i]);
            String what = "exp(" + xs[i] + ") = " + got[i] + ", Math.exp " + expected;
            if (Float.isNaN(expected) || Float.isInfinite(expected)) {
                assertEquals(expected, got[i], what);
            } else {
                // results below fp32's normal range (x < -87.3) may flush to zero
                assertTrue(Math.abs(got[i] - expected) <= 2 * Math.ulp(expected)
                        || (expected < Float.MIN_NORMAL && got[i] == 0f), what);
            }
        }
    }
}
