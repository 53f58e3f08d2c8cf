package io.qwen3vl.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import io.qwen3vl.models.SystemProperty;
import io.qwen3vl.models.nn.kernel.MatVec;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One-row products through the Java decode kernel equal the backend's Linear. */
class LinearKernelTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT32", "FLOAT16"})
    void oneRowForwardMatchesTheBackend(String type) {
        DataType dtype = DataType.valueOf(type);
        int in = 300; // not a multiple of any vector length
        int out = 77;
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NATIVE.manager().getEngine().setRandomSeed(5);
            for (boolean withBias : new boolean[] {false, true}) {
                NDArray w = scope.randomNormal(0f, 0.05f, new Shape(out, in), DataType.FLOAT32).toType(dtype, false);
                NDArray b = withBias ? scope.randomNormal(new Shape(out)).toType(dtype, false) : null;
                Linear linear = new Linear(w, b);
                NDArray x = scope.randomNormal(new Shape(1, in)).toType(dtype, false);
                NDArray viaBackend = withMode("djl", () -> linear.forward(x));
                NDArray viaKernel = withMode("java", () -> linear.forward(x));
                assertEquals(viaBackend.getShape(), viaKernel.getShape());
                assertEquals(dtype, viaKernel.getDataType());
                float[] expected = viaBackend.toType(DataType.FLOAT32, false).toFloatArray();
                float[] actual = viaKernel.toType(DataType.FLOAT32, false).toFloatArray();
                // fp32: summation order only. fp16: both round an fp32 sum once, so at most one fp16 step
                // apart when the two sums straddle a rounding boundary.
                for (int i = 0; i < out; i++) {
                    double tol = dtype == DataType.FLOAT32 ? 1e-5 * Math.max(1, Math.abs(expected[i]))
                            : Math.max(Math.ulp(expected[i]) * 8192, 0x1p-24) * 1.0001; // one fp16 step
                    if (Math.abs(expected[i] - actual[i]) > tol) {
                        fail(String.format("%s bias=%b row %d: kernel %.8g, backend %.8g", type, withBias, i,
                                actual[i], expected[i]));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT32", "FLOAT16"})
    void fusedForwardEqualsSeparateForwards(String type) {
        DataType dtype = DataType.valueOf(type);
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            Linear q = new Linear(scope.randomNormal(new Shape(64, 96)).toType(dtype, false), null);
            Linear k = new Linear(scope.randomNormal(new Shape(32, 96)).toType(dtype, false), null);
            Linear v = new Linear(scope.randomNormal(new Shape(32, 96)).toType(dtype, false),
                    scope.randomNormal(new Shape(32)).toType(dtype, false));
            for (int rows : new int[] {1, 3}) { // 3 rows: the backend for both
                NDArray x = scope.randomNormal(new Shape(rows, 96)).toType(dtype, false);
                NDArray[] fused = Linear.forwardAll(x, q, k, v);
                Linear[] layers = {q, k, v};
                for (int i = 0; i < layers.length; i++) {
                    assertArrayEquals(layers[i].forward(x).toType(DataType.FLOAT32, false).toFloatArray(),
                            fused[i].toType(DataType.FLOAT32, false).toFloatArray());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", ""})
    void unknownKernelModeIsRejectedWithTheProperty(String mode) {
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            Linear linear = new Linear(scope.ones(new Shape(4, 4)), null);
            NDArray x = scope.ones(new Shape(1, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> withMode(mode, () -> linear.forward(x)));
            assertTrue(e.getMessage().contains(MatVec.MODE_PROPERTY), e.getMessage());
        }
    }

    static <T> T withMode(String mode, Supplier<T> body) {
        return SystemProperty.with(MatVec.MODE_PROPERTY, mode, body);
    }
}
