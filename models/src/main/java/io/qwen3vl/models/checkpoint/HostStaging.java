package io.qwen3vl.models.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * New arrays whose bytes are written from Java. On the CPU the writer fills the array's own native
 * memory through a direct view, with no copy. On a GPU, {@code toByteBuffer} is a host copy of the
 * array, so bytes written into it would never reach the device: they are written into a host
 * array instead and copied over once.
 */
public final class HostStaging {
    private HostStaging() {
    }

    /**
     * A new {@code shape} array of {@code dtype} on {@code manager}'s device, attached to it, holding
     * what {@code fill} writes into a native-order buffer of exactly its bytes.
     */
    public static NDArray filled(NDManager manager, Shape shape, DataType dtype, Consumer<ByteBuffer> fill) {
        Device device = manager.getDevice();
        if (Device.Type.CPU.equals(device.getDeviceType())) {
            NDArray out = manager.create(shape, dtype);
            fill.accept(out.toByteBuffer(true).order(ByteOrder.nativeOrder()));
            return out;
        }
        try (NDManager host = NDManager.newBaseManager(Device.cpu(), manager.getEngine().getEngineName())) {
            NDArray staged = host.create(shape, dtype);
            fill.accept(staged.toByteBuffer(true).order(ByteOrder.nativeOrder()));
            NDArray out = staged.toDevice(device, true);
            out.attach(manager);
            return out;
        }
    }
}
