package io.qwen3vl.models.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.stream.IntStream;

/**
 * Converts stored floating-point tensors to the compute dtype in Java, so that DJL never sees a
 * BF16 array (its JNI has no BF16 and aborts the JVM). BF16 to FP32 is exact (the bf16 bits are the
 * high half of the fp32 bits); to FP16 it rounds to nearest-even, like torch's cast.
 *
 * <p>Speed: each kernel moves a block of elements into a small primitive array with one bulk get
 * (a memcpy on little-endian machines), converts it in a tight loop with no calls the JIT cannot
 * inline, and writes it back with one bulk put. Large tensors are split over the available cores.
 */
final class FloatConversion {
    /** Elements per scratch block: two arrays of this size stay in the L1/L2 cache. */
    private static final int BLOCK = 8192;
    /** Below this many elements a second thread costs more than it saves. */
    private static final int PARALLEL_MIN = 1 << 20;

    /** bf16 bits to fp16 bits; every bf16 value is an fp32 value, so this is fp32 to fp16 rounding. */
    private static final short[] BF16_TO_F16 = new short[1 << 16];
    /** fp16 bits to fp32 bits (exact: every fp16 value is an fp32 value). */
    private static final int[] F16_TO_F32 = new int[1 << 16];

    static {
        for (int i = 0; i < 1 << 16; i++) {
            BF16_TO_F16[i] = HalfFloat.fromFloatBits(i << 16);
            F16_TO_F32[i] = Float.floatToRawIntBits(HalfFloat.toFloat((short) i));
        }
    }

    private FloatConversion() {
    }

    static boolean supports(DType source, DType target) {
        return (target == DType.F32 || target == DType.F16)
                && (source == DType.F32 || source == DType.F16 || source == DType.BF16);
    }

    /**
     * Converts all elements in {@code src} (little-endian {@code source} values from its position to
     * its limit) into {@code dst} ({@code target} values in native order, from its position).
     */
    static void convert(DType source, ByteBuffer src, DType target, ByteBuffer dst) {
        if (!supports(source, target)) {
            throw new IllegalArgumentException("cannot convert " + source + " to " + target);
        }
        if (src.remaining() % source.bytes() != 0) {
            throw new IllegalArgumentException(src.remaining() + " source bytes is not a whole number of "
                    + source + " elements");
        }
        int n = src.remaining() / source.bytes();
        if (dst.remaining() < (long) n * target.bytes()) {
            throw new IllegalArgumentException("destination holds " + dst.remaining() + " bytes, "
                    + n + " " + target + " elements need " + (long) n * target.bytes());
        }
        ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = dst.slice().order(ByteOrder.nativeOrder());
        int parts = n < PARALLEL_MIN ? 1 : Math.min(Runtime.getRuntime().availableProcessors(), n / (PARALLEL_MIN / 2));
        if (parts <= 1) {
            convertRange(source, in, target, out, 0, n);
            return;
        }
        // Part boundaries on block multiples, so that no two threads touch the same cache line.
        int step = (n / parts + BLOCK - 1) / BLOCK * BLOCK;
        IntStream.range(0, parts).parallel().forEach(p -> {
            int from = Math.min(n, p * step);
            int to = p == parts - 1 ? n : Math.min(n, from + step);
            convertRange(source, in, target, out, from, to);
        });
    }

    private static void convertRange(DType source, ByteBuffer in, DType target, ByteBuffer out, int from, int to) {
        if (source == target) {
            int width = source.bytes();
            out.put(from * width, in, from * width, (to - from) * width);
            return;
        }
        switch (source) {
            case BF16 -> {
                if (target == DType.F32) {
                    bf16ToF32(in.asShortBuffer(), out.asIntBuffer(), from, to);
                } else {
                    lookup16(in.asShortBuffer(), out.asShortBuffer(), BF16_TO_F16, from, to);
                }
            }
            case F16 -> f16ToF32(in.asShortBuffer(), out.asIntBuffer(), from, to);
            case F32 -> f32ToF16(in.asIntBuffer(), out.asShortBuffer(), from, to);
            default -> throw new IllegalArgumentException("cannot convert " + source + " to " + target);
        }
    }

    private static void bf16ToF32(ShortBuffer in, IntBuffer out, int from, int to) {
        short[] s = new short[BLOCK];
        int[] w = new int[BLOCK];
        for (int i = from; i < to; i += BLOCK) {
            int len = Math.min(BLOCK, to - i);
            in.get(i, s, 0, len);
            for (int k = 0; k < len; k++) {
                w[k] = s[k] << 16; // the sign-extended high bits are shifted out
            }
            out.put(i, w, 0, len);
        }
    }

    private static void lookup16(ShortBuffer in, ShortBuffer out, short[] table, int from, int to) {
        short[] s = new short[BLOCK];
        short[] h = new short[BLOCK];
        for (int i = from; i < to; i += BLOCK) {
            int len = Math.min(BLOCK, to - i);
            in.get(i, s, 0, len);
            for (int k = 0; k < len; k++) {
                h[k] = table[s[k] & 0xFFFF];
            }
            out.put(i, h, 0, len);
        }
    }

    private static void f16ToF32(ShortBuffer in, IntBuffer out, int from, int to) {
        short[] s = new short[BLOCK];
        int[] w = new int[BLOCK];
        for (int i = from; i < to; i += BLOCK) {
            int len = Math.min(BLOCK, to - i);
            in.get(i, s, 0, len);
            for (int k = 0; k < len; k++) {
                w[k] = F16_TO_F32[s[k] & 0xFFFF];
            }
            out.put(i, w, 0, len);
        }
    }

    private static void f32ToF16(IntBuffer in, ShortBuffer out, int from, int to) {
        int[] w = new int[BLOCK];
        short[] h = new short[BLOCK];
        for (int i = from; i < to; i += BLOCK) {
            int len = Math.min(BLOCK, to - i);
            in.get(i, w, 0, len);
            for (int k = 0; k < len; k++) {
                h[k] = HalfFloat.fromFloatBits(w[k]);
            }
            out.put(i, h, 0, len);
        }
    }
}
