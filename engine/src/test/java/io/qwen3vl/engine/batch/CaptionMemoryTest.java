package io.qwen3vl.engine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import io.qwen3vl.engine.Qwen3VLEngine;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.engine.generate.SamplingSettings;
import io.qwen3vl.engine.media.MediaOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long captioning run keeps flat memory: 250 images through the real engine (tiny model), with
 * the process's memory outside the Java heap (RSS − committed heap: native tensors, decoded media
 * buffers) sampled after a warm-up of 100 items and at the end.
 */
class CaptionMemoryTest {
    private static final int ITEMS = 250;
    /** Items run before the first sample: JIT code, allocator arenas and library caches settle first. */
    private static final int WARM_UP = 100;
    /** Allocator and JIT noise stays well below this; leaking one image's pixel values per item (1.7 MB) would add 255 MB. */
    private static final long MAX_GROWTH = 128L << 20;

    @Test
    void twoHundredCaptionsKeepNativeMemoryFlat(@TempDir Path tmp) throws IOException, InterruptedException {
        List<InputFile> files = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            Path f = tmp.resolve(String.format(Locale.ROOT, "img%03d.png", i));
            Files.copy(TestData.golden("inputs/image.png"), f);
            files.add(new InputFile(f, f.getFileName().toString(), MediaKind.IMAGE, Files.size(f), null));
        }
        long[] samples = new long[2];
        try (Qwen3VLEngine engine = Qwen3VLEngine.load(TestData.tinyModel(), "cpu", DataType.FLOAT32);
             ResultLog log = ResultLog.open(tmp.resolve("out.jsonl"), "path", ResultLog.Mode.NEW, ResultLog.Durability.FLUSH)) {
            SamplingSettings settings = SamplingSettings.builder().maxNewTokens(2).build();
            CaptionTask task = new CaptionTask(engine, MediaOptions.defaults(), settings, "Describe.", "Describe.", null);
            ProgressListener sampler = new ProgressListener() {
                private int done;

                @Override
                public void itemFinished(String key, String error) {
                    done++;
                    if (done == WARM_UP) {
                        samples[0] = outsideHeap();
                    } else if (done == ITEMS) {
                        samples[1] = outsideHeap();
                    }
                }
            };
            BatchSummary s = BatchRunner.of(task).prefetch(1).listener(sampler).run(files, log);
            assertEquals(ITEMS, s.ok(), "every caption succeeded");
        }
        long growth = samples[1] - samples[0];
        System.out.printf(Locale.ROOT, "caption memory: outside-heap RSS %.1f MB after %d items, %.1f MB after %d (%+.1f MB)%n",
                samples[0] / 1e6, WARM_UP, samples[1] / 1e6, ITEMS, growth / 1e6);
        assertTrue(growth < MAX_GROWTH, "memory outside the heap grew by " + growth / 1e6 + " MB over " + (ITEMS - WARM_UP) + " items");
    }

    /** Resident memory not explained by the committed Java heap. */
    static long outsideHeap() {
        System.gc();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                    return rss - Runtime.getRuntime().totalMemory();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
