package io.qwen3vl.engine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final AtomicLong now = new AtomicLong();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void step(Progress p, String key, String error) {
        p.itemStarted(key);
        now.addAndGet(1_000_000_000L);
        p.itemFinished(key, error);
    }

    @Test
    void withoutATerminalItLogsPlainLinesEveryFewFiles() {
        Progress p = new Progress(out, false, now::get, 80, 1000, 2);
        p.started(5, 1);
        step(p, "a.jpg", null);
        step(p, "b.jpg", "b.jpg: cannot decode");
        step(p, "c.jpg", null);
        step(p, "d.jpg", null);
        p.finished(new BatchSummary(5, 1, 3, 1, 4_000_000_000L));
        String[] lines = text().split("\n");
        assertEquals("5 inputs: 4 to do, 1 already done", lines[0]);
        assertEquals("error: b.jpg: b.jpg: cannot decode", lines[1]);
        assertEquals("progress: 2/4 files, 1 error, 1.00 files/s, ETA 0:02", lines[2]);
        assertEquals("progress: 4/4 files, 1 error, 1.00 files/s, ETA 0:00", lines[3]);
        assertEquals("done: 4 files in 0:04 (3 ok, 1 errors, 1 skipped), 1.00 files/s", lines[4]);
        assertTrue(text().indexOf('\r') < 0, "no carriage returns in logs");
    }

    @Test
    void onATerminalOneLineIsRedrawnWithTheCurrentFile() {
        Progress p = new Progress(out, true, now::get, 100, 10, 100);
        p.started(2, 0);
        step(p, "a/very/long/folder/name/that/does/not/fit/clip-0001.mp4", null);
        p.itemStarted("b.jpg");
        String drawn = text();
        String last = drawn.substring(drawn.lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("[==========>         ] 1/2  1.00 files/s  ETA 0:01  b.jpg"), last);
        assertTrue(drawn.matches("(?s).*\\.\\.\\.[a-z/]+/fit/clip-0001\\.mp4.*"), drawn);
        assertTrue(!drawn.contains("a/very/long"), "name not truncated");
        for (String frame : drawn.split("\r")) {
            assertTrue(frame.length() <= 100, "line wider than the terminal: " + frame.length());
        }
        now.addAndGet(1_000_000_000L);
        p.itemFinished("b.jpg", null);
        p.finished(new BatchSummary(2, 0, 2, 0, 2_000_000_000L));
        assertTrue(text().endsWith("\rdone: 2 files in 0:02 (2 ok, 0 errors, 0 skipped), 1.00 files/s\n"), text());
    }

    @Test
    void durationsReadAsClockTimes() {
        assertEquals("0:05", Progress.duration(4.6));
        assertEquals("2:05", Progress.duration(125));
        assertEquals("1:00:01", Progress.duration(3601));
    }
}
