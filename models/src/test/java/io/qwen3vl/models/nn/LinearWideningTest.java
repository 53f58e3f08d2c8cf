package io.qwen3vl.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * Many-row fp16 products on the CPU run in fp32 with a temporary widened weight: the result is the
 * fp32 product rounded once to fp16, and the temporary does not outlive the call's scope.
 */
class LinearWideningTest {

    @Test
    void fp16PrefillProductIsTheRoundedFp32ProductAndLeavesNothingBehind() {
        try (NDManager weights = NDManager.newBaseManager("PyTorch")) {
            NDArray w = weights.randomNormal(0, 0.05f, new Shape(48, 100), DataType.FLOAT32).toType(DataType.FLOAT16, false);
            NDArray b = weights.randomNormal(0, 0.05f, new Shape(48), DataType.FLOAT32).toType(DataType.FLOAT16, false);
            Linear linear = new Linear(w, b);
            int before = weights.getManagedArrays().size();
            try (NDManager step = weights.newSubManager()) {
                NDArray x = step.randomNormal(0, 1f, new Shape(Linear.WIDEN_FP16_ROWS + 3, 100), DataType.FLOAT32)
                        .toType(DataType.FLOAT16, false);
                NDArray y = linear.forward(x);
                assertEquals(DataType.FLOAT16, y.getDataType());
                NDArray w32 = w.toType(DataType.FLOAT32, false);
                NDArray b32 = b.toType(DataType.FLOAT32, false);
                w32.attach(step);
                b32.attach(step);
                float[] expected = ai.djl.nn.core.Linear.linear(x.toType(DataType.FLOAT32, false), w32, b32)
                        .singletonOrThrow()
                        .toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toFloatArray();
                float[] actual = y.toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 0f, "element " + i);
                }
            }
            assertEquals(before, weights.getManagedArrays().size(), "no widened weight left in the weights' scope");
        }
    }
}
