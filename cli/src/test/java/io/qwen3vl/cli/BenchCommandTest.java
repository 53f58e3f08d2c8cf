package io.qwen3vl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench} end to end on the tiny checkpoint with tiny settings: it runs and reports; timings are not judged. */
class BenchCommandTest {
    private static final List<String> REQUIRED = List.of("memory_bandwidth_bytes_per_s", "gemm_peak_flops",
            "decode_roofline_fraction", "prefill_peak_fraction", "vision_peak_fraction", "peak_rss_bytes");

    @Test
    void jsonOfAQuickTinyRunHasEveryRequiredKeyPositive() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--model", tinyModel().toString(), "--json", "--quick", "--repeats", "1",
                "--prefill", "16,40", "--context", "8,64", "--decode-steps", "2", "--bandwidth-mib", "8",
                "--video-seconds", "3", "--video-size", "96x64", "--kv-cache", "fp16");
        assertEquals(0, code, err.toString());
        JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
        assertEquals("fp16", json.getAsJsonObject("run").get("kv_cache_dtype").getAsString(), json.toString());
        for (String key : REQUIRED) {
            JsonElement value = json.get(key);
            assertTrue(value != null && value.isJsonPrimitive(), key + " missing: " + json);
            double v = value.getAsDouble();
            assertTrue(Double.isFinite(v) && v > 0, key + " = " + v);
        }
        assertTrue(err.toString().contains("bench: decode"), err.toString());
    }

    @Test
    void randomAndModelTogetherOrAnUnknownSizeAreUsageErrors() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(err));
        assertNotEquals(0, cli.execute("--random", "2B", "--model", tinyModel().toString()));
        assertTrue(err.toString().contains("not both"), err.toString());
        assertNotEquals(0, cli.execute("--random", "3B"));
        assertTrue(err.toString().contains("unknown Qwen3-VL size '3B'"), err.toString());
    }

    @Test
    void optionsMapOntoTheBenchmark() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--random", "2b", "--dtype", "fp16", "--quick", "--context", "1024,4096",
                "--video-size", "320x240");
        var options = command.options();
        assertEquals("random 2B", options.modelLabel());
        assertEquals(io.qwen3vl.models.Precision.FP16, options.precision());
        assertEquals(2, options.decodeContexts().length);
        assertEquals(320, options.videoWidth());
        assertEquals(4.0, options.videoSeconds()); // --quick's video length kept
    }

    @Test
    void theKvCacheOptionSetsTheCachesDtypeOrSaysWhyNot() {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--random", "2B", "--dtype", "int8", "--kv-cache", "fp32");
        assertEquals(io.qwen3vl.models.Precision.INT8.withKvCache(ai.djl.ndarray.types.DataType.FLOAT32),
                command.options().precision());

        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(err));
        assertNotEquals(0, cli.execute("--random", "2B", "--dtype", "fp16", "--kv-cache", "fp32"));
        assertTrue(err.toString().contains("--kv-cache fp32 with --dtype fp16"), err.toString());
        assertNotEquals(0, cli.execute("--random", "2B", "--kv-cache", "int4"));
        assertTrue(err.toString().contains("--kv-cache must be fp16 or fp32, not 'int4'"), err.toString());
    }

    private static Path tinyModel() {
        String configured = System.getProperty("qwen3vl.testdata");
        Path model = (configured != null ? Path.of(configured) : Path.of("..", "testdata")).resolve("qwen3vl-tiny");
        assertTrue(Files.isDirectory(model), "test data not found at " + model.toAbsolutePath());
        return model;
    }
}
