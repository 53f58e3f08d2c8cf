package io.qwen3vl.models.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.NativeFixture;
import io.qwen3vl.models.Precision;
import io.qwen3vl.models.SystemProperty;
import io.qwen3vl.models.TestData;
import io.qwen3vl.models.Tolerance;
import io.qwen3vl.models.io.Npy;
import io.qwen3vl.models.nn.WeightFormat;
import io.qwen3vl.models.nn.kernel.ColumnPanels;
import io.qwen3vl.models.nn.kernel.MatVec;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The float-array decode step (kernel on) against the backend path of the same decoder (kernel
 * off): hidden states, logits and the keys/values it writes into the cache; in fp16, both paths
 * against fp32.
 */
class DecodeStepTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    private static TextDecoder decoder;

    @BeforeAll
    static void load() {
        decoder = TextDecoder.load(NATIVE.tinyCheckpoint(), NATIVE.tinyConfig().text(), NATIVE.manager(),
                DataType.FLOAT32);
    }

    @Test
    void decodeStepEqualsTheBackendPathAndWritesTheSameCache() throws IOException {
        assumeTrue(MatVec.enabled(), "needs the Vector API module (surefire adds it)");
        assertStepMatchesBackend(decoder, DataType.FLOAT32, "fp32");
    }

    /**
     * With 8-bit weights the step's kernel applies each block's scale to the block's sum, the
     * backend path multiplies dequantized fp32 weights: the same products up to one rounding of
     * {@code q·scale}, so the fp32 tolerances hold (with an fp32 cache; the fp16 one 8-bit weights
     * use by default is the next test).
     */
    @Test
    void int8DecodeStepEqualsItsBackendPath() throws IOException {
        assumeTrue(MatVec.enabled(), "needs the Vector API module (surefire adds it)");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            TextDecoder int8 = TextDecoder.load(NATIVE.tinyCheckpoint(), decoder.config(), m, DataType.FLOAT32,
                    WeightFormat.INT8, Precision.INT8.kvCacheType());
            assertNotNull(int8.decodeStep());
            assertEquals(DataType.FLOAT16, int8.cacheType());
            assertStepMatchesBackend(int8, DataType.FLOAT32, "int8");
        }
    }

    /**
     * 8-bit weights with their default fp16 cache: the two paths compute a key in different
     * summation orders, and where the fp32 results straddle a rounding boundary the cached halves
     * differ by one fp16 step, so the fp32 tolerances cannot hold. Instead both paths are held
     * against the same weights with an fp32 cache: the step must be as close to it as the backend
     * path is.
     */
    @Test
    void int8StepWithAnFp16CacheIsAsCloseToAnFp32CacheAsTheBackendPath() throws IOException {
        assumeTrue(MatVec.enabled(), "needs the Vector API module (surefire adds it)");
        int[] ids = TextDecoderGoldenTest.ints(Npy.read(TestData.golden("text/input_ids.npy")).longs());
        int steps = 4;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            TextDecoder int8 = TextDecoder.load(NATIVE.tinyCheckpoint(), decoder.config(), m, DataType.FLOAT32,
                    WeightFormat.INT8, DataType.FLOAT16);
            float[][] reference = run(int8, ids, steps, false, DataType.FLOAT32);
            float[][] step = run(int8, ids, steps, true, DataType.FLOAT16);
            float[][] backend = run(int8, ids, steps, false, DataType.FLOAT16);
            double[] stepError = new double[3];
            double[] backendError = new double[3];
            double between = 0;
            for (int s = 0; s < reference.length; s++) {
                stepError[s % 3] = Math.max(stepError[s % 3], maxAbsDiff(reference[s], step[s]));
                backendError[s % 3] = Math.max(backendError[s % 3], maxAbsDiff(reference[s], backend[s]));
                if (s % 3 == 1) {
                    between = Math.max(between, maxAbsDiff(backend[s], step[s]));
                }
            }
            System.out.printf("int8 fp16 cache vs fp32 cache: step hidden %.3g logits %.3g cache %.3g, "
                    + "backend hidden %.3g logits %.3g cache %.3g; logits step vs backend %.3g%n", stepError[0],
                    stepError[1], stepError[2], backendError[0], backendError[1], backendError[2], between);
            for (int i = 0; i < 3; i++) {
                assertTrue(stepError[i] <= 1.25 * backendError[i], "int8 decode step with an fp16 cache: error " + i
                        + " " + stepError[i] + " vs the backend's " + backendError[i]);
            }
        }
    }

    private static void assertStepMatchesBackend(TextDecoder decoder, DataType cacheType, String label)
            throws IOException {
        int[] ids = TextDecoderGoldenTest.ints(Npy.read(TestData.golden("text/input_ids.npy")).longs());
        int steps = 4;
        float[][] stepHidden = run(decoder, ids, steps, true, cacheType);
        float[][] backend = run(decoder, ids, steps, false, cacheType);
        String[] what = {"hidden state", "logits", "cached key and value"};
        // Logits at the golden tests' tolerance; the states that feed them an order tighter.
        double[] tolerance = {2e-5, 1e-4, 2e-5};
        double[] worst = new double[3];
        for (int s = 0; s < stepHidden.length; s++) {
            worst[s % 3] = Math.max(worst[s % 3], Tolerance.assertAbsClose(backend[s], stepHidden[s],
                    tolerance[s % 3], what[s % 3] + " of step " + s / 3));
        }
        System.out.printf("%s decode step vs backend: hidden %.3g, logits %.3g, cache %.3g%n", label, worst[0], worst[1],
                worst[2]);
    }

    @Test
    void fp16StepIsAsCloseToFp32AsTheFp16BackendPath() throws IOException {
        assumeTrue(MatVec.enabled(), "needs the Vector API module (surefire adds it)");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            TextDecoder half = TextDecoder.load(NATIVE.tinyCheckpoint(), decoder.config(), m, DataType.FLOAT16);
            assertHalfStepAsCloseAsBackend(half, "fp16");
        }
    }

    /**
     * The down projections (192 wide) stored in two column panels of 96 ({@link ColumnPanels}; the
     * released models' are 6,144 wide, in three): the step still equals the backend path, in 8 bits
     * at the fp32 tolerances, in fp16 as close to fp32 as the backend path is.
     */
    @Test
    void weightsInColumnPanelsDecodeAsTheBackendPath() throws IOException {
        assumeTrue(MatVec.enabled(), "needs the Vector API module (surefire adds it)");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            TextDecoder int8 = SystemProperty.with(ColumnPanels.MAX_WIDTH_PROPERTY, "96", () -> TextDecoder.load(
                    NATIVE.tinyCheckpoint(), decoder.config(), m, DataType.FLOAT32, WeightFormat.INT8, DataType.FLOAT32));
            assertStepMatchesBackend(int8, DataType.FLOAT32, "int8 in panels");
            TextDecoder half = SystemProperty.with(ColumnPanels.MAX_WIDTH_PROPERTY, "96",
                    () -> TextDecoder.load(NATIVE.tinyCheckpoint(), decoder.config(), m, DataType.FLOAT16));
            assertHalfStepAsCloseAsBackend(half, "fp16 in panels");
        }
    }

    private static void assertHalfStepAsCloseAsBackend(TextDecoder half, String label) throws IOException {
        assertNotNull(half.decodeStep());
        int[] ids = TextDecoderGoldenTest.ints(Npy.read(TestData.golden("text/input_ids.npy")).longs());
        int steps = 4;
        float[][] reference = run(decoder, ids, steps, false, DataType.FLOAT32);
        float[][] step = run(half, ids, steps, true, DataType.FLOAT16);
        float[][] backend = run(half, ids, steps, false, DataType.FLOAT16);
        double stepError = 0;
        double backendError = 0;
        double between = 0;
        for (int s = 1; s < reference.length; s += 3) { // logits rows
            stepError = Math.max(stepError, maxAbsDiff(reference[s], step[s]));
            backendError = Math.max(backendError, maxAbsDiff(reference[s], backend[s]));
            between = Math.max(between, maxAbsDiff(backend[s], step[s]));
        }
        System.out.printf("%s logits vs fp32: decode step %.3g, backend path %.3g; step vs backend %.3g%n", label,
                stepError, backendError, between);
        assertTrue(stepError <= 1.25 * backendError,
                label + " decode step error " + stepError + " vs the backend's " + backendError);
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    /**
     * Prefills {@code ids}, then decodes {@code steps} greedy tokens; per step the final hidden
     * state, the logits, and the last layer's cached key and value rows of the new token.
     */
    private static float[][] run(TextDecoder decoder, int[] ids, int steps, boolean kernel, DataType cacheType) {
        return SystemProperty.with(MatVec.MODE_PROPERTY, kernel ? "java" : "djl",
                () -> decode(decoder, ids, steps, cacheType));
    }

    private static float[][] decode(TextDecoder decoder, int[] ids, int steps, DataType cacheType) {
        try (NDManager request = NATIVE.manager().newSubManager()) {
            KvCache cache = decoder.newCache(ids.length + steps, cacheType, request);
            int next;
            try (NDManager step = request.newSubManager()) {
                NDArray hidden = decoder.forward(decoder.embed(ids, step),
                        TextDecoderGoldenTest.textPositions(0, ids.length), cache, null);
                next = (int) decoder.logits(hidden.get("-1:")).argMax().getLong();
            }
            float[][] rows = new float[3 * steps][];
            int last = decoder.config().numHiddenLayers() - 1;
            for (int s = 0; s < steps; s++) {
                try (NDManager step = request.newSubManager()) {
                    int pos = cache.length();
                    NDArray hidden = decoder.forward(decoder.embed(new int[] {next}, step),
                            TextDecoderGoldenTest.textPositions(pos, 1), cache, null);
                    NDArray logits = decoder.logits(hidden);
                    rows[3 * s] = hidden.toType(DataType.FLOAT32, false).toFloatArray();
                    rows[3 * s + 1] = logits.toFloatArray();
                    NDArray[] cached = cache.filled(last, pos + 1, step); // keys in rows, whatever their layout
                    NDArray kv = cached[0].get(":, {}, :", pos).concat(cached[1].get(":, {}, :", pos));
                    rows[3 * s + 2] = kv.toType(DataType.FLOAT32, false).toFloatArray();
                    next = (int) logits.argMax().getLong();
                }
            }
            assertEquals(ids.length + steps, cache.length());
            return rows;
        }
    }
}
