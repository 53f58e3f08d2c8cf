package io.qwen3vl.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ActivationsTest {

    /** The memory-frugal GELU gives bit for bit what the plain composition of the formula gives. */
    @ParameterizedTest
    @ValueSource(strings = {"FLOAT32", "FLOAT16"})
    void geluTanhInPlaceEqualsThePlainFormulaExactly(String dtypeName) {
        DataType dtype = DataType.valueOf(dtypeName);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = m.randomNormal(0f, 3f, new Shape(257, 129), DataType.FLOAT32).toType(dtype, false);
            // The cube as torch's gelu(approximate="tanh") kernel forms it: x·x·x.
            NDArray plain = x.mul(0.5f).mul(x.add(x.mul(x).mul(x).mul(0.044715f)).mul((float) Math.sqrt(2.0 / Math.PI))
                    .tanh().add(1f));
            NDArray frugal = Activations.geluTanh(x);
            assertEquals(plain.getDataType(), frugal.getDataType());
            assertArrayEquals(plain.toType(DataType.FLOAT32, false).toFloatArray(),
                    frugal.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }
}
