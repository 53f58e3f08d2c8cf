package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import io.qwen3vl.models.checkpoint.HalfFloat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both tiled cache layouts: what goes in by rows comes back by rows, and sits where the kernels read it. */
class CacheTilesTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    private static final int HEADS = 3;
    private static final int D = 64; // two column blocks of values

    /** The layouts as the cache uses them. */
    enum Layout {
        KEYS {
            Shape shape(int capacity) {
                return KeyTiles.shape(HEADS, capacity, D);
            }

            void store(NDArray tiles, NDArray rows, int start) {
                KeyTiles.store(tiles, rows, start);
            }

            NDArray natural(NDArray tiles, int length) {
                return KeyTiles.natural(tiles, length);
            }

            long offset(int h, int p, int i, int tiles) {
                return KeyTiles.offset(h, p, i, tiles, D);
            }
        },
        VALUES {
            Shape shape(int capacity) {
                return ValueTiles.shape(HEADS, capacity, D);
            }

            void store(NDArray tiles, NDArray rows, int start) {
                ValueTiles.store(tiles, rows, start);
            }

            NDArray natural(NDArray tiles, int length) {
                return ValueTiles.natural(tiles, length);
            }

            long offset(int h, int p, int i, int tiles) {
                return ValueTiles.offset(h, p, i, tiles, D);
            }
        };

        abstract Shape shape(int capacity);

        abstract void store(NDArray tiles, NDArray rows, int start);

        abstract NDArray natural(NDArray tiles, int length);

        abstract long offset(int h, int p, int i, int tiles);
    }

    /** Element {@code (h, p, i)} of a {@code capacity}-position cache is {@code (h·capacity + p)·D + i} mod 2048, exact in fp16. */
    private static NDArray distinctRows(NDManager scope, int capacity) {
        return scope.arange(HEADS * capacity * D).reshape(HEADS, capacity, D).mod(2048).toType(DataType.FLOAT16, false);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void appendsOfAnyLengthAndOffsetComeBackAsWritten(Layout layout) {
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            int capacity = 100; // four tiles, the last partly used
            NDArray tiles = scope.zeros(layout.shape(capacity), DataType.FLOAT16);
            NDArray rows = distinctRows(scope, capacity);
            int[] cuts = {0, 5, 32, 33, 97, 98, 100}; // within a tile, to its end, across two boundaries, one, the last
            for (int c = 0; c + 1 < cuts.length; c++) {
                layout.store(tiles, rows.get(new NDIndex(":, {}:{}, :", cuts[c], cuts[c + 1])), cuts[c]);
                NDArray back = layout.natural(tiles, cuts[c + 1]);
                assertEquals(new Shape(HEADS, cuts[c + 1], D), back.getShape());
                assertArrayEquals(rows.get(new NDIndex(":, :{}, :", cuts[c + 1])).toType(DataType.FLOAT32, false)
                        .toFloatArray(), back.toType(DataType.FLOAT32, false).toFloatArray(), "after " + cuts[c + 1]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void offsetsNameTheElementsStoreWrites(Layout layout) {
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            int capacity = 70;
            NDArray tiles = scope.zeros(layout.shape(capacity), DataType.FLOAT16);
            layout.store(tiles, distinctRows(scope, capacity), 0);
            ByteBuffer b = tiles.toByteBuffer().order(ByteOrder.nativeOrder());
            int count = KeyTiles.tiles(capacity);
            for (int h = 0; h < HEADS; h++) {
                for (int p = 0; p < capacity; p++) {
                    for (int i = 0; i < D; i++) {
                        float expected = ((h * capacity + p) * D + i) % 2048;
                        long at = layout.offset(h, p, i, count);
                        assertEquals(expected, HalfFloat.toFloat(b.getShort((int) (2 * at))),
                                "head " + h + " position " + p + " element " + i);
                    }
                }
            }
        }
    }
}
