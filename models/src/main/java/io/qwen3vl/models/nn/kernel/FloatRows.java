package io.qwen3vl.models.nn.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.checkpoint.HalfFloat;
import io.qwen3vl.models.checkpoint.HostStaging;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The kernels' boundary with NDArrays: a CPU row of fp32 or fp16 values read into floats, and back. */
public final class FloatRows {
    private FloatRows() {
    }

    /** The first {@code n} values of {@code x} (fp32 or fp16, widened exactly) into {@code dst}. */
    public static void read(NDArray x, int n, float[] dst) {
        ByteBuffer b = x.toByteBuffer(true).order(ByteOrder.nativeOrder());
        if (x.getDataType() == DataType.FLOAT16) {
            for (int i = 0; i < n; i++) {
                dst[i] = HalfFloat.toFloat(b.getShort(2 * i));
            }
        } else {
            b.asFloatBuffer().get(dst, 0, n);
        }
    }

    /** A new {@code [1, values.length]} array of {@code dtype} (fp16: each value rounded once, ties to even). */
    public static NDArray create(NDManager manager, float[] values, DataType dtype) {
        return create(manager, values, values.length, dtype);
    }

    /** A new {@code [1, n]} array of {@code dtype} from the first {@code n} of {@code values}. */
    public static NDArray create(NDManager manager, float[] values, int n, DataType dtype) {
        return HostStaging.filled(manager, new Shape(1, n), dtype, b -> {
            for (int i = 0; i < n; i++) {
                if (dtype == DataType.FLOAT16) {
                    b.putShort(2 * i, HalfFloat.fromFloat(values[i]));
                } else {
                    b.putFloat(4 * i, values[i]);
                }
            }
        });
    }
}
