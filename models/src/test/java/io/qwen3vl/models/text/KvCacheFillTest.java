package io.qwen3vl.models.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.nn.kernel.KeyTiles;
import io.qwen3vl.models.nn.kernel.ValueTiles;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KvCacheFillTest {

    /** Benchmarks fill long contexts with noise: it must be distinct per layer and between keys and values. */
    @Test
    void randomFillGivesEveryLayerItsOwnKeysAndValues() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            KvCache cache = new KvCache(3, 2, 8, 10, DataType.FLOAT32, m);
            cache.fillRandom(6);
            assertEquals(6, cache.length());
            float[][] keys = new float[3][];
            for (int i = 0; i < 3; i++) {
                NDArray k = cache.keys(i).get(":, :6, :");
                keys[i] = k.toFloatArray();
                assertFalse(Arrays.equals(keys[i], cache.values(i).get(":, :6, :").toFloatArray()), "keys vs values");
                assertEquals(0f, cache.keys(i).get(":, 6:, :").abs().sum().getFloat(), "beyond the filled length");
                assertTrue(k.abs().sum().getFloat() > 0);
            }
            assertFalse(Arrays.equals(keys[0], keys[1]));
            assertFalse(Arrays.equals(keys[1], keys[2]));
        }
    }

    /**
     * An fp16 cache on the CPU keeps its keys tiled, and its values too where the head size is whole
     * column blocks: filled and read back in rows, they are keys and values' negation.
     */
    @ParameterizedTest
    @ValueSource(ints = {8, 64})
    void randomFillOfTiledKeysReadsBackInRows(int headDim) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            KvCache cache = new KvCache(2, 2, headDim, 50, DataType.FLOAT16, m);
            assertEquals(KeyTiles.wanted(DataType.FLOAT16, m.getDevice()), KeyTiles.isTiled(cache.keys(0)));
            assertEquals(ValueTiles.wanted(DataType.FLOAT16, m.getDevice(), headDim), ValueTiles.isTiled(cache.values(0)));
            cache.fillRandom(37);
            for (int i = 0; i < 2; i++) {
                NDArray[] rows = cache.filled(i, 37, m);
                float[] k = rows[0].toType(DataType.FLOAT32, false).toFloatArray();
                float[] v = rows[1].toType(DataType.FLOAT32, false).toFloatArray();
                assertEquals(2 * 37 * headDim, k.length);
                assertTrue(rows[0].abs().sum().getFloat() > 0);
                for (int j = 0; j < k.length; j++) {
                    assertEquals(-k[j], v[j], "values are the keys' negation, element " + j);
                }
            }
        }
    }
}
