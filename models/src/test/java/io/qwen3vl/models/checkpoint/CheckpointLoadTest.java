package io.qwen3vl.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.TestData;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class CheckpointLoadTest {
    @Test
    void bf16TensorWidensExactlyToFloat32() {
        try (Checkpoint ckpt = Checkpoint.open(TestData.tinyModel());
             NDManager manager = NDManager.newBaseManager("PyTorch")) {
            String name = "model.language_model.norm.weight";
            NDArray w = ckpt.load(name, manager, DataType.FLOAT32);
            assertArrayEquals(new long[] {64}, w.getShape().getShape());
            var raw = ckpt.bytes(name).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            float[] values = w.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.intBitsToFloat((raw.get(i) & 0xFFFF) << 16), values[i], 0.0f, "element " + i);
            }
        }
    }
}
