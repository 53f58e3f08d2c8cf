package io.qwen3vl.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * Arrays written from Java hold what was written, on the manager's device (the default device:
 * a GPU where DJL sees one, so this also checks the staged copy there), and belong to the manager.
 */
class HostStagingTest {
    @Test
    void filledArrayHoldsTheWrittenValuesAndBelongsToTheManager() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray a = HostStaging.filled(manager, new Shape(2, 3), DataType.FLOAT32, b -> {
                for (int i = 0; i < 6; i++) {
                    b.putFloat(4 * i, i * 1.5f - 2);
                }
            });
            assertEquals(manager.getDevice(), a.getDevice());
            assertSame(manager, a.getManager());
            assertEquals(new Shape(2, 3), a.getShape());
            assertArrayEquals(new float[] {-2f, -0.5f, 1f, 2.5f, 4f, 5.5f}, a.toFloatArray());
        }
    }

    @Test
    void halfValuesAreWrittenAsTheirBits() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray a = HostStaging.filled(manager, new Shape(3), DataType.FLOAT16, b -> {
                b.putShort(0, HalfFloat.fromFloat(1f));
                b.putShort(2, HalfFloat.fromFloat(-0.25f));
                b.putShort(4, HalfFloat.fromFloat(65504f));
            });
            assertArrayEquals(new float[] {1f, -0.25f, 65504f}, a.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }
}
