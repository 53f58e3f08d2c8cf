package io.qwen3vl.models.nn.kernel;

import io.qwen3vl.models.checkpoint.HalfFloat;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseOps} with the Vector API at the machine's preferred width; scalar tails. Each
 * array method is one loop around one vector operation: composed steps (the SiLU) are passes of
 * these over arrays a few KiB long, because C2 left the helpers of a loop that combined them as calls,
 * every vector boxed — slower than scalar code.
 */
final class VectorElementwise implements ElementwiseOps {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();

    @Override
    public void roundToHalf(float[] a, int from, int to) {
        int i = from;
        for (; i <= to - LANES; i += LANES) {
            roundToHalf(FloatVector.fromArray(F, a, i)).intoArray(a, i);
        }
        HalfFloat.round(a, i, to);
    }

    @Override
    public void exp(float[] a, int from, int to) {
        int i = from;
        for (; i <= to - LANES; i += LANES) {
            FloatVector.fromArray(F, a, i).lanewise(VectorOperators.EXP).intoArray(a, i);
        }
        for (; i < to; i++) {
            a[i] = (float) Math.exp(a[i]);
        }
    }

    /**
     * {@code v} rounded to the nearest fp16 value (ties to even) and widened back, as
     * {@code HalfFloat.toFloat(HalfFloat.fromFloat(v))}. Normal fp16 results: round the fp32 bits at
     * the 13th mantissa bit (a carry into the exponent is the right result). Subnormal ones (below
     * 2^-14): adding and subtracting 0.75, whose fp32 spacing is 2^-24, the fp16 subnormal step. Lanes
     * that would overflow fp16 (|v| ≥ 65520) or are not finite go through the scalar conversion.
     */
    static FloatVector roundToHalf(FloatVector v) {
        IntVector bits = v.reinterpretAsInts();
        IntVector lsb = bits.lanewise(VectorOperators.LSHR, 13).and(1);
        FloatVector normal = bits.add(0x0FFF).add(lsb).and(0xFFFFE000).reinterpretAsFloats();
        FloatVector sub = v.add(0.75f).sub(0.75f).reinterpretAsInts().or(bits.and(0x80000000)).reinterpretAsFloats();
        FloatVector abs = v.abs();
        FloatVector r = normal.blend(sub, abs.lt(0x1p-14f));
        if (abs.lt(65520f).allTrue()) {
            return r;
        }
        float[] lanes = v.toArray();
        for (int l = 0; l < lanes.length; l++) {
            lanes[l] = HalfFloat.toFloat(HalfFloat.fromFloat(lanes[l]));
        }
        return FloatVector.fromArray(F, lanes, 0);
    }
}
