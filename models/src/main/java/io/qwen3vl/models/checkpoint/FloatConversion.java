package io.qwen3vl.models.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * Converts stored floating-point tensors to the compute dtype in Java, so that DJL never sees a
 * BF16 array (its JNI has no BF16 and aborts the JVM). BF16 to FP32 is exact (the bf16 bits are the
 * high half of the fp32 bits); to FP16 it rounds to nearest-even, like torch's cast.
 */
final class FloatConversion {
    private FloatConversion() {
    }

    static void convert(TensorInfo info, ByteBuffer src, ByteBuffer dst, boolean toFloat32) {
        ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = dst.duplicate().order(ByteOrder.nativeOrder());
        long n = info.elementCount();
        switch (info.dtype()) {
            case BF16 -> {
                ShortBuffer s = in.asShortBuffer();
                if (toFloat32) {
                    var f = out.asFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        f.put(i, Float.intBitsToFloat((s.get(i) & 0xFFFF) << 16));
                    }
                } else {
                    ShortBuffer h = out.asShortBuffer();
                    for (int i = 0; i < n; i++) {
                        h.put(i, HalfFloat.fromFloat(Float.intBitsToFloat((s.get(i) & 0xFFFF) << 16)));
                    }
                }
            }
            case F16 -> {
                ShortBuffer s = in.asShortBuffer();
                var f = out.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    f.put(i, HalfFloat.toFloat(s.get(i)));
                }
            }
            case F32 -> {
                var f = in.asFloatBuffer();
                ShortBuffer h = out.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    h.put(i, HalfFloat.fromFloat(f.get(i)));
                }
            }
            default -> throw new CheckpointException(info.file() + ": tensor '" + info.name() + "' has dtype "
                    + info.dtype() + ", which is not a floating-point weight type");
        }
    }
}
