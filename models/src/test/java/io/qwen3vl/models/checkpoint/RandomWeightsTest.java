package io.qwen3vl.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.Qwen3VL;
import io.qwen3vl.models.TestData;
import io.qwen3vl.models.config.ModelConfig;
import io.qwen3vl.models.config.RealConfigs;
import io.qwen3vl.models.text.KvCache;
import io.qwen3vl.models.vision.GridThw;
import io.qwen3vl.models.vision.VisionOutput;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RandomWeightsTest {

    @Test
    void tinyConfigDescribesExactlyTheTinyCheckpointsTensors() {
        ModelConfig config = ModelConfig.load(TestData.tinyModel());
        Map<String, long[]> shapes = TensorShapes.of(config);
        try (Checkpoint ckpt = Checkpoint.open(TestData.tinyModel())) {
            assertEquals(new TreeSet<>(ckpt.names()), new TreeSet<>(shapes.keySet()));
            for (String name : ckpt.names()) {
                assertArrayEquals(ckpt.info(name).shape(), shapes.get(name), name);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT32", "FLOAT16"})
    void randomTinyModelRunsTextAndVisionWithFiniteOutputs(String dtypeName) {
        DataType dtype = DataType.valueOf(dtypeName);
        ModelConfig config = ModelConfig.load(TestData.tinyModel());
        try (Qwen3VL model = Qwen3VL.load(new RandomWeights("random tiny", config, 7), config, Device.cpu(), dtype);
             NDManager request = model.newRequestManager()) {
            int[] ids = {9707, 220, 99489, 220, 151644, 872};
            long[] pos = new long[ids.length];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = i;
            }
            KvCache cache = model.text().newCache(ids.length + 1, request);
            NDArray hidden = model.forward(model.embed(ids, null, null, request), new long[][] {pos, pos, pos},
                    cache, null, null);
            assertFinite(model.text().logits(hidden).toFloatArray(), "prefill logits");
            NDArray step = model.forward(model.embed(new int[] {42}, null, null, request),
                    new long[][] {{ids.length}, {ids.length}, {ids.length}}, cache, null, null);
            float[] logits = model.text().logits(step).toFloatArray();
            assertEquals(config.text().vocabSize(), logits.length);
            assertFinite(logits, "decode logits");

            GridThw grid = new GridThw(1, 4, 4);
            NDArray pixels = request.randomUniform(-1f, 1f, new ai.djl.ndarray.types.Shape(16, 1536), dtype);
            VisionOutput out = model.vision().forward(pixels, List.of(grid));
            assertEquals(4, out.embeds().getShape().get(0));
            assertFinite(out.embeds().toType(DataType.FLOAT32, false).toFloatArray(), "vision embeddings");
        }
    }

    @Test
    void normalisationWeightsAreOnesAndOthersAreSmall() {
        ModelConfig config = ModelConfig.load(TestData.tinyModel());
        RandomWeights weights = new RandomWeights("random tiny", config, 1);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] norm = weights.load("model.language_model.norm.weight", m, DataType.FLOAT32).toFloatArray();
            for (float v : norm) {
                assertEquals(1f, v);
            }
            NDArray w = weights.load("model.language_model.layers.0.mlp.up_proj.weight", m, DataType.FLOAT32);
            double std = w.pow(2).mean().getFloat();
            assertTrue(Math.sqrt(std) > 0.015 && Math.sqrt(std) < 0.025, "std " + Math.sqrt(std));
        }
    }

    @Test
    void unknownTensorsAndSizesAreRejected() {
        RandomWeights weights = new RandomWeights("random 2B", RealConfigs.of("2B"), 1);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> weights.load("lm_head.weight", m, DataType.FLOAT32));
            assertTrue(e.getMessage().contains("random 2B"), e.getMessage());
        }
        assertTrue(new RandomWeights("random 8B", RealConfigs.of("8B"), 1).contains("lm_head.weight"));
        assertThrows(IllegalArgumentException.class, () -> RealConfigs.of("3B"));
    }

    private static void assertFinite(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new AssertionError(what + "[" + i + "] = " + values[i]);
            }
        }
    }
}
