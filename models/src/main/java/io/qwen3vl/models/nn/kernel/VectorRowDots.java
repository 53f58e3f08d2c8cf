package io.qwen3vl.models.nn.kernel;

import io.qwen3vl.models.checkpoint.HalfFloat;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowDots} with the Vector API at the machine's preferred width (512 bits with AVX-512):
 * one row at a time, four fp32 FMA accumulators per row, lanes summed once per row. Elements past the last whole vector go through a scalar FMA tail,
 * so any {@code k} and any species length give the same dot products up to summation order.
 *
 * <p>fp16 weights are widened exactly, with no lookup and no cross-lane shuffles: a 32-bit lane holds
 * two halves, {@code h_even} in its low and {@code h_odd} in its high 16 bits (little-endian). For a
 * half {@code h} sign-extended to 32 bits, {@code (h << 13) & 0x8FFFE000} is the fp32 bit pattern of
 * {@code value(h) · 2^-112}: the sign lands on bit 31, and exponent and mantissa on bits 13–27, which
 * is an fp32 exponent 112 lower. This is exact for normal and subnormal halves (a subnormal half
 * becomes an exact fp32 subnormal). The missing 2^112 is folded into the input, which the caller
 * stores pre-multiplied; since both factors are exact power-of-two rescalings, the FMA sees the exact
 * product {@code w·x} and rounds exactly as it would with the widened weight. Inputs must be below
 * 2^16 in magnitude for the scaled input not to overflow: true for fp16 activations, which is the
 * only input fp16 weights get. Inf and NaN halves would widen to finite values: weights are checked
 * with {@link #hasNonFiniteHalf} before this kernel is used on them.
 *
 * <p>Native memory is read through {@link VectorMemory}'s handles, so the same code runs on JDK 17–19
 * (ByteBuffer loads) and 22+ (MemorySegment loads). The entry points take ByteBuffers, read scalar
 * tails from them, and hand their loops the buffer as the handles read it: the {@code Object}
 * parameters named like a buffer ({@code w}, {@code k}, {@code v}) are that view. The weight
 * products' entry points are given it ({@link #view}, made once per weight); the others make it. The handles throw no
 * checked exception, but {@code invokeExact} declares {@code Throwable}: the loops declare it too and
 * each entry point turns it back into what was thrown ({@link VectorMemory#rethrow}).
 *
 * <p>A row's lanes are added in lane order, each lane taken out by its number, not by {@code
 * reduceLanes(ADD)}, which leaves the order to the implementation: the Java fallback that runs
 * before C2 compiles a kernel, and C2 on JDK 17 and 21, add in lane order, C2 on JDK 25 in
 * another, so there about half the rows of a product differed in their last bits between a kernel's
 * first calls and later ones (found as a flaky exact-equality test; {@code VectorRowDotsTest}).
 * In lane order a product has the same bits cold and warm, on every JDK. The sums are written out
 * where they are needed (for 4, 8 and 16 lanes): a helper taking the vector, or a loop over lane
 * numbers, made the vector a heap object per row. The attention's softmax is left as it is: its
 * exponentials differ cold and warm anyway (the fallback calls {@code Math.exp}, C2 a vector
 * library).
 */
final class VectorRowDots implements RowDots {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    /** The 8-bit kernel's group: the bytes of one int vector. */
    private static final int INT8_GROUP = 4 * LANES;
    /**
     * The byte order {@link #int8} reads: interleaved over this width's lanes; null past 16 lanes,
     * where a run would span two blocks (no 8-bit kernel then).
     */
    private static final Int8Layout INT8_LAYOUT = 2 * LANES <= Int8Blocks.BLOCK ? Int8Layout.interleaved(LANES) : null;
    /** Whether the row loops read a duplicate of their buffer ({@link #f16Row}): JDK 17–19's ByteBuffer loads. */
    private static final boolean OWN_BUFFER_COPY = VectorMemory.form().equals("ByteBuffer");
    /** Whether {@link #f16Row} shifts by int counts (JDK 20 on) rather than by vectors of counts. */
    private static final boolean INT_SHIFT_COUNTS = Runtime.version().feature() >= 20;
    /** Per-thread copy of a row's block scales for {@link #int8}, grown as needed. */
    private static final ThreadLocal<float[]> ROW_SCALES = ThreadLocal.withInitial(() -> new float[0]);
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    // Loads and stores of native memory in the running JDK's form (see VectorMemory): constants to C2.
    private static final MethodHandle INTS = VectorMemory.loads(IntVector.class, I, ORDER);
    private static final MethodHandle INTS_LE = VectorMemory.loads(IntVector.class, I, ByteOrder.LITTLE_ENDIAN);
    private static final MethodHandle FLOATS = VectorMemory.loads(FloatVector.class, F, ORDER);
    private static final MethodHandle STORE_FLOATS = VectorMemory.stores(FloatVector.class, ORDER);
    private static final int HALF_BITS = 0x8FFFE000;
    private static final int HALF_EXP = 0x7C00;
    private static final float TWO_POW_112 = 0x1p112f;
    /** Whether {@link #tileScorePair} keeps two sets of accumulators: only with 32 vector registers (512 bits). */
    private static final boolean TWO_SETS = F.vectorBitSize() >= 512;
    /** Bytes of one row of a {@link KeyTiles} tile: its positions' fp16 elements. */
    private static final int TILE_ROW_BYTES = 2 * KeyTiles.POSITIONS;
    private static final VectorElementwise ELEMENTWISE = new VectorElementwise();
    /** Rows per sub-block of the fp16 value pass (see {@link #axpyF16Pair}). */
    static final int VALUE_SUB_ROWS = 32;
    /**
     * Per-thread sums of the value passes ({@link #axpyF16}, {@link #axpyF16Pair}): per input, the
     * running sums and a sub-block's, reused rather than allocated per call (per cache block, head
     * and layer of every token). Each call writes (or clears) the elements it reads back.
     */
    private static final ThreadLocal<float[][]> PAIR_SUMS = ThreadLocal.withInitial(() -> new float[4][0]);

    VectorRowDots() {
        if (I.length() != LANES) {
            throw new IllegalStateException("int and float vectors differ in lanes: " + I + ", " + F);
        }
    }

    @Override
    public String toString() {
        return F.vectorBitSize() + "-bit";
    }

    @Override
    public void f32(ByteBuffer w, Object view, int base, int k, float[] x, int rows, float[] dst, int dstOff) {
        int rowBytes = 4 * k;
        int bound = F.loopBound(k);
        try {
            for (int r = 0; r < rows; r++) {
                int o = base + r * rowBytes;
                dst[dstOff + r] = f32Row(view, o, bound, x) + tailF32(w, o, bound, k, x);
            }
        } catch (Throwable t) {
            throw VectorMemory.rethrow(t);
        }
    }

    /**
     * One row over its first {@code bound} elements (whole vectors). One row at a time, four
     * vectors per step into four accumulators: a single sequential stream per thread is what the
     * hardware prefetcher follows best (measured here: 24 GB/s per core against 18 for four rows
     * interleaved, which share the input loads but split the stream in four). It reads a duplicate
     * of the buffer on JDK 17–19, as {@link #f16Row} does: in the harness described there, fp32
     * matrices, 34.2 against 29.0 GB/s and 31.4 against 27.6 (means of 13 passes each).
     */
    private static float f32Row(Object view, int o, int bound, float[] x) throws Throwable {
        Object w = OWN_BUFFER_COPY ? ((ByteBuffer) view).duplicate() : view; // here: see f16Row
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (; i <= bound - 4 * LANES; i += 4 * LANES) {
            int b = o + 4 * i;
            a0 = ((FloatVector) FLOATS.invokeExact(w, b)).fma(FloatVector.fromArray(F, x, i), a0);
            a1 = ((FloatVector) FLOATS.invokeExact(w, b + 4 * LANES)).fma(FloatVector.fromArray(F, x, i + LANES), a1);
            a2 = ((FloatVector) FLOATS.invokeExact(w, b + 8 * LANES))
                    .fma(FloatVector.fromArray(F, x, i + 2 * LANES), a2);
            a3 = ((FloatVector) FLOATS.invokeExact(w, b + 12 * LANES))
                    .fma(FloatVector.fromArray(F, x, i + 3 * LANES), a3);
        }
        for (; i < bound; i += LANES) {
            a0 = ((FloatVector) FLOATS.invokeExact(w, o + 4 * i)).fma(FloatVector.fromArray(F, x, i), a0);
        }
        FloatVector all = a0.add(a1).add(a2.add(a3));
        float sum = all.lane(0) + all.lane(1) + all.lane(2) + all.lane(3); // lane order: see the class comment
        if (LANES > 4) {
            sum = sum + all.lane(4) + all.lane(5) + all.lane(6) + all.lane(7);
        }
        if (LANES > 8) {
            sum = sum + all.lane(8) + all.lane(9) + all.lane(10) + all.lane(11)
                    + all.lane(12) + all.lane(13) + all.lane(14) + all.lane(15);
        }
        return sum;
    }

    private static float tailF32(ByteBuffer w, int rowStart, int from, int k, float[] x) {
        float s = 0;
        for (int i = from; i < k; i++) {
            s = Math.fma(w.getFloat(rowStart + 4 * i), x[i], s);
        }
        return s;
    }

    /** Whole vectors of 2·LANES halves: the pairs {@link #f16} takes with vectors, the rest is its tail. */
    private static int halfPairs(int k) {
        return k / (2 * LANES) * LANES;
    }

    /**
     * For each block of LANES pairs, the LANES even-indexed inputs then the LANES odd-indexed ones,
     * each times 2^112 (see the class comment): one array read front to back alongside the weights,
     * which measured 20–40 % faster than separate even and odd arrays.
     */
    @Override
    public void prepareHalfInput(float[] x, int k, float[] prepared) {
        int pairs = halfPairs(k);
        for (int b = 0; b < pairs; b += LANES) {
            for (int l = 0; l < LANES; l++) {
                prepared[2 * b + l] = x[2 * (b + l)] * TWO_POW_112;
                prepared[2 * b + LANES + l] = x[2 * (b + l) + 1] * TWO_POW_112;
            }
        }
    }

    /** Each element times 2^112, in order: the tile kernel broadcasts one per row of keys (see the class comment). */
    @Override
    public void prepareTileInput(float[] x, int d, float[] prepared) {
        for (int i = 0; i < d; i++) {
            prepared[i] = x[i] * TWO_POW_112;
        }
    }

    @Override
    public void f16(ByteBuffer w, Object view, int base, int k, float[] x, float[] prepared, int rows, float[] dst,
                    int dstOff) {
        int rowBytes = 2 * k;
        int pairs = halfPairs(k);
        int tailFrom = 2 * pairs;
        try {
            for (int r = 0; r < rows; r++) {
                int o = base + r * rowBytes;
                dst[dstOff + r] = f16Row(view, o, pairs, prepared) + tailF16(w, o, tailFrom, k, x);
            }
        } catch (Throwable t) {
            throw VectorMemory.rethrow(t);
        }
    }

    /**
     * One fp16 row over its first {@code pairs} pairs, four vectors (8·LANES halves) per step into
     * four accumulators (see {@link #f32Row}). The widening is written out, not in helper methods:
     * C2 stops inlining ordinary methods once a method's graph is large (the Vector API's is), and a
     * vector that escapes is a heap object, ten times slower.
     *
     * <p>The loop is written twice, with shift counts as ints from JDK 20 on and as vectors before,
     * because each JDK's C2 compiles one of the two whole and the other not always. On JDK 21 a
     * vector count makes the Vector API mask it with a nested {@code lanewise} call, which C2 at times
     * refused to inline ("recursive inlining is too deep"), and every vector of the loop went to the
     * heap: with the serial or parallel collector (the CLI's child JVM runs the serial one) in every
     * harness run, 3.5–8.5 GB/s and 2.9 GB of garbage a pass over 28 layers instead of 25 GB/s, and
     * decode steps of 480–570 ms instead of 155 in two benchmark runs of four. On JDK 17 int counts
     * did the same in most runs with those collectors (and cost a third of the throughput in an
     * earlier version of the loop). With this choice, 28 layers of the 2B decoder's fp16 matrices
     * from memory (harness outside the repository, Zen 3): 15 runs of 15 without garbage over JDK
     * 17, 21 and 25 with the serial (three runs each), parallel and G1 collectors.
     *
     * <p>On JDK 17–19 the loop reads a duplicate of the buffer made in this method. With
     * the buffer itself, C2 reloads and re-checks its address and limit at every load; a duplicate
     * made in this method it scalar-replaces, so those are known once and nothing is allocated.
     * Four vectors a step, not two, halve the steps' remaining overhead; they need the duplicate (with
     * the buffer itself, four loads a step ran at 8 GB/s: C2 gave up on the loop). Measured in a
     * harness outside the repository that alternates this loop with the former one in one JVM (28
     * layers of the 2B decoder's fp16 matrices, two threads, from memory, Zen 3 at 256 bits), mean
     * of 27 passes each: JDK 17 28.3 against 24.9 GB/s and 27.4 against 25.4 in a second run; JDK 21
     * and 25, where nothing is duplicated, 25.2 against 25.9 and 22.3 against 21.8 (unchanged).
     */
    private static float f16Row(Object view, int o, int pairs, float[] xs) throws Throwable {
        // Made here, not in a helper: made in a helper (or by the caller) it was a heap object every call.
        Object w = OWN_BUFFER_COPY ? ((ByteBuffer) view).duplicate() : view;
        IntVector bits = IntVector.broadcast(I, HALF_BITS);
        IntVector sixteen = IntVector.broadcast(I, 16);
        IntVector three = IntVector.broadcast(I, 3);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int j = 0;
        if (INT_SHIFT_COUNTS) {
            for (; j <= pairs - 4 * LANES; j += 4 * LANES) {
                int b = o + 4 * j;
                int xj = 2 * j;
                IntVector v0 = (IntVector) INTS.invokeExact(w, b);
                IntVector v1 = (IntVector) INTS.invokeExact(w, b + 4 * LANES);
                IntVector v2 = (IntVector) INTS.invokeExact(w, b + 8 * LANES);
                IntVector v3 = (IntVector) INTS.invokeExact(w, b + 12 * LANES);
                a0 = v0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(bits)
                        .reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xj), a0);
                a1 = v0.lanewise(VectorOperators.ASHR, 3).and(bits).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xs, xj + LANES), a1);
                a2 = v1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(bits)
                        .reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xj + 2 * LANES), a2);
                a3 = v1.lanewise(VectorOperators.ASHR, 3).and(bits).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xs, xj + 3 * LANES), a3);
                a0 = v2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(bits)
                        .reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xj + 4 * LANES), a0);
                a1 = v2.lanewise(VectorOperators.ASHR, 3).and(bits).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xs, xj + 5 * LANES), a1);
                a2 = v3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(bits)
                        .reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xj + 6 * LANES), a2);
                a3 = v3.lanewise(VectorOperators.ASHR, 3).and(bits).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xs, xj + 7 * LANES), a3);
            }
            for (; j < pairs; j += LANES) {
                int xj = 2 * j;
                IntVector v0 = (IntVector) INTS.invokeExact(w, o + 4 * j);
                a0 = v0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(bits)
                        .reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xj), a0);
                a1 = v0.lanewise(VectorOperators.ASHR, 3).and(bits).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xs, xj + LANES), a1);
            }
        } else {
            for (; j <= pairs - 4 * LANES; j += 4 * LANES) {
                int b = o + 4 * j;
                int xj = 2 * j;
                IntVector v0 = (IntVector) INTS.invokeExact(w, b);
                IntVector v1 = (IntVector) INTS.invokeExact(w, b + 4 * LANES);
                IntVector v2 = (IntVector) INTS.invokeExact(w, b + 8 * LANES);
                IntVector v3 = (IntVector) INTS.invokeExact(w, b + 12 * LANES);
                a0 = v0.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three).and(bits)
                        .reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xj), a0);
                a1 = v0.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xs, xj + LANES), a1);
                a2 = v1.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three).and(bits)
                        .reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xj + 2 * LANES), a2);
                a3 = v1.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xs, xj + 3 * LANES), a3);
                a0 = v2.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three).and(bits)
                        .reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xj + 4 * LANES), a0);
                a1 = v2.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xs, xj + 5 * LANES), a1);
                a2 = v3.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three).and(bits)
                        .reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xj + 6 * LANES), a2);
                a3 = v3.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xs, xj + 7 * LANES), a3);
            }
            for (; j < pairs; j += LANES) {
                int xj = 2 * j;
                IntVector v0 = (IntVector) INTS.invokeExact(w, o + 4 * j);
                a0 = v0.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three).and(bits)
                        .reinterpretAsFloats().fma(FloatVector.fromArray(F, xs, xj), a0);
                a1 = v0.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, xs, xj + LANES), a1);
            }
        }
        FloatVector all = a0.add(a1).add(a2.add(a3));
        float sum = all.lane(0) + all.lane(1) + all.lane(2) + all.lane(3); // lane order: see the class comment
        if (LANES > 4) {
            sum = sum + all.lane(4) + all.lane(5) + all.lane(6) + all.lane(7);
        }
        if (LANES > 8) {
            sum = sum + all.lane(8) + all.lane(9) + all.lane(10) + all.lane(11)
                    + all.lane(12) + all.lane(13) + all.lane(14) + all.lane(15);
        }
        return sum;
    }

    /**
     * Two inputs share each widened row; one vector (2·LANES halves) per step into two accumulators
     * per input, the accumulator count of {@link #f16Row} (more made C2 give up intrinsifying the
     * casts, see {@link #axpyF16Pair}).
     */
    @Override
    public void f16Pair(ByteBuffer w, int base, int k, float[] a, float[] preparedA, float[] b, float[] preparedB,
                        int rows, float[] dstA, float[] dstB, int dstOff) {
        int rowBytes = 2 * k;
        int pairs = halfPairs(k);
        int tailFrom = 2 * pairs;
        IntVector bits = IntVector.broadcast(I, HALF_BITS);
        IntVector sixteen = IntVector.broadcast(I, 16);
        IntVector three = IntVector.broadcast(I, 3);
        Object m = VectorMemory.reused(w);
        try {
            for (int r = 0; r < rows; r++) {
                int o = base + r * rowBytes;
                FloatVector ae = FloatVector.zero(F);
                FloatVector ao = ae;
                FloatVector be = ae;
                FloatVector bo = ae;
                for (int j = 0; j < pairs; j += LANES) {
                    IntVector v = (IntVector) INTS.invokeExact(m, o + 4 * j);
                    FloatVector even = v.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three)
                            .and(bits).reinterpretAsFloats();
                    FloatVector odd = v.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats();
                    int xj = 2 * j;
                    ae = even.fma(FloatVector.fromArray(F, preparedA, xj), ae);
                    ao = odd.fma(FloatVector.fromArray(F, preparedA, xj + LANES), ao);
                    be = even.fma(FloatVector.fromArray(F, preparedB, xj), be);
                    bo = odd.fma(FloatVector.fromArray(F, preparedB, xj + LANES), bo);
                }
                FloatVector allA = ae.add(ao);
                FloatVector allB = be.add(bo);
                float sumA = allA.lane(0) + allA.lane(1) + allA.lane(2) + allA.lane(3); // lane order: see the class comment
                if (LANES > 4) {
                    sumA = sumA + allA.lane(4) + allA.lane(5) + allA.lane(6) + allA.lane(7);
                }
                if (LANES > 8) {
                    sumA = sumA + allA.lane(8) + allA.lane(9) + allA.lane(10) + allA.lane(11)
                            + allA.lane(12) + allA.lane(13) + allA.lane(14) + allA.lane(15);
                }
                float sumB = allB.lane(0) + allB.lane(1) + allB.lane(2) + allB.lane(3); // lane order: see the class comment
                if (LANES > 4) {
                    sumB = sumB + allB.lane(4) + allB.lane(5) + allB.lane(6) + allB.lane(7);
                }
                if (LANES > 8) {
                    sumB = sumB + allB.lane(8) + allB.lane(9) + allB.lane(10) + allB.lane(11)
                            + allB.lane(12) + allB.lane(13) + allB.lane(14) + allB.lane(15);
                }
                dstA[dstOff + r] = sumA + tailF16(w, o, tailFrom, k, a);
                dstB[dstOff + r] = sumB + tailF16(w, o, tailFrom, k, b);
            }
        } catch (Throwable t) {
            throw VectorMemory.rethrow(t);
        }
    }

    /**
     * Keys stored {@link KeyTiles tiled}: positions across the lanes, so a tile's scores are sums of
     * {@code d} broadcast-query × key-row products with no reduction across lanes, and each query
     * element is read once per tile instead of once per position. Row {@code i} of a tile holds the
     * 32 positions' element {@code i}, position {@code l} in the low and {@code 16 + l} in the high
     * half of int {@code l}: an int vector (chunk {@code c} of {@code 16 / LANES}) widens, as in
     * {@link #f16Row}, into the scores of positions {@code c·LANES ..} (low halves) and
     * {@code 16 + c·LANES ..} (high halves), stored as they are. With 32 vector registers (AVX-512)
     * rows alternate between two sets of accumulators so the FMA chains' latency does not bound the
     * loop; with 16 (AVX2) one set, see {@link #tileScorePair}.
     *
     * <p>Why: per key row the row-wise pass re-read both queries (four vector loads per vector of
     * keys) and reduced two vectors across lanes; it computed 15 GB/s of keys per core from cache and
     * read 17–22 GB/s from memory on two cores, where this reads 27–34 (8K positions, 28 layers).
     */
    @Override
    public void f16Tiles(ByteBuffer k, int base, int d, float[] a, float[] b, int tiles, float[] dstA, float[] dstB,
                         int dstOff) {
        // The loop in a method of its own: C2 compiles vector code whole only while a method stays small (see f16Row).
        Object m = VectorMemory.reused(k);
        try {
            for (int t = 0; t < tiles; t++) {
                for (int c = 0; c < KeyTiles.POSITIONS / 2; c += LANES) {
                    int o = base + t * d * TILE_ROW_BYTES + 4 * c;
                    int low = dstOff + t * KeyTiles.POSITIONS + c;
                    // One query is paired with itself: only odd groups of query heads have one left over
                    // (none of the released models), not worth a second copy of the loop.
                    tileScorePair(m, o, d, a, b == null ? a : b, dstA, b == null ? dstA : dstB, low);
                }
            }
        } catch (Throwable t) {
            throw VectorMemory.rethrow(t);
        }
    }

    /**
     * One chunk of a tile (LANES ints of every row from byte {@code o}) for two queries, each row
     * widened once for both: scores from {@code low} (and {@code low + 16}) of {@code dstA, dstB}.
     * Each widened vector meets its FMAs before the next is widened, for the register pressure at
     * 256 bits described at {@link #pairBlockSums} (here two accumulators had gone to the stack).
     * Even so, with the second set of accumulators C2 still kept one or two of them on the stack at
     * 256 bits (gdb disassembly: a load, FMA and store of the same stack slot every row, a chain
     * through memory), so there each row adds into the one set: the chains' latency, four cycles a
     * row, is below the pace the loop reaches. 28 layers' attention over 8K tiled fp16 positions on a
     * Zen 3 (harness outside the repository, alternating): at least 41.7–43.2 ms against 47.4–49.2.
     *
     * <p>The second set is added to the first only where it is used. Added always (zero vectors at
     * 256 bits), C2 on JDK 17 and 21 at times found the unused set's values to be loop phis of
     * inexact type, could not unbox them ({@code -XX:+PrintIntrinsics}: "unbox failed v2=Phi"), and
     * left three of the four stores to the Java fallback: 14.7 MB of boxed vectors a pass over 28
     * layers at 8K positions, in some runs and not others (JFR). Harness, 8K positions, 28 layers:
     * JDK 17 four runs of four without that garbage after the change, JDK 21 five of five (with
     * {@link InliningDirective}, which removes a second source of it there).
     */
    private static void tileScorePair(Object k, int o, int d, float[] a, float[] b, float[] dstA, float[] dstB,
                                      int low) throws Throwable {
        IntVector bits = IntVector.broadcast(I, HALF_BITS);
        IntVector sixteen = IntVector.broadcast(I, 16);
        IntVector three = IntVector.broadcast(I, 3);
        FloatVector la = FloatVector.zero(F);
        FloatVector ha = la;
        FloatVector la2 = la;
        FloatVector ha2 = la;
        FloatVector lb = la;
        FloatVector hb = la;
        FloatVector lb2 = la;
        FloatVector hb2 = la;
        int even = d & ~1;
        int i = 0;
        for (; i < even; i += 2, o += 2 * TILE_ROW_BYTES) {
            FloatVector qa = FloatVector.broadcast(F, a[i]);
            FloatVector qb = FloatVector.broadcast(F, b[i]);
            IntVector v = (IntVector) INTS.invokeExact(k, o);
            FloatVector vl = v.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three)
                    .and(bits).reinterpretAsFloats();
            la = vl.fma(qa, la);
            lb = vl.fma(qb, lb);
            FloatVector vh = v.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats();
            ha = vh.fma(qa, ha);
            hb = vh.fma(qb, hb);
            FloatVector qa2 = FloatVector.broadcast(F, a[i + 1]);
            FloatVector qb2 = FloatVector.broadcast(F, b[i + 1]);
            IntVector u = (IntVector) INTS.invokeExact(k, o + TILE_ROW_BYTES);
            FloatVector ul = u.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three)
                    .and(bits).reinterpretAsFloats();
            if (TWO_SETS) {
                la2 = ul.fma(qa2, la2);
                lb2 = ul.fma(qb2, lb2);
            } else {
                la = ul.fma(qa2, la);
                lb = ul.fma(qb2, lb);
            }
            FloatVector uh = u.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats();
            if (TWO_SETS) {
                ha2 = uh.fma(qa2, ha2);
                hb2 = uh.fma(qb2, hb2);
            } else {
                ha = uh.fma(qa2, ha);
                hb = uh.fma(qb2, hb);
            }
        }
        if (i < d) {
            IntVector v = (IntVector) INTS.invokeExact(k, o);
            FloatVector vl = v.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three)
                    .and(bits).reinterpretAsFloats();
            FloatVector vh = v.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats();
            FloatVector qa = FloatVector.broadcast(F, a[i]);
            FloatVector qb = FloatVector.broadcast(F, b[i]);
            la = vl.fma(qa, la);
            ha = vh.fma(qa, ha);
            lb = vl.fma(qb, lb);
            hb = vh.fma(qb, hb);
        }
        int high = low + KeyTiles.POSITIONS / 2;
        if (TWO_SETS) {
            la = la.add(la2);
            ha = ha.add(ha2);
            lb = lb.add(lb2);
            hb = hb.add(hb2);
        }
        la.intoArray(dstA, low);
        ha.intoArray(dstA, high);
        lb.intoArray(dstB, low);
        hb.intoArray(dstB, high);
    }

    @Override
    public Object view(ByteBuffer buffer) {
        return VectorMemory.of(buffer);
    }

    @Override
    public boolean keyTiles() {
        return LANES <= KeyTiles.POSITIONS / 2 && (KeyTiles.POSITIONS / 2) % LANES == 0;
    }

    /**
     * One row at a time (see {@link #f32Row}), weights stored {@link Int8Layout interleaved over
     * LANES}: a group of {@code 4·LANES} bytes is loaded as LANES ints, and byte {@code p} of every
     * lane is the run of elements {@code p·LANES ..} of the group, in order. Each byte is moved into
     * its lane's top byte ({@code << 24}, {@code << 16} and mask, {@code << 8} and mask, mask): that
     * int is the weight times 2^24 exactly, and so is its conversion to float, which 8 significant
     * bits always fit. A run multiplies the input as it is; runs 0 and 1 share a block, as do runs 2
     * and 3, so each pair's sum takes its block's scale with one FMA, into one of two accumulators
     * (the two chains of FMAs run side by side). The 2^24 is taken out once per row, exactly (a row's
     * sum would have to pass 2^104 to overflow first). All shifts are by vector counts (see
     * {@link #f16Row}).
     *
     * <p>Why this shape: widening 16 bytes at a time (sign extension, then conversion) read 8.6 GB/s
     * of weights and scales per core here, a group per step 13.8. The loop was then bound by the
     * instructions around the arithmetic, not by memory: each step re-checked the weight buffer,
     * read its scales through {@code ByteBuffer.getFloat} (bounds and byte-order checks each) and,
     * with the natural order, blended two blocks' scales and read a reordered input. Now a row's
     * scales are first copied into a per-thread float array (a few vector loads), each run's scale
     * is a broadcast from it, and a step takes two groups. Weights past the last pair of whole
     * groups (none in the released models' shapes) are summed by a scalar tail.
     */
    @Override
    public void int8(ByteBuffer w, Object view, int base, int k, ByteBuffer scales, Object scalesView, int scaleBase,
                     float[] x, int rows, float[] dst, int dstOff) {
        int blocks = k / Int8Blocks.BLOCK;
        int paired = int8Vectorized(k);
        float[] rowScales = ROW_SCALES.get();
        if (rowScales.length < blocks) {
            rowScales = new float[blocks];
            ROW_SCALES.set(rowScales);
        }
        int vectorBlocks = blocks - blocks % LANES;
        IntVector topByte = IntVector.broadcast(I, 0xFF000000);
        IntVector eight = IntVector.broadcast(I, 8);
        IntVector sixteen = IntVector.broadcast(I, 16);
        IntVector twentyFour = IntVector.broadcast(I, 24);
        try {
            for (int r = 0; r < rows; r++) {
                int o = base + r * k;
                int sb = scaleBase + 4 * r * blocks;
                int b = 0;
                for (; b < vectorBlocks; b += LANES) {
                    ((FloatVector) FLOATS.invokeExact(scalesView, sb + 4 * b)).intoArray(rowScales, b);
                }
                for (; b < blocks; b++) {
                    rowScales[b] = scales.getFloat(sb + 4 * b);
                }
                FloatVector low = FloatVector.zero(F); // runs 0 and 1 of every group
                FloatVector high = FloatVector.zero(F); // runs 2 and 3
                for (int g = 0; g < paired; g += 2 * INT8_GROUP) {
                    IntVector v = (IntVector) INTS_LE.invokeExact(view, o + g);
                    IntVector u = (IntVector) INTS_LE.invokeExact(view, o + g + INT8_GROUP);
                    FloatVector t = ((FloatVector) v.lanewise(VectorOperators.LSHL, twentyFour)
                            .convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, x, g));
                    t = ((FloatVector) v.lanewise(VectorOperators.LSHL, sixteen).and(topByte)
                            .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, g + LANES), t);
                    low = t.fma(FloatVector.broadcast(F, rowScales[g / Int8Blocks.BLOCK]), low);
                    t = ((FloatVector) v.lanewise(VectorOperators.LSHL, eight).and(topByte)
                            .convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, x, g + 2 * LANES));
                    t = ((FloatVector) v.and(topByte)
                            .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, g + 3 * LANES), t);
                    high = t.fma(FloatVector.broadcast(F, rowScales[(g + 2 * LANES) / Int8Blocks.BLOCK]), high);
                    // The second group, written out again: a helper taking vectors made C2 box them (see f16Row).
                    int h = g + INT8_GROUP;
                    t = ((FloatVector) u.lanewise(VectorOperators.LSHL, twentyFour)
                            .convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, x, h));
                    t = ((FloatVector) u.lanewise(VectorOperators.LSHL, sixteen).and(topByte)
                            .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, h + LANES), t);
                    low = t.fma(FloatVector.broadcast(F, rowScales[h / Int8Blocks.BLOCK]), low);
                    t = ((FloatVector) u.lanewise(VectorOperators.LSHL, eight).and(topByte)
                            .convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, x, h + 2 * LANES));
                    t = ((FloatVector) u.and(topByte)
                            .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, h + 3 * LANES), t);
                    high = t.fma(FloatVector.broadcast(F, rowScales[(h + 2 * LANES) / Int8Blocks.BLOCK]), high);
                }
                FloatVector all = low.add(high);
                float sum = all.lane(0) + all.lane(1) + all.lane(2) + all.lane(3); // lane order: see the class comment
                if (LANES > 4) {
                    sum = sum + all.lane(4) + all.lane(5) + all.lane(6) + all.lane(7);
                }
                if (LANES > 8) {
                    sum = sum + all.lane(8) + all.lane(9) + all.lane(10) + all.lane(11)
                            + all.lane(12) + all.lane(13) + all.lane(14) + all.lane(15);
                }
                sum *= 0x1p-24f;
                // Tested, not called, when there is no tail (the released shapes): the call was 0.4 % of a step.
                dst[dstOff + r] = paired < k ? sum + tailInt8(w, o, paired, k, scales, sb, x) : sum;
            }
        } catch (Throwable t) {
            throw VectorMemory.rethrow(t);
        }
    }

    /** The blocks of a row from element {@code from} on (a block boundary), one weight at a time. */
    private static float tailInt8(ByteBuffer w, int o, int from, int k, ByteBuffer scales, int sb, float[] x) {
        float sum = 0;
        for (int blk = from / Int8Blocks.BLOCK; blk < k / Int8Blocks.BLOCK; blk++) {
            float block = 0;
            for (int i = blk * Int8Blocks.BLOCK; i < (blk + 1) * Int8Blocks.BLOCK; i++) {
                block = Math.fma(w.get(o + INT8_LAYOUT.position(i, k)), x[i], block);
            }
            sum = Math.fma(block, scales.getFloat(sb + 4 * blk), sum);
        }
        return sum;
    }

    /** The elements {@link #int8}'s vector loop takes: whole pairs of groups; the rest is its scalar tail. */
    private static int int8Vectorized(int k) {
        return k - k % (2 * INT8_GROUP);
    }

    /**
     * The inverse of the {@link Int8Layout} interleaving, fused with the widening and the scales:
     * byte {@code p} of every lane of a group, sign-extended (moved to the top byte, then shifted
     * back arithmetically), is the run {@code p·LANES ..} of elements in order, so it is converted
     * and stored as it is. Each weight becomes {@code (float) q · scale}, one rounding, as the
     * backend's widen-then-multiply gives. Elements past the last whole group are natural already.
     */
    @Override
    public void dequantizeInt8(ByteBuffer w, int base, int k, ByteBuffer scales, int scaleBase, int rows,
                               ByteBuffer dst, int dstBase) {
        int blocks = k / Int8Blocks.BLOCK;
        int grouped = k - k % INT8_GROUP;
        IntVector eight = IntVector.broadcast(I, 8);
        IntVector sixteen = IntVector.broadcast(I, 16);
        IntVector twentyFour = IntVector.broadcast(I, 24);
        Object wm = VectorMemory.of(w);
        Object dm = VectorMemory.of(dst);
        try {
            for (int r = 0; r < rows; r++) {
                int o = base + r * k;
                int sb = scaleBase + 4 * r * blocks;
                int d = dstBase + 4 * r * k;
                for (int g = 0; g < grouped; g += INT8_GROUP) {
                    IntVector v = (IntVector) INTS_LE.invokeExact(wm, o + g);
                    FloatVector run = ((FloatVector) v.lanewise(VectorOperators.LSHL, twentyFour)
                            .lanewise(VectorOperators.ASHR, twentyFour).convert(VectorOperators.I2F, 0))
                            .mul(scales.getFloat(sb + 4 * (g / Int8Blocks.BLOCK)));
                    STORE_FLOATS.invokeExact(run, dm, d + 4 * g);
                    int h = g + LANES;
                    run = ((FloatVector) v.lanewise(VectorOperators.LSHL, sixteen)
                            .lanewise(VectorOperators.ASHR, twentyFour).convert(VectorOperators.I2F, 0))
                            .mul(scales.getFloat(sb + 4 * (h / Int8Blocks.BLOCK)));
                    STORE_FLOATS.invokeExact(run, dm, d + 4 * h);
                    h += LANES;
                    run = ((FloatVector) v.lanewise(VectorOperators.LSHL, eight)
                            .lanewise(VectorOperators.ASHR, twentyFour).convert(VectorOperators.I2F, 0))
                            .mul(scales.getFloat(sb + 4 * (h / Int8Blocks.BLOCK)));
                    STORE_FLOATS.invokeExact(run, dm, d + 4 * h);
                    h += LANES;
                    run = ((FloatVector) v.lanewise(VectorOperators.ASHR, twentyFour).convert(VectorOperators.I2F, 0))
                            .mul(scales.getFloat(sb + 4 * (h / Int8Blocks.BLOCK)));
                    STORE_FLOATS.invokeExact(run, dm, d + 4 * h);
                }
                for (int i = grouped; i < k; i++) {
                    dst.putFloat(d + 4 * i, w.get(o + i) * scales.getFloat(sb + 4 * (i / Int8Blocks.BLOCK)));
                }
            }
        } catch (Throwable t) {
            throw VectorMemory.rethrow(t);
        }
    }

    @Override
    public Int8Layout int8Layout() {
        return INT8_LAYOUT;
    }

    private static float tailF16(ByteBuffer w, int rowStart, int from, int k, float[] x) {
        float s = 0;
        for (int i = from; i < k; i++) {
            s = Math.fma(HalfFloat.toFloat(w.getShort(rowStart + 2 * i)), x[i], s);
        }
        return s;
    }

    /**
     * Four vectors of columns at a time, summed over all rows in registers (no store and reload of
     * the sums per row, whose store-to-load latency bounded the first version), then the next four:
     * the rows are re-read from cache, which holds a block of them (see DecodeAttention).
     */
    @Override
    public void axpyF32(ByteBuffer v, int base, int d, float[] p, int pOff, int rows, float[] out) {
        int rowBytes = 4 * d;
        int i = 0;
        Object m = VectorMemory.reused(v);
        try {
            for (; i <= d - 4 * LANES; i += 4 * LANES) {
                FloatVector a0 = FloatVector.fromArray(F, out, i);
                FloatVector a1 = FloatVector.fromArray(F, out, i + LANES);
                FloatVector a2 = FloatVector.fromArray(F, out, i + 2 * LANES);
                FloatVector a3 = FloatVector.fromArray(F, out, i + 3 * LANES);
                int o = base + 4 * i;
                for (int r = 0; r < rows; r++, o += rowBytes) {
                    FloatVector pr = FloatVector.broadcast(F, p[pOff + r]);
                    a0 = ((FloatVector) FLOATS.invokeExact(m, o)).fma(pr, a0);
                    a1 = ((FloatVector) FLOATS.invokeExact(m, o + 4 * LANES)).fma(pr, a1);
                    a2 = ((FloatVector) FLOATS.invokeExact(m, o + 8 * LANES)).fma(pr, a2);
                    a3 = ((FloatVector) FLOATS.invokeExact(m, o + 12 * LANES)).fma(pr, a3);
                }
                a0.intoArray(out, i);
                a1.intoArray(out, i + LANES);
                a2.intoArray(out, i + 2 * LANES);
                a3.intoArray(out, i + 3 * LANES);
            }
            for (; i <= d - LANES; i += LANES) {
                FloatVector a = FloatVector.fromArray(F, out, i);
                int o = base + 4 * i;
                for (int r = 0; r < rows; r++, o += rowBytes) {
                    a = ((FloatVector) FLOATS.invokeExact(m, o)).fma(FloatVector.broadcast(F, p[pOff + r]), a);
                }
                a.intoArray(out, i);
            }
        } catch (Throwable t) {
            throw VectorMemory.rethrow(t);
        }
        for (; i < d; i++) {
            float a = out[i];
            for (int r = 0; r < rows; r++) {
                a = Math.fma(v.getFloat(base + r * rowBytes + 4 * i), p[pOff + r], a);
            }
            out[i] = a;
        }
    }

    /**
     * fp16 rows widened as in {@link #f16}: the weight {@code p[r]} is multiplied by 2^112 (exact,
     * since |p| ≤ 2^16) so each FMA sees the exact product. A block of columns is summed over the
     * rows in registers (as even and odd halves), then put back in element order. The loop is
     * {@link #axpyF16Pair}'s with the input paired with itself: only odd groups of query heads
     * have a single one (none of the released models), not worth a second copy of it.
     */
    @Override
    public void axpyF16(ByteBuffer v, int base, int d, float[] p, int pOff, int rows, float[] out) {
        addValues(v, base, d, p, p, pOff, rows, out, null, false);
    }

    /**
     * {@link #axpyF16} for two probability rows at once, {@code pa} into {@code outA} and {@code pb}
     * into {@code outB}: each value row is widened once for both — the two query heads of a kv head.
     * Two vectors of pairs per row step, eight accumulators: with one vector (four) the FMA chains'
     * latency bound the loop and the pair ran slower than two single passes; with two, decode
     * attention over 8K fp16 positions took 42.6–51.7 ms per token against 49.3–60.0, faster in each
     * of five alternating runs (28 layers, two cores). Four vectors (sixteen accumulators, a whole
     * row per step) read values from memory faster in a harness, but in the decode step C2's code
     * for it ran three times slower, in a method of its own as well.
     *
     * <p>A row's two halves are read in separate passes, so the rows go by in sub-blocks of
     * {@link #VALUE_SUB_ROWS} (8 KiB of 128 halves): the second pass then finds the block in L1.
     * Over 256 rows at a time the value pass read 19–20 GB/s, in sub-blocks of 32 rows 24–25 (28
     * layers × 8K positions, two cores, a harness outside the repository).
     */
    @Override
    public void axpyF16Pair(ByteBuffer v, int base, int d, float[] pa, float[] pb, int pOff, int rows,
                            float[] outA, float[] outB) {
        addValues(v, base, d, pa, pb, pOff, rows, outA, outB, false);
    }

    /**
     * The same passes over {@link ValueTiles}: a tile is a sub-block, and each pass over its rows
     * (one column block at {@code LANES} ≤ 8, two at 16) reads them 64 bytes apart, in order.
     */
    @Override
    public void axpyF16Tiles(ByteBuffer v, int base, int d, float[] pa, float[] pb, int pOff, int rows, float[] outA,
                             float[] outB) {
        // One probability row (pb and outB null): paired with itself, the second sums dropped, as in axpyF16.
        addValues(v, base, d, pa, pb == null ? pa : pb, pOff, rows, outA, outB, true);
    }

    /** A pass's two vectors of pairs lie inside column blocks, and every pair is in a pass (no scalar tail). */
    @Override
    public boolean valueTiles(int d) {
        return VALUE_SUB_ROWS == KeyTiles.POSITIONS && ValueTiles.COLUMNS % (2 * LANES) == 0
                && d % Math.max(ValueTiles.COLUMNS, 4 * LANES) == 0;
    }

    /**
     * {@link #axpyF16Pair} (rows of {@code v} whole, or {@link ValueTiles} when {@code tiled}), the
     * sums of {@code pb} dropped when {@code outB} is null.
     */
    private static void addValues(ByteBuffer v, int base, int d, float[] pa, float[] pb, int pOff, int rows,
                                  float[] outA, float[] outB, boolean tiled) {
        int pairs = halfPairs(d);
        int rowBytes = tiled ? 2 * ValueTiles.COLUMNS : 2 * d;
        int j = pairs / (2 * LANES) * (2 * LANES); // pairs summed with vectors
        float[][] sums = pairSums(2 * j);
        float[] accA = sums[0];
        float[] accB = sums[1];
        java.util.Arrays.fill(accA, 0, 2 * j, 0f);
        java.util.Arrays.fill(accB, 0, 2 * j, 0f);
        Object m = VectorMemory.reused(v);
        try {
            for (int s = 0; s < rows; s += VALUE_SUB_ROWS) {
                int n = Math.min(VALUE_SUB_ROWS, rows - s);
                pairBlockSums(m, base + s * 2 * d, rowBytes, tiled, pairs, pa, pb, pOff + s, n, sums[2], sums[3]);
                addSums(sums[2], 2 * j, accA);
                addSums(sums[3], 2 * j, accB);
            }
        } catch (Throwable t) {
            throw VectorMemory.rethrow(t);
        }
        // columns past the last two whole vectors of pairs (none for head sizes 64 and 128) one at a time
        tailAxpyF16(v, base, d, 2 * j, pa, pOff, rows, outA);
        addHalfPairSums(accA, j, outA);
        if (outB != null) {
            tailAxpyF16(v, base, d, 2 * j, pb, pOff, rows, outB);
            addHalfPairSums(accB, j, outB);
        }
    }

    /**
     * The sums over rows {@code [0, rows)} from byte {@code o0} of {@link #axpyF16Pair}'s sub-block
     * (rows {@code rowBytes} apart, whole or in a {@link ValueTiles} tile, see {@link #columnBytes}),
     * written to {@code sumsA, sumsB} (per two vectors of pairs: even sums, odd sums, each LANES
     * long). Written, not added (that is {@link #addSums}): with the sixteen loads and adds of an
     * accumulating end, C2 left some of this method's stores to the boxed fallback in the decode
     * step (2 % of an fp16 step's samples at 8K), and the value pass took 15.7 % of them against
     * 9.7 % written so. (The fallback still shows, at 0.2–1.7 %, from a site perf did not resolve.)
     *
     * <p>Each widened vector is used by its FMAs before the next is widened: at 256 bits (AVX2, 16
     * vector registers) widening all four first kept 17 vectors live, and C2 kept an accumulator
     * and a shift count on the stack inside the loop (gdb disassembly of the running code); in
     * this order every accumulator stays in a register. From the L3 cache of a Zen 3 the pass read
     * 26–28 GB/s instead of 20–23 (two cores, a harness outside the repository); each accumulator
     * takes the same FMAs in the same order, so the sums are unchanged.
     */
    private static void pairBlockSums(Object v, int o0, int rowBytes, boolean tiled, int pairs, float[] pa,
                                      float[] pb, int pOff, int rows, float[] sumsA, float[] sumsB) throws Throwable {
        IntVector bits = IntVector.broadcast(I, HALF_BITS);
        IntVector sixteen = IntVector.broadcast(I, 16);
        IntVector three = IntVector.broadcast(I, 3);
        for (int j = 0; j <= pairs - 2 * LANES; j += 2 * LANES) {
            FloatVector ea0 = FloatVector.zero(F);
            FloatVector oa0 = ea0;
            FloatVector eb0 = ea0;
            FloatVector ob0 = ea0;
            FloatVector ea1 = ea0;
            FloatVector oa1 = ea0;
            FloatVector eb1 = ea0;
            FloatVector ob1 = ea0;
            int o = o0 + columnBytes(2 * j, tiled);
            int second = o0 + columnBytes(2 * j + 2 * LANES, tiled) - o; // from the first vector of a row to its second
            for (int r = 0; r < rows; r++, o += rowBytes) {
                FloatVector a = FloatVector.broadcast(F, pa[pOff + r] * TWO_POW_112);
                FloatVector b = FloatVector.broadcast(F, pb[pOff + r] * TWO_POW_112);
                IntVector w0 = (IntVector) INTS.invokeExact(v, o);
                FloatVector even0 = w0.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three)
                        .and(bits).reinterpretAsFloats();
                ea0 = even0.fma(a, ea0);
                eb0 = even0.fma(b, eb0);
                FloatVector odd0 = w0.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats();
                oa0 = odd0.fma(a, oa0);
                ob0 = odd0.fma(b, ob0);
                IntVector w1 = (IntVector) INTS.invokeExact(v, o + second);
                FloatVector even1 = w1.lanewise(VectorOperators.LSHL, sixteen).lanewise(VectorOperators.ASHR, three)
                        .and(bits).reinterpretAsFloats();
                ea1 = even1.fma(a, ea1);
                eb1 = even1.fma(b, eb1);
                FloatVector odd1 = w1.lanewise(VectorOperators.ASHR, three).and(bits).reinterpretAsFloats();
                oa1 = odd1.fma(a, oa1);
                ob1 = odd1.fma(b, ob1);
            }
            int at = 2 * j;
            ea0.intoArray(sumsA, at);
            oa0.intoArray(sumsA, at + LANES);
            ea1.intoArray(sumsA, at + 2 * LANES);
            oa1.intoArray(sumsA, at + 3 * LANES);
            eb0.intoArray(sumsB, at);
            ob0.intoArray(sumsB, at + LANES);
            eb1.intoArray(sumsB, at + 2 * LANES);
            ob1.intoArray(sumsB, at + 3 * LANES);
        }
    }

    /** Byte offset of row 0's element {@code e} from a sub-block's start: rows whole, or a {@link ValueTiles} tile. */
    private static int columnBytes(int e, boolean tiled) {
        return tiled ? e / ValueTiles.COLUMNS * ValueTiles.BLOCK_BYTES + 2 * (e % ValueTiles.COLUMNS) : 2 * e;
    }

    /** {@code acc[i] += sums[i]} for {@code i < n}, a multiple of LANES. */
    private static void addSums(float[] sums, int n, float[] acc) {
        for (int i = 0; i < n; i += LANES) {
            FloatVector.fromArray(F, acc, i).add(FloatVector.fromArray(F, sums, i)).intoArray(acc, i);
        }
    }

    /** This thread's sum arrays (two running sums, two of a sub-block), at least {@code n} long. */
    private static float[][] pairSums(int n) {
        float[][] sums = PAIR_SUMS.get();
        if (sums[0].length < n) {
            for (int i = 0; i < sums.length; i++) {
                sums[i] = new float[n];
            }
        }
        return sums;
    }

    /** Columns from {@code from} on (past the whole vectors of pairs), one element at a time. */
    private static void tailAxpyF16(ByteBuffer v, int base, int d, int from, float[] p, int pOff, int rows,
                                    float[] out) {
        for (int i = from; i < d; i++) {
            float a = out[i];
            for (int r = 0; r < rows; r++) {
                a = Math.fma(HalfFloat.toFloat(v.getShort(base + r * 2 * d + 2 * i)), p[pOff + r], a);
            }
            out[i] = a;
        }
    }

    /** Adds sums kept per vector of pairs (even elements' lanes, then odd elements') to {@code out} in element order. */
    private static void addHalfPairSums(float[] acc, int pairs, float[] out) {
        for (int b = 0; b < pairs; b += LANES) {
            for (int l = 0; l < LANES; l++) {
                out[2 * (b + l)] += acc[2 * b + l];
                out[2 * (b + l) + 1] += acc[2 * b + LANES + l];
            }
        }
    }

    /**
     * Passes over the scores, each a method with one vector loop (scale and maximum, exponential and
     * sum, division), the fp16 roundings whole-array passes between them ({@link VectorElementwise}).
     * The maximum is taken before the scaled scores are rounded and rounded after: rounding is
     * monotonic, so that is the maximum of the rounded scores.
     *
     * <p>Why passes, not one method with the three loops: in the decode step C2 compiled that method
     * once with its vector stores left as calls to the Java fallback (every vector boxed on the
     * heap), and the softmax took 6 % of an fp16 step at 8K positions, about 10 ms; the passes run
     * over 32 KiB of scores in L1 and L2.
     */
    @Override
    public void probabilities(float[] s, int n, float scale, boolean half) {
        if (half) {
            ELEMENTWISE.roundToHalf(s, 0, n); // the fp16 matmul's output
        }
        float max = scaleAndMax(s, n, scale);
        if (half) {
            ELEMENTWISE.roundToHalf(s, 0, n); // the fp16 multiply's output
            max = HalfFloat.round(max);
        }
        float sum = expAndSum(s, n, max);
        divide(s, n, sum);
        if (half) {
            ELEMENTWISE.roundToHalf(s, 0, n); // the softmax's cast back to fp16
        }
    }

    /** {@code s[i] *= scale} for {@code i < n}; returns the largest product. */
    private static float scaleAndMax(float[] s, int n, float scale) {
        int bound = F.loopBound(n);
        FloatVector scaleV = FloatVector.broadcast(F, scale);
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, s, i).mul(scaleV);
            v.intoArray(s, i);
            maxV = maxV.max(v);
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (int i = bound; i < n; i++) {
            s[i] *= scale;
            max = Math.max(max, s[i]);
        }
        return max;
    }

    /** {@code s[i] = exp(s[i] - max)} for {@code i < n}; returns their sum. */
    private static float expAndSum(float[] s, int n, float max) {
        int bound = F.loopBound(n);
        FloatVector maxB = FloatVector.broadcast(F, max);
        FloatVector sumV = FloatVector.zero(F);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector e = FloatVector.fromArray(F, s, i).sub(maxB).lanewise(VectorOperators.EXP);
            e.intoArray(s, i);
            sumV = sumV.add(e);
        }
        float sum = sumV.reduceLanes(VectorOperators.ADD);
        for (int i = bound; i < n; i++) {
            s[i] = (float) Math.exp(s[i] - max);
            sum += s[i];
        }
        return sum;
    }

    /** {@code s[i] /= sum} for {@code i < n}. */
    private static void divide(float[] s, int n, float sum) {
        int bound = F.loopBound(n);
        FloatVector sumB = FloatVector.broadcast(F, sum);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(F, s, i).div(sumB).intoArray(s, i);
        }
        for (int i = bound; i < n; i++) {
            s[i] /= sum;
        }
    }

    @Override
    public boolean hasNonFiniteHalf(ByteBuffer w, int from, int count) {
        // Adding 1 to a 5-bit exponent field carries into the (cleared) sign bit only when the field
        // is all ones: inf or NaN. Both halves of a lane are tested at once, without masks.
        int bytes = 2 * count;
        int bound = from + bytes / (4 * LANES) * (4 * LANES);
        IntVector exps = IntVector.broadcast(I, HALF_EXP << 16 | HALF_EXP);
        IntVector one = IntVector.broadcast(I, 0x0400_0400);
        IntVector carries = IntVector.zero(I);
        Object m = VectorMemory.of(w);
        try {
            for (int o = from; o < bound; o += 4 * LANES) {
                carries = carries.or(((IntVector) INTS.invokeExact(m, o)).and(exps).add(one));
            }
        } catch (Throwable t) {
            throw VectorMemory.rethrow(t);
        }
        if ((carries.reduceLanes(VectorOperators.OR) & 0x8000_8000) != 0) {
            return true;
        }
        for (int o = bound; o < from + bytes; o += 2) {
            if ((w.getShort(o) & HALF_EXP) == HALF_EXP) {
                return true;
            }
        }
        return false;
    }
}
