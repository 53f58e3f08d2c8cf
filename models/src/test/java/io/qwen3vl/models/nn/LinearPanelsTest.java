package io.qwen3vl.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import io.qwen3vl.models.SystemProperty;
import io.qwen3vl.models.checkpoint.HalfFloat;
import io.qwen3vl.models.nn.kernel.ColumnPanels;
import io.qwen3vl.models.nn.kernel.MatVec;
import io.qwen3vl.models.text.TextDecoder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A decoder's wide weight loaded into column panels (the tiny model's down projection, 192 wide,
 * in two panels of 96) computes what the same weight in the plain layout computes: on the backend
 * (many rows, or the kernel off) exactly, since its rows come back in order; through the kernel up
 * to summation order.
 */
class LinearPanelsTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();
    private static final String DOWN = TextDecoder.PREFIX + "layers.0.mlp.down_proj";

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT16", "INT8"})
    void panelsComputeWhatThePlainLayoutComputes(String type) {
        Assumptions.assumeTrue(MatVec.enabled(), "panels are for the decode kernel");
        boolean int8 = type.equals("INT8");
        DataType dtype = int8 ? DataType.FLOAT32 : DataType.FLOAT16;
        WeightFormat format = int8 ? WeightFormat.INT8 : WeightFormat.DENSE;
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            Linear plain = Linear.loadForDecoding(NATIVE.tinyCheckpoint(), DOWN, scope, dtype, format);
            Linear panels = SystemProperty.with(ColumnPanels.MAX_WIDTH_PROPERTY, "96",
                    () -> Linear.loadForDecoding(NATIVE.tinyCheckpoint(), DOWN, scope, dtype, format));
            assertEquals(1, plain.panels());
            assertEquals(2, panels.panels());
            assertEquals(plain.outFeatures(), panels.outFeatures());
            assertEquals(plain.inFeatures(), panels.inFeatures());
            assertNotNull(panels.kernelView());
            NATIVE.manager().getEngine().setRandomSeed(7);
            NDArray prompt = scope.randomNormal(new Shape(5, plain.inFeatures())).toType(dtype, false);
            assertArrayEquals(floats(plain.forward(prompt)), floats(panels.forward(prompt)), "many rows, backend");
            NDArray token = prompt.get("2:3");
            if (!int8) { // the plain fp16 layer's kernel-off row is torch's fp16 product: compare with its own kernel row
                float[] off = floats(LinearKernelTest.withMode("djl", () -> panels.forward(token)));
                assertClose(floats(plain.forward(token)), off, true, "one row, kernel off");
            } else {
                assertArrayEquals(floats(LinearKernelTest.withMode("djl", () -> plain.forward(token))),
                        floats(LinearKernelTest.withMode("djl", () -> panels.forward(token))), "one row, kernel off");
            }
            assertClose(floats(plain.forward(token)), floats(panels.forward(token)), !int8, "one row, kernel");
        }
    }

    private static float[] floats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /**
     * Equal but for summation order: within 1e-5 of the largest result in fp32; in fp16, where the
     * fp32 sums straddle a rounding boundary, one fp16 step apart at most.
     */
    private static void assertClose(float[] expected, float[] got, boolean half, String what) {
        assertEquals(expected.length, got.length);
        double largest = 0;
        for (float e : expected) {
            largest = Math.max(largest, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            short bits = (short) (HalfFloat.fromFloat(Math.abs(e)) & 0x7FFF);
            double allowed = half ? (HalfFloat.toFloat((short) (bits + 1)) - HalfFloat.toFloat(bits)) * 1.0001
                    : 1e-5 * largest;
            if (Math.abs(e - got[i]) > allowed) {
                fail(what + " element " + i + ": " + got[i] + " vs " + e + " (allowed " + allowed + ")");
            }
        }
    }
}
