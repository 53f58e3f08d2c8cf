package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Wide weights stored in column panels: the split, the layout, and products equal to the plain layout's. */
class ColumnPanelsTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    @Test
    void fewestPanelsOfWholeBlocksWithinTheWidth() {
        int width = ColumnPanels.DEFAULT_MAX_WIDTH;
        assertEquals(1, ColumnPanels.count(2048, width)); // 2B hidden
        assertEquals(1, ColumnPanels.count(2560, width)); // 4B hidden
        assertEquals(2, ColumnPanels.count(4096, width)); // 8B hidden: 2,048 each
        assertEquals(3, ColumnPanels.count(6144, width)); // 2B intermediate: 2,048 each
        assertEquals(4, ColumnPanels.count(9728, width)); // 4B intermediate: 2,432 each
        assertEquals(6, ColumnPanels.count(12288, width)); // 8B intermediate: 2,048 each
        assertEquals(1, ColumnPanels.count(6000, width), "no split into whole blocks: the plain layout");
        assertEquals(2, ColumnPanels.count(192, 96));
        assertThrows(IllegalArgumentException.class, () -> ColumnPanels.count(192, 16));
    }

    @Test
    void panelsHoldTheColumnsInOrderAndGiveTheRowsBack() {
        Random random = new Random(11);
        int n = 5;
        int k = 96;
        float[] w = MatVecTest.gaussian(random, n * k);
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            for (DataType dtype : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
                NDArray weight = scope.create(w, new Shape(n, k)).toType(dtype, false);
                float[] natural = weight.toType(DataType.FLOAT32, false).toFloatArray();
                NDArray stored = ColumnPanels.arrange(weight, 3);
                assertEquals(new Shape(15, 32), stored.getShape());
                assertEquals(dtype, stored.getDataType());
                float[] got = stored.toType(DataType.FLOAT32, false).toFloatArray();
                for (int p = 0; p < 3; p++) {
                    for (int r = 0; r < n; r++) {
                        for (int c = 0; c < 32; c++) {
                            assertEquals(natural[r * k + p * 32 + c], got[(p * n + r) * 32 + c], 0f);
                        }
                    }
                }
                NDArray rows = ColumnPanels.naturalRows(stored, 3, 1, 4, scope);
                assertEquals(new Shape(3, k), rows.getShape());
                float[] expected = new float[3 * k];
                System.arraycopy(natural, k, expected, 0, 3 * k);
                assertArrayEquals(expected, rows.toType(DataType.FLOAT32, false).toFloatArray());
            }
        }
    }

    /**
     * Products of weights in panels against the double reference, in fp32, fp16 and 8 bits, with a
     * bias; 1,000 rows make a dozen tasks, so threads add their panels' sums concurrently; slices of
     * 700 stored rows end inside a panel.
     */
    @Test
    void productsInPanelsMatchTheReference() {
        Random random = new Random(12);
        int k = 192;
        for (int n : new int[] {7, 1000}) {
            float[] w = MatVecTest.gaussian(random, n * k);
            float[] x = MatVecTest.gaussian(random, k);
            float[] b = MatVecTest.gaussian(random, n);
            try (NDManager scope = NATIVE.manager().newSubManager()) {
                NDArray in = scope.create(x, new Shape(1, k));
                NDArray bias = scope.create(b);
                NDArray stored = ColumnPanels.arrange(scope.create(w, new Shape(n, k)), 3);
                WeightView view = MatVec.view(stored, 3, bias, 700L * 64 * Float.BYTES);
                assertNotNull(view);
                assertEquals(n, view.rows());
                assertEquals(k, view.cols());
                assertEquals(3, view.panels());
                MatVecTest.assertClose(w, x, b, n, k, MatVec.multiply(in, view)[0].toFloatArray(), false,
                        "fp32 in panels, n=" + n);

                short[] h = MatVecTest.halves(random, n * k, false);
                WeightView half = MatVec.view(ColumnPanels.arrange(MatVecTest.half(scope, h, new Shape(n, k)), 3),
                        3, bias.toType(DataType.FLOAT16, false));
                assertNotNull(half);
                float[] halfBias = bias.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toFloatArray();
                NDArray y = MatVec.multiply(in.toType(DataType.FLOAT16, false), half)[0];
                float[] halfX = in.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toFloatArray();
                MatVecTest.assertClose(MatVecTest.floats(h), halfX, halfBias, n, k, MatVecTest.toFloats(y), true,
                        "fp16 in panels, n=" + n);

                byte[] q = new byte[n * k];
                random.nextBytes(q);
                int blocks = k / Int8Blocks.BLOCK;
                float[] scales = new float[n * blocks];
                float[] widened = new float[n * k];
                for (int i = 0; i < scales.length; i++) {
                    scales[i] = (float) Math.scalb(random.nextFloat(), random.nextInt(10) - 5);
                }
                for (int i = 0; i < widened.length; i++) {
                    widened[i] = q[i] * scales[i / Int8Blocks.BLOCK];
                }
                Int8Layout layout = MatVec.int8Layout();
                NDArray quants = layout.stored(ColumnPanels.arrange(
                        scope.create(ByteBuffer.wrap(q), new Shape(n, k), DataType.INT8), 3));
                WeightView int8 = MatVec.viewInt8(quants, 3,
                        ColumnPanels.arrange(scope.create(scales, new Shape(n, blocks)), 3), layout, bias);
                assertNotNull(int8);
                MatVecTest.assertClose(widened, x, b, n, k, MatVec.multiply(in, int8)[0].toFloatArray(), false,
                        "int8 in panels, n=" + n);

                // one pass over weights in panels and in the plain layout, as q/k/v share an input
                WeightView plain = MatVec.view(scope.create(w, new Shape(n, k)), null);
                NDArray[] fused = MatVec.multiply(in, int8, plain, view);
                assertArrayEquals(MatVec.multiply(in, int8)[0].toFloatArray(), fused[0].toFloatArray());
                assertArrayEquals(MatVec.multiply(in, plain)[0].toFloatArray(), fused[1].toFloatArray());
                assertArrayEquals(MatVec.multiply(in, view)[0].toFloatArray(), fused[2].toFloatArray());
            }
        }
    }

    @Test
    void panelsOfDifferentWidthsCannotShareAnInput() {
        Random random = new Random(13);
        int k = 192;
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NDArray w = scope.create(MatVecTest.gaussian(random, 4 * k), new Shape(4, k));
            WeightView two = MatVec.view(ColumnPanels.arrange(w, 2), 2, null);
            WeightView three = MatVec.view(ColumnPanels.arrange(w, 3), 3, null);
            assertThrows(IllegalArgumentException.class,
                    () -> MatVec.multiply(scope.create(MatVecTest.gaussian(random, k), new Shape(1, k)), two, three));
        }
    }
}
