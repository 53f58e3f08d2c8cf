package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import io.qwen3vl.models.checkpoint.HalfFloat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tiled value layout: what goes in by rows comes back by rows, and sits where the kernel reads it. */
class ValueTilesTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    private static final int HEADS = 3;
    private static final int D = 64; // two column blocks

    @Test
    void appendsOfAnyLengthAndOffsetComeBackAsWritten() {
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            int capacity = 100; // four tiles, the last partly used
            NDArray tiles = scope.zeros(ValueTiles.shape(HEADS, capacity, D), DataType.FLOAT16);
            assertEquals(new Shape(HEADS, 4, D / ValueTiles.COLUMNS, KeyTiles.POSITIONS, ValueTiles.COLUMNS),
                    tiles.getShape());
            assertEquals(128, ValueTiles.capacity(tiles));
            assertEquals(D, ValueTiles.headDim(tiles));
            // distinct values that fp16 holds exactly
            NDArray rows = scope.arange(HEADS * capacity * D).reshape(HEADS, capacity, D).mod(2048)
                    .toType(DataType.FLOAT16, false);
            int[] cuts = {0, 5, 32, 33, 97, 98, 100}; // within a tile, to its end, across two boundaries, one, the last
            for (int c = 0; c + 1 < cuts.length; c++) {
                NDArray part = rows.get(new NDIndex(":, {}:{}, :", cuts[c], cuts[c + 1]));
                ValueTiles.store(tiles, part, cuts[c]);
                NDArray back = ValueTiles.natural(tiles, cuts[c + 1]);
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
            NDArray tiles = scope.zeros(ValueTiles.shape(HEADS, capacity, D), DataType.FLOAT16);
            NDArray rows = scope.arange(HEADS * capacity * D).reshape(HEADS, capacity, D).mod(2048)
                    .toType(DataType.FLOAT16, false);
            ValueTiles.store(tiles, rows, 0);
            ByteBuffer b = tiles.toByteBuffer().order(ByteOrder.nativeOrder());
            int count = KeyTiles.tiles(capacity);
            for (int h = 0; h < HEADS; h++) {
                for (int p = 0; p < capacity; p++) {
                    for (int i = 0; i < D; i++) {
                        float expected = ((h * capacity + p) * D + i) % 2048;
                        long at = ValueTiles.offset(h, p, i, count, D);
                        assertEquals(expected, HalfFloat.toFloat(b.getShort((int) (2 * at))),
                                "head " + h + " position " + p + " element " + i);
                    }
                }
            }
            // A column block of one position is a run of 32 elements; the next position's follows it.
            assertEquals(ValueTiles.offset(0, 0, 0, count, D) + 31, ValueTiles.offset(0, 0, 31, count, D));
            assertEquals(ValueTiles.offset(0, 0, 0, count, D) + ValueTiles.COLUMNS, ValueTiles.offset(0, 1, 0, count, D));
            assertEquals(ValueTiles.BLOCK_BYTES / 2, ValueTiles.offset(0, 0, 32, count, D));
        }
    }

    @Test
    void onlyAnFp16CacheOnTheCpuWithTheKernelAndWholeBlocksIsTiled() {
        assertEquals(MatVec.vectorApiPresent() && MatVec.rowDots().valueTiles(128),
                ValueTiles.wanted(DataType.FLOAT16, Device.cpu(), 128));
        assertFalse(ValueTiles.wanted(DataType.FLOAT32, Device.cpu(), 128));
        assertFalse(ValueTiles.wanted(DataType.FLOAT16, Device.gpu(), 128));
        assertFalse(ValueTiles.wanted(DataType.FLOAT16, Device.cpu(), 40), "a head size not in whole blocks");
        assertThrows(IllegalArgumentException.class, () -> ValueTiles.shape(2, 40, 40));
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            assertTrue(ValueTiles.isTiled(scope.zeros(ValueTiles.shape(2, 40, 64), DataType.FLOAT16)));
            assertFalse(ValueTiles.isTiled(scope.zeros(new Shape(2, 40, 64), DataType.FLOAT16)));
            assertFalse(ValueTiles.isTiled(scope.zeros(KeyTiles.shape(2, 40, 64), DataType.FLOAT16)));
        }
    }
}
