package io.qwen3vl.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import io.qwen3vl.models.config.RealConfigs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The memory rows: a budget check on the CPU; on a GPU, where host RSS leaves the model out, none.
 * Decode rows: held against the bandwidth read beside their steps where there was a probe.
 */
class BenchReportTest {
    private static final long GIB = 1L << 30;

    private static BenchReport report(Device device, long peakRss) {
        BenchReport.Builder b = new BenchReport.Builder(BenchOptions.builder().random("2B").build(),
                RealConfigs.of("2B"), device);
        b.bandwidth(new MemoryBandwidth(30e9, 31e9, 32e9, GIB, 2, 3));
        b.gemm(new GemmPeak(180e9, "512x6144x2048", Map.of("512x6144x2048", 180e9), DataType.FLOAT32));
        b.load(new BenchReport.Load(1.0, 8 * GIB, 2_000_000_000L));
        b.prefill(new BenchReport.Prefill(512, 9.0, 1.4e12, peakRss, 9 * GIB));
        b.peakRss(peakRss);
        return b.build();
    }

    @Test
    void decodeIsHeldAgainstTheBandwidthReadBesideItWhereThereIsOne() {
        BenchReport.Builder b = new BenchReport.Builder(BenchOptions.builder().random("2B").build(),
                RealConfigs.of("2B"), Device.cpu());
        b.bandwidth(new MemoryBandwidth(30e9, 40e9, 32e9, GIB, 2, 3)); // the run's: 40 GB/s
        b.gemm(new GemmPeak(180e9, "512x6144x2048", Map.of("512x6144x2048", 180e9), DataType.FLOAT32));
        b.load(new BenchReport.Load(1.0, 8 * GIB, 2_000_000_000L));
        // 3 GB of weights and 1 GB of cache in 0.1 s: 40 GB/s; 50 GB/s read beside it, none beside the second
        b.decode(new BenchReport.Decode(8192, 0.1, 3_000_000_000L, 1_000_000_000L, 50e9, 2048));
        b.decode(new BenchReport.Decode(1024, 0.1, 3_000_000_000L, 1_000_000_000L, 0, -1));
        BenchReport r = b.build();
        BenchReport.Decode beside = r.decode().get(0);
        assertEquals(0.8, r.decodeRooflineFraction(beside), 1e-12);
        assertEquals(1.0, r.decodeRunFraction(beside), 1e-12);
        assertEquals(1.0, r.decodeRooflineFraction(r.decode().get(1)), 1e-12);
        JsonObject first = r.toJson().getAsJsonArray("decode").get(0).getAsJsonObject();
        assertEquals(0.8, first.get("decode_roofline_fraction").getAsDouble(), 1e-12);
        assertEquals(50e9, first.get("roofline_bytes_per_s").getAsDouble(), 1);
        assertEquals(1.0, first.get("run_bandwidth_fraction").getAsDouble(), 1e-12);
        assertEquals(2048, first.get("heap_bytes_per_token").getAsLong());
        String table = r.toTable();
        assertTrue(table.contains("80% of 50.0 GB/s read beside it (100% of the run's)"), table);
        assertTrue(table.contains("100% of bandwidth"), table);
        // heap counted at 8K only: one heap row
        assertTrue(table.contains("heap, decode @8192") && table.contains("2.0 KiB allocated a token"), table);
        assertFalse(table.contains("heap, decode @1024"), table);
    }

    private static JsonObject prefill(BenchReport r) {
        return r.toJson().getAsJsonArray("prefill").get(0).getAsJsonObject();
    }

    @Test
    void cpuRunsCheckTheBudget() {
        assertTrue(prefill(report(Device.cpu(), 8 * GIB)).get("within_memory_budget").getAsBoolean());
        assertFalse(prefill(report(Device.cpu(), 10 * GIB)).get("within_memory_budget").getAsBoolean());
        assertTrue(report(Device.cpu(), 8 * GIB).toTable().contains("budget 9.00 GiB"));
    }

    @Test
    void gpuRunsSayTheirRssIsHostMemoryOnly() {
        BenchReport gpu = report(Device.gpu(), GIB);
        assertTrue(prefill(gpu).get("within_memory_budget").isJsonNull(), prefill(gpu).toString());
        String table = gpu.toTable();
        assertTrue(table.contains(BenchReport.HOST_ONLY), table);
        assertFalse(table.contains("budget 9.00 GiB"), table);
    }
}
