package io.qwen3vl.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.models.Precision;
import io.qwen3vl.models.checkpoint.Checkpoint;
import io.qwen3vl.models.nn.kernel.MatVec;
import io.qwen3vl.models.config.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark runs end to end on the tiny checkpoint in a few seconds; no timing is asserted. */
class BenchmarkTest {
    static final List<String> REQUIRED = List.of("memory_bandwidth_bytes_per_s", "gemm_peak_flops",
            "decode_roofline_fraction", "prefill_peak_fraction", "vision_peak_fraction", "peak_rss_bytes");

    static BenchOptions tinyQuick() {
        return BenchOptions.builder()
                .model(TestData.tinyModel())
                .precision(Precision.FP32)
                .repeats(1)
                .warmups(1)
                .prefillLengths(16, 40)
                .decodeContexts(8, 64)
                .decodeSteps(2)
                .bandwidthBytes(8L << 20)
                .gemmRows(16)
                .imageSize(64)
                .video(3, 10, 96, 64)
                .prefillChunk(24) // the video prompt then runs in several chunks, DeepStack rows split among them
                .build();
    }

    @Test
    void quickRunOnTinyModelReportsEveryRequiredFigure() {
        List<String> phases = new ArrayList<>();
        BenchReport report = Benchmark.run(tinyQuick(), phases::add);
        System.out.println(report.toTable());
        JsonObject json = report.toJson();
        for (String key : REQUIRED) {
            List<Double> values = new ArrayList<>();
            collect(json, key, values);
            assertTrue(!values.isEmpty(), key + " missing from " + json);
            for (double v : values) {
                assertTrue(Double.isFinite(v) && v > 0, key + " = " + v);
            }
        }
        assertEquals(2, json.getAsJsonArray("prefill").size());
        assertEquals(2, json.getAsJsonArray("decode").size());
        assertTrue(json.has("time_to_first_token_video"), json.toString());
        assertTrue(report.toTable().contains("decode @64"), report.toTable());
        assertTrue(phases.size() >= 7, phases.toString());

        String markdown = report.toMarkdown();
        List<String> lines = markdown.lines().toList();
        int header = lines.indexOf("| phase | time | rate | throughput | of limit |");
        assertTrue(header > 0, markdown);
        assertEquals("|---|---|---|---|---|", lines.get(header + 1));
        // With the Vector API a probe is read between the decode steps, and decoding held against it.
        String decodeEnd = MatVec.vectorApiPresent() ? " of the run's) |" : " of bandwidth |";
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("| decode @64 |") && l.endsWith(decodeEnd)), markdown);
        for (JsonElement e : json.getAsJsonArray("decode")) {
            JsonObject d = e.getAsJsonObject();
            double beside = d.get("bandwidth_beside_bytes_per_s").getAsDouble();
            assertEquals(MatVec.vectorApiPresent(), beside > 0, d.toString());
            assertEquals(d.get("bytes_per_s").getAsDouble() / d.get("roofline_bytes_per_s").getAsDouble(),
                    d.get("decode_roofline_fraction").getAsDouble(), 1e-9, d.toString());
        }
        assertTrue(lines.stream().filter(l -> l.startsWith("|")).allMatch(l -> l.split("\\|", -1).length == 7),
                "five cells a row: " + markdown);
        assertTrue(lines.get(1).contains("cores") && lines.get(1).contains("Java"), "machine line: " + markdown);
        JsonObject first = json.getAsJsonArray("prefill").get(0).getAsJsonObject();
        assertTrue(first.get("memory_budget_bytes").getAsLong() > 0, first.toString());
    }

    @Test
    void decodeBytesAreTheCheckpointsTextWeightsWithTheTiedHead() {
        ModelConfig config = ModelConfig.load(TestData.tinyModel());
        long elements = 0;
        long matrixElements = 0;
        try (Checkpoint ckpt = Checkpoint.open(TestData.tinyModel())) {
            for (String name : ckpt.names()) {
                if (name.startsWith("model.language_model.")) {
                    long n = ckpt.info(name).elementCount();
                    elements += n; // embeddings included: they are the tied LM head
                    if (ckpt.info(name).shape().length == 2) {
                        matrixElements += n;
                    }
                }
            }
        }
        assertEquals(elements * 2, FlopCounter.decodeWeightBytes(config, Precision.FP16));
        // 8 bits: every matrix (the tiny model's rows are whole blocks) a byte plus a 4-byte scale per 32
        long vectors = elements - matrixElements;
        assertEquals(matrixElements + matrixElements / 32 * 4 + vectors * 4,
                FlopCounter.decodeWeightBytes(config, Precision.INT8));
    }

    private static void collect(JsonElement e, String key, List<Double> out) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                if (entry.getKey().equals(key) && entry.getValue().isJsonPrimitive()) {
                    out.add(entry.getValue().getAsDouble());
                }
                collect(entry.getValue(), key, out);
            }
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> collect(x, key, out));
        }
    }
}
