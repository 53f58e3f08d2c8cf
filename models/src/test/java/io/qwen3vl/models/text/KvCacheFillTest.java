package io.qwen3vl.models.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

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
}
