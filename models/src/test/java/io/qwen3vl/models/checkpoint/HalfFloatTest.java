package io.qwen3vl.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.junit.jupiter.api.Test;

/** Our fp16 rounding is torch's: checked bit for bit against DJL's own casts over every pattern. */
class HalfFloatTest {
    private static float bf16(int bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    @Test
    void fromFloatMatchesTorchCastForEveryBf16Pattern() {
        float[] values = new float[1 << 16];
        for (int i = 0; i < values.length; i++) {
            values[i] = bf16(i);
        }
        short[] torch;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray half = manager.create(values).toType(DataType.FLOAT16, false);
            torch = shorts(half.toByteBuffer());
        }
        int mismatches = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            short ours = HalfFloat.fromFloat(values[i]);
            if (ours != torch[i]) {
                if (mismatches++ < 5) {
                    first.append(String.format(" bf16 0x%04x (%s): ours 0x%04x, torch 0x%04x;",
                            i, values[i], ours & 0xFFFF, torch[i] & 0xFFFF));
                }
            }
        }
        if (mismatches > 0) {
            fail(mismatches + " of 65536 bf16 patterns round differently from torch:" + first);
        }
    }

    @Test
    void fromFloatMatchesTorchCastForRandomFp32Patterns() {
        // fp32 sources have 13 more mantissa bits than bf16: sample them, ties and subnormals included.
        java.util.Random random = new java.util.Random(42);
        float[] values = new float[1 << 20];
        for (int i = 0; i < values.length; i++) {
            int bits = random.nextInt();
            values[i] = Float.intBitsToFloat(i % 4 == 0 ? bits & 0xFFFFF000 | 0x1000 : bits); // every 4th a tie
        }
        short[] torch;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            torch = shorts(manager.create(values).toType(DataType.FLOAT16, false).toByteBuffer());
        }
        for (int i = 0; i < values.length; i++) {
            short ours = HalfFloat.fromFloat(values[i]);
            if (ours != torch[i]) {
                fail(String.format("fp32 0x%08x (%s): ours 0x%04x, torch 0x%04x", Float.floatToRawIntBits(values[i]),
                        values[i], ours & 0xFFFF, torch[i] & 0xFFFF));
            }
        }
    }

    @Test
    void toFloatMatchesTorchCastForEveryFp16Pattern() {
        ByteBuffer bits = ByteBuffer.allocateDirect(2 << 16).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 1 << 16; i++) {
            bits.putShort(2 * i, (short) i);
        }
        float[] torch;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray half = manager.create(bits, new ai.djl.ndarray.types.Shape(1 << 16), DataType.FLOAT16);
            torch = half.toType(DataType.FLOAT32, false).toFloatArray();
        }
        for (int i = 0; i < 1 << 16; i++) {
            int ours = Float.floatToRawIntBits(HalfFloat.toFloat((short) i));
            int theirs = Float.floatToRawIntBits(torch[i]);
            if (ours != theirs) {
                fail(String.format("fp16 0x%04x: ours 0x%08x (%s), torch 0x%08x (%s)",
                        i, ours, Float.intBitsToFloat(ours), theirs, torch[i]));
            }
        }
    }

    @Test
    void tiesRoundToEven() {
        // 1 + 2^-11 lies exactly between fp16 1.0 (0x3C00) and the next value 0x3C01: even wins.
        assertEquals((short) 0x3C00, HalfFloat.fromFloat(1f + 0x1p-11f));
        // 1 + 3·2^-11 lies between 0x3C01 and 0x3C02: even (0x3C02) wins.
        assertEquals((short) 0x3C02, HalfFloat.fromFloat(1f + 3 * 0x1p-11f));
        // 65520 is the first value that rounds up to infinity.
        assertEquals((short) 0x7BFF, HalfFloat.fromFloat(65519f));
        assertEquals((short) 0x7C00, HalfFloat.fromFloat(65520f));
        // the smallest subnormal half is 2^-24; half of it rounds to (even) zero.
        assertEquals((short) 0x0001, HalfFloat.fromFloat(0x1p-24f));
        assertEquals((short) 0x0000, HalfFloat.fromFloat(0x1p-25f));
        assertEquals((short) 0x8000, HalfFloat.fromFloat(-0f));
    }

    private static short[] shorts(ByteBuffer b) {
        ShortBuffer s = b.order(ByteOrder.nativeOrder()).asShortBuffer();
        short[] out = new short[s.remaining()];
        s.get(out);
        return out;
    }
}
