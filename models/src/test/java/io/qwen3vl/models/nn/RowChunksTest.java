package io.qwen3vl.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowChunksTest {

    @Test
    void blockwiseResultEqualsTheWholeArrayResultAndFreesEachBlock() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = m.randomNormal(0f, 1f, new Shape(23, 7), DataType.FLOAT32);
            NDArray w = m.randomNormal(0f, 1f, new Shape(7, 5), DataType.FLOAT32);
            NDArray whole = Activations.geluTanh(x.matMul(w)).add(1f);
            List<NDArray> intermediates = new ArrayList<>();
            NDArray chunked = RowChunks.apply(x, 5, part -> {
                NDArray h = part.matMul(w);
                intermediates.add(h);
                return Activations.geluTanh(h).add(1f);
            });
            assertEquals(new Shape(23, 5), chunked.getShape());
            assertArrayEquals(whole.toFloatArray(), chunked.toFloatArray());
            assertEquals(5, intermediates.size()); // 5 + 5 + 5 + 5 + 3 rows
            for (NDArray h : intermediates) {
                assertTrue(h.isReleased(), "a block's intermediates are freed with the block");
            }
            assertFalse(chunked.isReleased());
            assertEquals(x.getManager(), chunked.getManager());
        }
    }

    @Test
    void rowsPerBlockKeepsOneBlockWithinTheBudget() {
        assertEquals(RowChunks.BLOCK_BYTES / (4096 * 4), RowChunks.rowsPerBlock(4096, 4));
        assertEquals(1, RowChunks.rowsPerBlock(RowChunks.BLOCK_BYTES, 2));
    }
}
