package io.qwen3vl.models.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Matrix products of fp16 arrays on the CPU, where libtorch runs a slow generic kernel (about a
 * quarter of its fp32 speed): the same product on exactly widened operands, rounded to fp16 once,
 * which is what that kernel's fp32 accumulation gives too, up to summation order.
 */
public final class HalfProducts {
    private HalfProducts() {
    }

    /** Whether products of {@code a} are computed widened: fp16 on the CPU. */
    public static boolean widens(NDArray a) {
        return a.getDataType() == DataType.FLOAT16 && a.getDevice().getDeviceType().equals(Device.Type.CPU);
    }

    /**
     * {@code a·b} (DJL's matMul). When {@code a} is fp16 on the CPU, {@code b} may be fp16 or already
     * widened to fp32 (e.g. a cache widened once for many products); the result is fp16.
     */
    public static NDArray matMul(NDArray a, NDArray b) {
        if (!widens(a)) {
            return a.matMul(b);
        }
        NDArray wideB = b.getDataType() == DataType.FLOAT32 ? b : b.toType(DataType.FLOAT32, false);
        return a.toType(DataType.FLOAT32, false).matMul(wideB).toType(DataType.FLOAT16, false);
    }
}
