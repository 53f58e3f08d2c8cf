package io.qwen3vl.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.nn.kernel.Int8Blocks;
import io.qwen3vl.models.nn.kernel.Int8Layout;
import io.qwen3vl.models.nn.kernel.MatVec;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The 8-bit weight format: its rounding, and layers over it on both product paths. */
class Int8WeightTest {
    private static final int BLOCK = Int8Blocks.BLOCK;

    /** In the kernel's order (widened by the kernel), and in others (widened by the backend). */
    static Stream<Int8Layout> layouts() {
        return Stream.of(MatVec.int8Layout(), Int8Layout.NATURAL, Int8Layout.interleaved(4), Int8Layout.interleaved(16))
                .distinct();
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void eachWeightIsWithinHalfAStepOfItsBlockScale(Int8Layout layout) {
        int rows = 2500; // more than one quantization pass of rows
        int cols = 3 * BLOCK;
        float[] w = new float[rows * cols];
        Random random = new Random(7);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * Math.exp(random.nextInt(6) - 3));
        }
        for (int i = 5 * BLOCK; i < 6 * BLOCK; i++) {
            w[i] = 0f; // one all-zero block
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Int8Weight q = Int8Weight.quantize(m.create(w, new Shape(rows, cols)), layout, m);
            assertEquals(DataType.INT8, q.quants().getDataType());
            assertEquals(new Shape(rows, cols / BLOCK), q.scales().getShape());
            assertEquals(layout, q.layout());
            byte[] bytes = q.layout().natural(q.quants()).toByteArray();
            byte[] stored = q.quants().toByteArray();
            for (int r = 0; r < rows; r += 499) {
                for (int i = 0; i < cols; i++) {
                    assertEquals(bytes[r * cols + i], stored[r * cols + q.layout().position(i, cols)], "byte " + i);
                }
            }
            float[] scales = q.scales().toFloatArray();
            float[] back = q.dequantize(0, rows, m).toFloatArray();
            for (int b = 0; b < scales.length; b++) {
                float max = 0;
                for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
                    max = Math.max(max, Math.abs(w[i]));
                }
                if (max > 0) {
                    assertEquals(max / 127f, scales[b], Math.ulp(max / 127f), "scale of block " + b);
                }
                for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
                    assertTrue(bytes[i] >= -127, "the quantizer uses -127..127");
                    assertEquals(bytes[i] * scales[b], back[i], 0f, "dequantized weight " + i);
                    assertEquals(w[i], back[i], scales[b] * 0.5001, "weight " + i + " within half a step");
                }
            }
            for (int i = 5 * BLOCK; i < 6 * BLOCK; i++) {
                assertEquals(0, bytes[i], "an all-zero block stays zero");
            }
            float[] some = q.dequantize(1234, 1240, m).toFloatArray();
            for (int i = 0; i < some.length; i++) {
                assertEquals(back[1234 * cols + i], some[i], 0f);
            }
            long[] ids = {2499, 0, 5, 5, 1300};
            float[] looked = q.gather(m.create(ids)).toFloatArray();
            for (int r = 0; r < ids.length; r++) {
                for (int i = 0; i < cols; i++) {
                    assertEquals(back[(int) ids[r] * cols + i], looked[r * cols + i], 0f, "looked-up row " + r);
                }
            }
        }
    }

    @Test
    void weightsOnTheCpuAreStoredAsTheKernelReads() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Int8Weight q = Int8Weight.quantize(m.randomNormal(new Shape(4, 2 * BLOCK)), m);
            assertEquals(MatVec.int8Layout(), q.layout());
        }
    }

    /** Prompt rows multiply the dequantized weight, decoded rows go through the kernel: the same products. */
    @Test
    void aLayerGivesTheSameProductsOnBothPaths() {
        assumeTrue(MatVec.enabled(), "needs the decode kernel");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray w = m.randomNormal(0, 0.05f, new Shape(48, 4 * BLOCK), DataType.FLOAT32);
            NDArray b = m.randomNormal(0, 0.05f, new Shape(48), DataType.FLOAT32);
            Linear layer = Linear.quantized(w, b, m);
            assertNull(layer.weight(), "no dense copy is kept");
            assertNotNull(layer.kernelView());
            assertEquals(48, layer.outFeatures());
            assertEquals(4 * BLOCK, layer.inFeatures());
            int before = m.getManagedArrays().size();
            try (NDManager step = m.newSubManager()) {
                NDArray x = step.randomNormal(0, 1f, new Shape(5, 4 * BLOCK), DataType.FLOAT32);
                float[] many = layer.forward(x).toFloatArray();
                for (int r = 0; r < 5; r++) {
                    float[] one = layer.forward(x.get("{}:{}", r, r + 1)).toFloatArray();
                    for (int i = 0; i < one.length; i++) {
                        assertEquals(many[r * 48 + i], one[i], 1e-5f * (1 + Math.abs(one[i])), "row " + r + " out " + i);
                    }
                }
            }
            assertEquals(before, m.getManagedArrays().size(), "no dequantized weight left in the weights' scope");
        }
    }

    @Test
    void rowsOfPartialBlocksStayDense() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray w = m.zeros(new Shape(4, BLOCK + 8));
            assertFalse(Int8Weight.fits(w));
            assertEquals(w, Linear.quantized(w, null, m).weight());
        }
    }
}
