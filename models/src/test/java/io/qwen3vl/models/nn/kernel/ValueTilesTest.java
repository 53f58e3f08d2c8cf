package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tiled value layout's own shape and blocks (what both tiled layouts share: {@link CacheTilesTest}). */
class ValueTilesTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    private static final int HEADS = 3;
    private static final int D = 64; // two column blocks

    /** A column block of one position is a run of 32 elements, the next position's follows it, the next block 2 KiB on. */
    @Test
    void blocksAreRunsOfAPositionsElements() {
        int count = KeyTiles.tiles(70);
        assertEquals(ValueTiles.offset(0, 0, 0, count, D) + 31, ValueTiles.offset(0, 0, 31, count, D));
        assertEquals(ValueTiles.offset(0, 0, 0, count, D) + ValueTiles.COLUMNS, ValueTiles.offset(0, 1, 0, count, D));
        assertEquals(ValueTiles.BLOCK_BYTES / 2, ValueTiles.offset(0, 0, 32, count, D));
    }

    @Test
    void shapeIsBlocksOfPositionsOfColumns() {
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NDArray tiles = scope.zeros(ValueTiles.shape(HEADS, 100, D), DataType.FLOAT16);
            assertEquals(new Shape(HEADS, 4, D / ValueTiles.COLUMNS, KeyTiles.POSITIONS, ValueTiles.COLUMNS),
                    tiles.getShape());
            assertEquals(128, ValueTiles.capacity(tiles));
            assertEquals(D, ValueTiles.headDim(tiles));
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
