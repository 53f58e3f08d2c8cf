package io.qwen3vl.models.nn.kernel;

import io.qwen3vl.models.checkpoint.HalfFloat;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseOps} with the Vector API at the machine's preferred width; scalar tails. Each
 * method is one loop with its vector code written out, and composed steps (the SiLU, fp16 softmax)
 * are passes of these over arrays a few KiB long: C2 left vector helpers called from such loops
 * as calls once the caller was large, with every vector boxed on the heap — slower than scalar code
 * (seen in profiles of fp16 decode attention).
 */
final class VectorElementwise implements ElementwiseOps {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();

    /**
     * Each lane rounded to the nearest fp16 value (ties to even) and widened back, as
     * {@code HalfFloat.toFloat(HalfFloat.fromFloat(v))}. Normal fp16 results: round the fp32 bits at
     * the 13th mantissa bit (a carry into the exponent is the right result). Subnormal ones (below
     * 2^-14): adding and subtracting 0.75, whose fp32 spacing is 2^-24, the fp16 subnormal step.
     * Vectors with a lane that would overflow fp16 (|v| ≥ 65520) or is not finite go through the
     * scalar conversion. Written out in the loop, not in a helper, for C2 to keep the vectors in
     * registers (see the class comment).
     */
    @Override
    public void roundToHalf(float[] a, int from, int to) {
        int i = from;
        for (; i <= to - LANES; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            FloatVector abs = v.abs();
            if (!abs.lt(65520f).allTrue()) {
                HalfFloat.round(a, i, i + LANES);
                continue;
            }
            IntVector bits = v.reinterpretAsInts();
            IntVector lsb = bits.lanewise(VectorOperators.LSHR, 13).and(1);
            FloatVector normal = bits.add(0x0FFF).add(lsb).and(0xFFFFE000).reinterpretAsFloats();
            FloatVector sub = v.add(0.75f).sub(0.75f).reinterpretAsInts().or(bits.and(0x80000000)).reinterpretAsFloats();
            normal.blend(sub, abs.lt(0x1p-14f)).intoArray(a, i);
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

}
