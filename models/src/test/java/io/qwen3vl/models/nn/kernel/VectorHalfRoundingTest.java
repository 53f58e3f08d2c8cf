package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import io.qwen3vl.models.checkpoint.HalfFloat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector fp16 rounding used by decode attention is HalfFloat's, bit for bit. */
class VectorHalfRoundingTest {
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
        VectorRowDots.roundToHalf(rounded);
        for (int j = 0; j < n; j++) {
            int expected = Float.floatToIntBits(HalfFloat.toFloat(HalfFloat.fromFloat(values[j])));
            int got = Float.floatToIntBits(rounded[j]);
            if (expected != got && !(Float.isNaN(rounded[j]) && Float.isNaN(values[j]))) {
                fail(String.format("%s (0x%08x): vector %s, HalfFloat %s", values[j],
                        Float.floatToRawIntBits(values[j]), rounded[j], Float.intBitsToFloat(expected)));
            }
        }
    }
}
