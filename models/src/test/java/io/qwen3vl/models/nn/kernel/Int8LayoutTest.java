package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The byte orders of 8-bit weight rows: the arithmetic of positions and the array rearrangements agree. */
class Int8LayoutTest {
    /** Row widths with no leftover, one leftover block and a leftover of less than a group, at each width. */
    private static final int[] WIDTHS = {32, 64, 96, 128, 160, 192, 2080};

    @Test
    void aGroupsRunsOfConsecutiveElementsAreBytesOfItsLanes() {
        Int8Layout sixteen = Int8Layout.interleaved(16);
        // lane l of the first group holds elements l, 16 + l, 32 + l, 48 + l in its bytes 0..3
        for (int l = 0; l < 16; l++) {
            for (int p = 0; p < 4; p++) {
                assertEquals(4 * l + p, sixteen.position(16 * p + l, 128));
                assertEquals(64 + 4 * l + p, sixteen.position(64 + 16 * p + l, 128));
            }
        }
        // past the last whole group, natural order
        assertEquals(64 + 5, sixteen.position(64 + 5, 96));
        assertEquals(7, Int8Layout.NATURAL.position(7, 64));
    }

    @Test
    void positionsArePermutationsOfEachRow() {
        for (int lanes : new int[] {1, 2, 4, 8, 16}) {
            Int8Layout layout = Int8Layout.interleaved(lanes);
            for (int k : WIDTHS) {
                boolean[] seen = new boolean[k];
                for (int i = 0; i < k; i++) {
                    int at = layout.position(i, k);
                    assertEquals(false, seen[at], lanes + " lanes, k " + k + ": byte " + at + " taken twice");
                    seen[at] = true;
                }
            }
        }
    }

    @Test
    void arraysAreRearrangedAsPositionsSayAndBack() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (int lanes : new int[] {1, 4, 8, 16}) {
                Int8Layout layout = Int8Layout.interleaved(lanes);
                for (int k : WIDTHS) {
                    int n = 3;
                    byte[] natural = new byte[n * k];
                    for (int i = 0; i < natural.length; i++) {
                        natural[i] = (byte) (i * 7 + i / k);
                    }
                    NDArray rows = m.create(ByteBuffer.wrap(natural), new Shape(n, k), DataType.INT8);
                    NDArray stored = layout.stored(rows);
                    assertEquals(rows.getShape(), stored.getShape());
                    byte[] bytes = stored.toByteArray();
                    for (int r = 0; r < n; r++) {
                        for (int i = 0; i < k; i++) {
                            assertEquals(natural[r * k + i], bytes[r * k + layout.position(i, k)],
                                    lanes + " lanes, k " + k + ", row " + r + ", element " + i);
                        }
                    }
                    assertArrayEquals(natural, layout.natural(stored).toByteArray());
                }
            }
        }
    }

    /** Bytes and floats are moved alike, and back. */
    @Test
    void rearrangementsDoNotDependOnTheDtype() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (int lanes : new int[] {4, 8, 16}) {
                Int8Layout layout = Int8Layout.interleaved(lanes);
                int k = 160;
                NDArray values = m.arange(0f, 2f * k).reshape(2, k);
                float[] moved = layout.stored(values).toFloatArray();
                byte[] bytes = layout.stored(values.mod(100f).toType(DataType.INT8, false)).toByteArray();
                for (int i = 0; i < bytes.length; i++) {
                    assertEquals((byte) (moved[i] % 100f), bytes[i], lanes + " lanes, byte " + i);
                }
                assertArrayEquals(values.toFloatArray(), layout.natural(layout.stored(values)).toFloatArray());
            }
        }
    }

    @Test
    void theNaturalOrderMovesNothing() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray rows = m.zeros(new Shape(2, 64), DataType.INT8);
            assertSame(rows, Int8Layout.NATURAL.stored(rows));
            assertSame(rows, Int8Layout.NATURAL.natural(rows));
            assertSame(Int8Layout.NATURAL, Int8Layout.interleaved(1));
        }
    }

    @Test
    void runsMustFitInsideABlock() {
        assertThrows(IllegalArgumentException.class, () -> Int8Layout.interleaved(32));
        assertThrows(IllegalArgumentException.class, () -> Int8Layout.interleaved(12));
        assertThrows(IllegalArgumentException.class, () -> Int8Layout.interleaved(0));
        assertNotEquals(Int8Layout.interleaved(8), Int8Layout.interleaved(16));
        assertEquals(Int8Layout.interleaved(16), Int8Layout.interleaved(16));
    }
}
