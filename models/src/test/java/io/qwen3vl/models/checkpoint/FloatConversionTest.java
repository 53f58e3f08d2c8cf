package io.qwen3vl.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The block-wise, multi-threaded kernels agree with the scalar definitions, edges included. */
class FloatConversionTest {
    /** Above the parallel threshold and not a multiple of the block size, so both threads and a tail run. */
    private static final int N = (3 << 20) + 12345;

    private static ByteBuffer allBf16Patterns(int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort(2 * i, (short) (i * 40503)); // cycles through every 16-bit pattern
        }
        return b;
    }

    private static ByteBuffer out(long bytes) {
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }

    @Test
    void bf16ToFloat32IsTheHighHalfOfTheBitsInParallelRuns() {
        ByteBuffer src = allBf16Patterns(N);
        ByteBuffer dst = out(4L * N);
        FloatConversion.convert(DType.BF16, src, DType.F32, dst);
        for (int i = 0; i < N; i++) {
            int expected = (src.getShort(2 * i) & 0xFFFF) << 16;
            if (dst.getInt(4 * i) != expected) {
                assertEquals(expected, dst.getInt(4 * i), "element " + i);
            }
        }
    }

    @Test
    void bf16ToFloat16UsesTheScalarRoundingInParallelRuns() {
        ByteBuffer src = allBf16Patterns(N);
        ByteBuffer dst = out(2L * N);
        FloatConversion.convert(DType.BF16, src, DType.F16, dst);
        for (int i = 0; i < N; i++) {
            short expected = HalfFloat.fromFloatBits((src.getShort(2 * i) & 0xFFFF) << 16);
            if (dst.getShort(2 * i) != expected) {
                assertEquals(expected, dst.getShort(2 * i), "element " + i);
            }
        }
    }

    @Test
    void float32ToFloat16AndBackAgreeWithTheScalarConversions() {
        ByteBuffer src = out(4L * N).order(ByteOrder.LITTLE_ENDIAN);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < N; i++) {
            src.putInt(4 * i, random.nextInt());
        }
        ByteBuffer half = out(2L * N);
        FloatConversion.convert(DType.F32, src, DType.F16, half);
        ByteBuffer back = out(4L * N);
        FloatConversion.convert(DType.F16, half.duplicate().order(ByteOrder.LITTLE_ENDIAN), DType.F32, back);
        for (int i = 0; i < N; i++) {
            short h = HalfFloat.fromFloatBits(src.getInt(4 * i));
            if (half.getShort(2 * i) != h) {
                assertEquals(h, half.getShort(2 * i), "fp16 element " + i);
            }
            int f = Float.floatToRawIntBits(HalfFloat.toFloat(h));
            if (back.getInt(4 * i) != f) {
                assertEquals(f, back.getInt(4 * i), "fp32 element " + i);
            }
        }
    }

    @Test
    void conversionStartsAtTheBufferPositions() {
        ByteBuffer src = allBf16Patterns(10).position(4); // elements 2..9
        ByteBuffer dst = out(4 * 10).position(8);
        FloatConversion.convert(DType.BF16, src, DType.F32, dst);
        assertEquals(0, dst.getInt(0));
        assertEquals((src.getShort(4) & 0xFFFF) << 16, dst.getInt(8));
        assertEquals((src.getShort(18) & 0xFFFF) << 16, dst.getInt(36));
    }
}
