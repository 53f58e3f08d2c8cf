package io.qwen3vl.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

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

    /**
     * Throughput on 100 M elements (run with {@code -Dqwen3vl.bench=true}); the bar is 40-80 ms per
     * 100 M elements on two threads. Needs ~1 GB of direct memory, so it is off by default.
     */
    @Test
    @EnabledIfSystemProperty(named = "qwen3vl.bench", matches = "true")
    void conversionSpeedPer100MElements() {
        int n = 100_000_000;
        ByteBuffer bf16 = ByteBuffer.allocateDirect(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bf16.putShort(2 * i, (short) (i * 40503));
        }
        ByteBuffer f32 = out(4L * n);
        ByteBuffer f16 = out(2L * n);
        StringBuilder report = new StringBuilder("ms per 100M elements (best of 5):");
        report.append(" bf16->f32 ").append(best(() -> FloatConversion.convert(DType.BF16, bf16, DType.F32, f32)));
        report.append(", bf16->f16 ").append(best(() -> FloatConversion.convert(DType.BF16, bf16, DType.F16, f16)));
        ByteBuffer f32le = f32.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        report.append(", f32->f16 ").append(best(() -> FloatConversion.convert(DType.F32, f32le, DType.F16, f16)));
        ByteBuffer f16le = f16.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        report.append(", f16->f32 ").append(best(() -> FloatConversion.convert(DType.F16, f16le, DType.F32, f32)));
        System.out.println(report + " on " + Runtime.getRuntime().availableProcessors() + " cores");
        assertTrue(report.length() > 0);
    }

    private static long best(Runnable r) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
        }
        return best;
    }
}
