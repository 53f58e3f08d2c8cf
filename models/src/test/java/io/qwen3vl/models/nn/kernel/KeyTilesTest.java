package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tiled key layout's own shape and slots (what both tiled layouts share: {@link CacheTilesTest}). */
class KeyTilesTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    private static final int HEADS = 3;
    private static final int D = 5;

    /** Positions 16 apart share an int: the low half holds the first, the high half the second. */
    @Test
    void positionsSixteenApartShareAnInt() {
        int count = KeyTiles.tiles(70);
        assertEquals(KeyTiles.offset(0, 0, 0, count, D) + 1, KeyTiles.offset(0, 16, 0, count, D));
        assertEquals(KeyTiles.offset(0, 1, 0, count, D), KeyTiles.offset(0, 0, 0, count, D) + 2);
        assertEquals(KeyTiles.offset(0, 0, 1, count, D), KeyTiles.offset(0, 0, 0, count, D) + KeyTiles.POSITIONS);
    }

    @Test
    void shapeIsTilesOfDRows() {
        assertEquals(new Shape(HEADS, 4, D, KeyTiles.POSITIONS), KeyTiles.shape(HEADS, 100, D));
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
