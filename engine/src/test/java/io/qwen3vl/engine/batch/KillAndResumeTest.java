package io.qwen3vl.engine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real child JVM appends results and is killed with SIGKILL; resuming ends with one line per item. */
class KillAndResumeTest {
    private static final int ITEMS = 40;

    @TempDir
    Path dir;

    @Test
    void killedRunsResumeToExactlyOneLinePerItem() throws Exception {
        Path file = dir.resolve("captions.jsonl");
        // Two runs killed at different moments, then one that finishes.
        killAfter(file, 4, 0);
        killAfter(file, 6, 3);
        List<String> finalRun = runToEnd(file);
        assertTrue(finalRun.contains("finished"), finalRun.toString());

        byte[] bytes = Files.readAllBytes(file);
        assertEquals('\n', bytes[bytes.length - 1], "torn last line");
        List<JsonObject> records = ResultLog.readRecords(file);
        Set<String> keys = new HashSet<>();
        for (JsonObject r : records) {
            assertTrue(keys.add(r.get("path").getAsString()), "duplicate line for " + r.get("path"));
        }
        assertEquals(ITEMS, records.size());
        assertEquals(ITEMS, new String(bytes, StandardCharsets.UTF_8).split("\n").length);
    }

    /** Starts a child, waits for {@code lines} records, lets it run {@code extraMillis}, then kills it. */
    private void killAfter(Path file, int lines, long extraMillis) throws Exception {
        Process child = start(file, 20);
        try (BufferedReader out = reader(child)) {
            int seen = 0;
            String line;
            while (seen < lines && (line = out.readLine()) != null) {
                if (line.startsWith("wrote ")) {
                    seen++;
                }
            }
            assertEquals(lines, seen, "child ended early");
            Thread.sleep(extraMillis);
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        }
    }

    private List<String> runToEnd(Path file) throws Exception {
        Process child = start(file, 0);
        List<String> lines;
        try (BufferedReader out = reader(child)) {
            lines = out.lines().toList();
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), lines.toString());
        return lines;
    }

    private static Process start(Path file, long pause) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), ResultLogChild.class.getName(),
                file.toString(), Integer.toString(ITEMS), Long.toString(pause));
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}
