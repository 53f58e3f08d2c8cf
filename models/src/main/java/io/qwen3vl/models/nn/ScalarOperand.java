package io.qwen3vl.models.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A constant number used as an operand of array operations on the owner's device.
 *
 * <p>Why: DJL turns a {@code Number} operand into a new array on the other operand's device at
 * every call. On a GPU that is a host-to-device copy, which waits for the queued kernels: in the
 * 2B model's decode on an H100, the two of them in each RMSNorm were one profile sample in seven. A
 * 0-d array kept in host memory is instead read by libtorch as a scalar kernel argument (no copy,
 * no wait; the goldens on an H100 are unchanged by it). On the CPU the number is passed as before.
 */
public final class ScalarOperand {
    private final float value;
    private final NDArray onHost; // null when the owner computes on the CPU

    /** {@code value} for operations on {@code owner}'s device; a host copy, if any, belongs to {@code owner}. */
    public ScalarOperand(NDManager owner, float value) {
        this.value = value;
        this.onHost = Device.Type.CPU.equals(owner.getDevice().getDeviceType())
                ? null : owner.full(new Shape(), value, DataType.FLOAT32, Device.cpu());
    }

    /** {@code x + value}. */
    public NDArray addTo(NDArray x) {
        return onHost == null ? x.add(value) : x.add(onHost);
    }

    /** {@code x · value}. */
    public NDArray multiply(NDArray x) {
        return onHost == null ? x.mul(value) : x.mul(onHost);
    }

    /** {@code x ^ value}. */
    public NDArray raise(NDArray x) {
        return onHost == null ? x.pow(value) : x.pow(onHost);
    }
}
