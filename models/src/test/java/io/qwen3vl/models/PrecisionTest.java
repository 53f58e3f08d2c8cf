package io.qwen3vl.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.nn.WeightFormat;
import org.junit.jupiter.api.Test;

/** The presets' KV-cache dtypes, and which other caches a precision can take. */
class PrecisionTest {
    @Test
    void presetsCacheInTheirComputeDtypeExceptInt8() {
        assertEquals(DataType.FLOAT32, Precision.FP32.kvCacheType());
        assertEquals(DataType.FLOAT16, Precision.FP16.kvCacheType());
        assertEquals(DataType.FLOAT16, Precision.INT8.kvCacheType());
        assertEquals(DataType.FLOAT32, Precision.INT8.dtype());
    }

    @Test
    void aCacheDtypeIsChosenWithoutChangingTheRest() {
        Precision exact = Precision.INT8.withKvCache(DataType.FLOAT32);
        assertEquals(DataType.FLOAT32, exact.kvCacheType());
        assertEquals(WeightFormat.INT8, exact.textWeights());
        assertEquals("int8", exact.label());
        assertEquals("int8", exact.toString());
        assertEquals("int8, fp16 KV cache", Precision.INT8.toString());
        assertNotEquals(Precision.INT8, exact);
        assertEquals(Precision.INT8, exact.withKvCache(DataType.FLOAT16));
        assertSame(Precision.FP32, Precision.FP32.withKvCache(DataType.FLOAT32));
        Precision halfCache = Precision.FP32.withKvCache(DataType.FLOAT16);
        assertEquals("fp32, fp16 KV cache", halfCache.toString());
        assertEquals(halfCache.hashCode(), Precision.FP32.withKvCache(DataType.FLOAT16).hashCode());
    }

    @Test
    void anFp16ModelCannotCacheInFp32() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Precision.FP16.withKvCache(DataType.FLOAT32));
        assertTrue(e.getMessage().contains("fp16 only"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Precision.FP32.withKvCache(DataType.INT8));
    }
}
