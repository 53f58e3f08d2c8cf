package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One-token attention over a cache equals the backend's batched-matmul path it replaces. */
class DecodeAttentionTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    @ParameterizedTest
    @CsvSource({"FLOAT32, 4, 2, 128, 1, false", "FLOAT32, 4, 2, 128, 77, false", "FLOAT32, 6, 3, 40, 33, false",
        "FLOAT32, 2, 2, 17, 5, false",
        "FLOAT16, 4, 2, 128, 77, false", "FLOAT16, 6, 3, 40, 33, false", "FLOAT16, 2, 2, 17, 1, false",
        "FLOAT16, 6, 2, 64, 300, false",
        "FLOAT16, 4, 2, 128, 77, true", "FLOAT16, 6, 3, 40, 33, true", "FLOAT16, 2, 2, 17, 1, true",
        "FLOAT16, 6, 2, 64, 300, true", "FLOAT16, 8, 2, 128, 600, true", "FLOAT16, 6, 2, 128, 600, true"})
    void matchesTheBackendPath(String type, int heads, int kvHeads, int d, int length, boolean tiled) {
        DataType dtype = DataType.valueOf(type);
        int capacity = length + 9; // positions past the length hold garbage the kernel must not read
        float scale = (float) (1 / Math.sqrt(d));
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NATIVE.manager().getEngine().setRandomSeed(length * 31 + d);
            NDArray q = scope.randomNormal(new Shape(heads, 1, d)).mul(2).toType(dtype, false);
            NDArray keys = scope.randomNormal(new Shape(kvHeads, capacity, d)).toType(dtype, false);
            NDArray values = scope.randomNormal(new Shape(kvHeads, capacity, d)).toType(dtype, false);
            keys.set(new NDIndex(":, {}:, :", length), 1e4f);
            values.set(new NDIndex(":, {}:, :", length), Float.NaN);
            NDArray cached = tiled ? tiles(keys) : keys;
            assertTrue(DecodeAttention.accepts(q, cached, values));

            float[] got = DecodeAttention.attend(q, cached, values, length, scale).toType(DataType.FLOAT32, false)
                    .toFloatArray();
            float[] expected = backend(q, keys, values, length, scale, heads, kvHeads, d)
                    .toType(DataType.FLOAT32, false).toFloatArray();
            assertEquals(expected.length, got.length);
            for (int i = 0; i < got.length; i++) {
                // fp32: summation order. fp16: the same roundings, so a step or two of fp16 where a sum
                // lands next to a rounding boundary (probabilities then differ by one fp16 step too).
                double tol = dtype == DataType.FLOAT32 ? 1e-5 * Math.max(1, Math.abs(expected[i]))
                        : 4e-3 * Math.max(1, Math.abs(expected[i]));
                if (!(Math.abs(got[i] - expected[i]) <= tol)) {
                    fail(String.format("%s element %d: kernel %.8g, backend %.8g", type, i, got[i], expected[i]));
                }
            }
        }
    }

    /**
     * An fp32 model over an fp16 cache (8-bit weights keep one): the kernel widens the rows exactly
     * and stays in fp32, as the backend path does after widening the cache, so fp32's tolerance
     * holds. Queries of 2^17 and more exceed what the fp16 row kernels take (see VectorRowDots)
     * and are scaled down by a power of two first; the score scale is made small for those so that
     * the scores, and with them the summation error, stay ordinary.
     */
    @ParameterizedTest
    @CsvSource({"4, 2, 128, 77, 1, false", "6, 3, 40, 33, 1, false", "2, 2, 17, 5, 1, false",
        "4, 2, 128, 300, 131072, false", "2, 1, 64, 40, 1e30, false",
        "4, 2, 128, 77, 1, true", "6, 3, 40, 33, 1, true", "4, 2, 128, 300, 131072, true", "2, 1, 64, 40, 1e30, true"})
    void fp32QueriesOverAnFp16CacheMatchTheWidenedBackendPath(int heads, int kvHeads, int d, int length,
                                                               float queryScale, boolean tiled) {
        int capacity = length + 9;
        float scale = (float) (1 / Math.sqrt(d)) / queryScale;
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NATIVE.manager().getEngine().setRandomSeed(length * 17 + d);
            NDArray q = scope.randomNormal(new Shape(heads, 1, d)).mul(2 * queryScale);
            NDArray keys = scope.randomNormal(new Shape(kvHeads, capacity, d)).toType(DataType.FLOAT16, false);
            NDArray values = scope.randomNormal(new Shape(kvHeads, capacity, d)).toType(DataType.FLOAT16, false);
            keys.set(new NDIndex(":, {}:, :", length), 1e4f);
            values.set(new NDIndex(":, {}:, :", length), Float.NaN);
            NDArray cached = tiled ? tiles(keys) : keys;
            assertTrue(DecodeAttention.accepts(q, cached, values));

            float[] got = DecodeAttention.attend(q, cached, values, length, scale).toFloatArray();
            float[] expected = backend(q, keys.toType(DataType.FLOAT32, false), values.toType(DataType.FLOAT32, false),
                    length, scale, heads, kvHeads, d).toFloatArray();
            assertEquals(expected.length, got.length);
            for (int i = 0; i < got.length; i++) {
                double tol = 1e-5 * Math.max(1, Math.abs(expected[i]));
                if (!(Math.abs(got[i] - expected[i]) <= tol)) {
                    fail(String.format("queries x%g, element %d: kernel %.8g, backend %.8g", queryScale, i, got[i],
                            expected[i]));
                }
            }
        }
    }

    /**
     * Values tiled ({@link ValueTiles}, as the cache keeps fp16 values on the CPU) give exactly the
     * output of values in rows: the kernel takes the same FMAs in the same order, only from other
     * addresses. Odd groups of query heads take the single-query pass for the last head.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT16, 4, 2, 64, 1", "FLOAT16, 4, 2, 128, 77", "FLOAT16, 6, 2, 128, 600", "FLOAT16, 6, 2, 64, 300",
        "FLOAT16, 3, 1, 128, 33", "FLOAT16, 2, 2, 64, 256", "FLOAT32, 4, 2, 128, 77", "FLOAT32, 3, 1, 64, 300"})
    void tiledValuesGiveExactlyWhatRowsGive(String type, int heads, int kvHeads, int d, int length) {
        DataType dtype = DataType.valueOf(type);
        int capacity = length + 9;
        float scale = (float) (1 / Math.sqrt(d));
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NATIVE.manager().getEngine().setRandomSeed(length * 13 + d + heads);
            NDArray q = scope.randomNormal(new Shape(heads, 1, d)).mul(2).toType(dtype, false);
            NDArray keys = scope.randomNormal(new Shape(kvHeads, capacity, d)).toType(DataType.FLOAT16, false);
            NDArray values = scope.randomNormal(new Shape(kvHeads, capacity, d)).toType(DataType.FLOAT16, false);
            keys.set(new NDIndex(":, {}:, :", length), 1e4f);
            values.set(new NDIndex(":, {}:, :", length), Float.NaN);
            NDArray tiledKeys = tiles(keys);
            NDArray tiledValues = scope.zeros(ValueTiles.shape(kvHeads, capacity, d), DataType.FLOAT16);
            ValueTiles.store(tiledValues, values, 0);
            NDArray rowValues = scope.full(new Shape(kvHeads, ValueTiles.capacity(tiledValues), d), Float.NaN)
                    .toType(DataType.FLOAT16, false);
            rowValues.set(new NDIndex(":, :{}, :", capacity), values);
            assertTrue(DecodeAttention.accepts(q, tiledKeys, tiledValues));
            assertTrue(DecodeAttention.accepts(q, tiledKeys, rowValues));

            float[] fromTiles = DecodeAttention.attend(q, tiledKeys, tiledValues, length, scale)
                    .toType(DataType.FLOAT32, false).toFloatArray();
            float[] fromRows = DecodeAttention.attend(q, tiledKeys, rowValues, length, scale)
                    .toType(DataType.FLOAT32, false).toFloatArray();
            assertArrayEquals(fromRows, fromTiles);
            for (float x : fromTiles) {
                assertTrue(Float.isFinite(x), "a position past the length was read");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void tiledValuesMustBeFp16AndMatchTheKeys() {
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NDArray q = scope.zeros(new Shape(4, 1, 64));
            NDArray values = scope.zeros(ValueTiles.shape(2, 40, 64), DataType.FLOAT16);
            assertTrue(DecodeAttention.accepts(q, scope.zeros(KeyTiles.shape(2, 40, 64), DataType.FLOAT16), values));
            assertFalse(DecodeAttention.accepts(q, scope.zeros(KeyTiles.shape(2, 80, 64), DataType.FLOAT16), values),
                    "keys of another capacity");
            assertFalse(DecodeAttention.accepts(scope.zeros(new Shape(4, 1, 32)),
                    scope.zeros(KeyTiles.shape(2, 40, 32), DataType.FLOAT16), values), "another head size");
            assertFalse(DecodeAttention.accepts(q, scope.zeros(KeyTiles.shape(2, 40, 64), DataType.FLOAT16),
                    values.toType(DataType.FLOAT32, false)), "only fp16 values are tiled");
        }
    }

    @ParameterizedTest
    @CsvSource({"2, 1, 8, 8", "4, 2, 8, 16"})
    void shapesItCannotTakeAreRefused(int heads, int len, int d, int dk) {
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NDArray q = scope.zeros(new Shape(heads, len, d));
            NDArray cache = scope.zeros(new Shape(2, 10, dk));
            assertEquals(len == 1 && d == dk, DecodeAttention.accepts(q, cache, cache));
            NDArray halfCache = cache.toType(DataType.FLOAT16, false);
            assertEquals(len == 1 && d == dk, DecodeAttention.accepts(q, halfCache, halfCache));
            assertFalse(DecodeAttention.accepts(q.toType(DataType.FLOAT16, false), cache, cache));
            assertFalse(DecodeAttention.accepts(q, cache, halfCache), "keys and values of different dtypes");
        }
    }

    @org.junit.jupiter.api.Test
    void tiledKeysMustBeFp16AndCoverTheValues() {
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NDArray q = scope.zeros(new Shape(4, 1, 8));
            NDArray values = scope.zeros(new Shape(2, 40, 8), DataType.FLOAT16);
            assertTrue(DecodeAttention.accepts(q, scope.zeros(KeyTiles.shape(2, 40, 8), DataType.FLOAT16), values));
            assertFalse(DecodeAttention.accepts(q, scope.zeros(KeyTiles.shape(2, 80, 8), DataType.FLOAT16), values),
                    "more tiles than the values' capacity needs");
            assertFalse(DecodeAttention.accepts(q, scope.zeros(KeyTiles.shape(2, 40, 4), DataType.FLOAT16), values),
                    "another head size");
            NDArray fp32Values = values.toType(DataType.FLOAT32, false);
            assertFalse(DecodeAttention.accepts(q, scope.zeros(KeyTiles.shape(2, 40, 8), DataType.FLOAT32), fp32Values),
                    "only fp16 keys are tiled");
        }
    }

    /** fp16 keys {@code [kvHeads, capacity, d]} in the tiled layout the cache keeps them in on the CPU. */
    private static NDArray tiles(NDArray keys) {
        Shape s = keys.getShape();
        NDArray tiles = keys.getManager().zeros(KeyTiles.shape((int) s.get(0), (int) s.get(1), (int) s.get(2)),
                DataType.FLOAT16);
        KeyTiles.store(tiles, keys, 0);
        return tiles;
    }

    /** Attention's general path (text.Attention) for one query row. */
    private static NDArray backend(NDArray q, NDArray keys, NDArray values, int length, float scale, int heads,
                                   int kvHeads, int d) {
        NDArray k = keys.get(new NDIndex(":, :{}, :", length));
        NDArray v = values.get(new NDIndex(":, :{}, :", length));
        NDArray scores = q.reshape(kvHeads, heads / kvHeads, d).matMul(k.transpose(0, 2, 1)).mul(scale);
        if (scores.getDataType() != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false);
        }
        NDArray probs = scores.softmax(-1);
        if (probs.getDataType() != v.getDataType()) {
            probs = probs.toType(v.getDataType(), false);
        }
        return probs.matMul(v).reshape(heads, 1, d).transpose(1, 0, 2).reshape(1, (long) heads * d);
    }
}
