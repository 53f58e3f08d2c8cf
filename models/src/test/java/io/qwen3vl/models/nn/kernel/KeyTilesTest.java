package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tiled key layout: what goes in by rows comes back by rows, and sits where the kernel reads it. */
class KeyTilesTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    private static final int HEADS = 3;
    private static final int D = 5;

    @Test
    void appendsOfAnyLengthAndOffsetComeBackAsWritten() {
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            int capacity = 100; // four tiles, the last partly used
            NDArray tiles = scope.zeros(KeyTiles.shape(HEADS, capacity, D), DataType.FLOAT16);
            assertEquals(new Shape(HEADS, 4, D, KeyTiles.POSITIONS), tiles.getShape());
            NDArray rows = scope.arange(HEADS * capacity * D).reshape(HEADS, capacity, D).toType(DataType.FLOAT16, false);
            // within a tile, up to a tile's end, across two tile boundaries, one position, to the last
            int[] cuts = {0, 5, 32, 33, 97, 98, 100};
            for (int c = 0; c + 1 < cuts.length; c++) {
                NDArray part = rows.get(new NDIndex(":, {}:{}, :", cuts[c], cuts[c + 1]));
                KeyTiles.store(tiles, part, cuts[c]);
                NDArray back = KeyTiles.natural(tiles, cuts[c + 1]);
                assertEquals(new Shape(HEADS, cuts[c + 1], D), back.getShape());
                assertArrayEquals(rows.get(new NDIndex(":, :{}, :", cuts[c + 1])).toType(DataType.FLOAT32, false)
                        .toFloatArray(), back.toType(DataType.FLOAT32, false).toFloatArray(), "after " + cuts[c + 1]);
            }
        }
    }

    @Test
    void offsetsNameTheElementsStoreWrites() {
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            int capacity = 70;
            NDArray tiles = scope.zeros(KeyTiles.shape(HEADS, capacity, D), DataType.FLOAT16);
            NDArray rows = scope.arange(HEADS * capacity * D).reshape(HEADS, capacity, D).toType(DataType.FLOAT16, false);
            KeyTiles.store(tiles, rows, 0);
            ByteBuffer b = tiles.toByteBuffer().order(ByteOrder.nativeOrder());
            int count = KeyTiles.tiles(capacity);
            for (int h = 0; h < HEADS; h++) {
                for (int p = 0; p < capacity; p++) {
                    for (int i = 0; i < D; i++) {
                        float expected = (h * capacity + p) * D + i;
                        long at = KeyTiles.offset(h, p, i, count, D);
                        assertEquals(expected, io.qwen3vl.models.checkpoint.HalfFloat.toFloat(b.getShort((int) (2 * at))),
                                "head " + h + " position " + p + " element " + i);
                    }
                }
            }
            // Positions 16 apart share an int: the low half holds the first, the high half the second.
            assertEquals(KeyTiles.offset(0, 0, 0, count, D) + 1, KeyTiles.offset(0, 16, 0, count, D));
            assertEquals(KeyTiles.offset(0, 1, 0, count, D), KeyTiles.offset(0, 0, 0, count, D) + 2);
        }
    }

    @Test
    void onlyAnFp16CacheOnTheCpuWithTheKernelIsTiled() {
        assertEquals(MatVec.vectorApiPresent() && MatVec.rowDots().keyTiles(),
                KeyTiles.wanted(DataType.FLOAT16, Device.cpu()));
        assertFalse(KeyTiles.wanted(DataType.FLOAT32, Device.cpu()));
        assertFalse(KeyTiles.wanted(DataType.FLOAT16, Device.gpu()));
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            assertTrue(KeyTiles.isTiled(scope.zeros(KeyTiles.shape(2, 40, 8), DataType.FLOAT16)));
            assertFalse(KeyTiles.isTiled(scope.zeros(new Shape(2, 40, 8), DataType.FLOAT16)));
        }
    }
}
