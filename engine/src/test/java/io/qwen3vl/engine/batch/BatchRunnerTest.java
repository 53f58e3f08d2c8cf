package io.qwen3vl.engine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.qwen3vl.vision.MediaException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchRunnerTest {
    @TempDir
    Path dir;

    /** A prepared value that counts how many exist at once. */
    static final class Prepared implements AutoCloseable {
        final String item;
        final FakeTask owner;
        boolean closed;

        Prepared(String item, FakeTask owner) {
            this.item = item;
            this.owner = owner;
            owner.maxLive.accumulateAndGet(owner.live.incrementAndGet(), Math::max);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                owner.live.decrementAndGet();
            }
        }
    }

    static class FakeTask implements BatchRunner.Task<String, Prepared, String> {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger live = new AtomicInteger();
        final AtomicInteger maxLive = new AtomicInteger();
        final long runMillis;
        final Set<String> failPrepare;
        final Set<String> failRun;

        FakeTask(long runMillis, Set<String> failPrepare, Set<String> failRun) {
            this.runMillis = runMillis;
            this.failPrepare = failPrepare;
            this.failRun = failRun;
        }

        @Override
        public String key(String item) {
            return item;
        }

        @Override
        public Prepared prepare(String item) {
            events.add("prepare " + item);
            if (failPrepare.contains(item)) {
                throw new MediaException(Path.of(item), "cannot decode");
            }
            if (item.equals("huge.jpg")) {
                throw new OutOfMemoryError("Java heap space");
            }
            return new Prepared(item, this);
        }

        @Override
        public String run(String item, Prepared prepared) throws Exception {
            events.add("run " + item);
            Thread.sleep(runMillis);
            if (failRun.contains(item)) {
                throw new IllegalStateException("generation failed\nsecond line");
            }
            events.add("ran " + item);
            return "caption of " + prepared.item;
        }

        @Override
        public JsonObject record(String item, String result) {
            return CaptionRecord.builder(item, MediaKind.IMAGE).caption(result).toJson();
        }

        @Override
        public JsonObject errorRecord(String item, Throwable error) {
            return CaptionRecord.error(item, MediaKind.IMAGE, error);
        }
    }

    private static final List<String> ITEMS = List.of("a.jpg", "b.jpg", "c.jpg", "d.jpg", "huge.jpg", "f.jpg");

    private List<JsonObject> runAll(FakeTask task, int prefetch, String name) throws Exception {
        Path file = dir.resolve(name);
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW)) {
            BatchSummary s = BatchRunner.of(task).prefetch(prefetch).run(ITEMS, log);
            assertEquals(6, s.total());
            assertEquals(3, s.ok());
            assertEquals(3, s.errors());
        }
        return ResultLog.readRecords(file);
    }

    @Test
    void failuresInEitherStageBecomeErrorLinesInInputOrder() throws Exception {
        FakeTask task = new FakeTask(5, Set.of("b.jpg"), Set.of("d.jpg"));
        List<JsonObject> records = runAll(task, 2, "out.jsonl");
        assertEquals(ITEMS, records.stream().map(r -> r.get("path").getAsString()).toList());
        assertEquals("caption of a.jpg", records.get(0).get("caption").getAsString());
        JsonObject b = records.get(1).getAsJsonObject("error");
        assertEquals("MediaException", b.get("type").getAsString());
        assertEquals("b.jpg: cannot decode", b.get("message").getAsString());
        assertEquals("generation failed", records.get(3).getAsJsonObject("error").get("message").getAsString());
        assertEquals("OutOfMemoryError", records.get(4).getAsJsonObject("error").get("type").getAsString());
        assertEquals("caption of f.jpg", records.get(5).get("caption").getAsString());
        assertEquals(0, task.live.get(), "prepared values not closed");
    }

    @Test
    void preparationOfTheNextItemOverlapsGenerationOfTheCurrentOne() throws Exception {
        FakeTask task = new FakeTask(150, Set.of(), Set.of());
        runAll(new FakeTask(0, Set.of("b.jpg"), Set.of("d.jpg")), 1, "warmup.jsonl");
        Path file = dir.resolve("overlap.jsonl");
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW)) {
            BatchRunner.of(task).prefetch(1).run(List.of("a.jpg", "b.jpg", "c.jpg"), log);
        }
        List<String> events = List.copyOf(task.events);
        assertTrue(events.indexOf("prepare b.jpg") < events.indexOf("ran a.jpg"), events.toString());
        assertTrue(events.indexOf("prepare c.jpg") < events.indexOf("ran b.jpg"), events.toString());
        // Bounded look-ahead: c is not prepared before a has finished generating.
        assertTrue(events.indexOf("prepare c.jpg") > events.indexOf("run a.jpg"), events.toString());
        assertTrue(task.maxLive.get() <= 2, "prepared values alive at once: " + task.maxLive.get());
    }

    @Test
    void prefetchingGivesTheSameLinesAsSequentialRuns() throws Exception {
        List<JsonObject> sequential = runAll(new FakeTask(1, Set.of("b.jpg"), Set.of("d.jpg")), 0, "seq.jsonl");
        List<JsonObject> pipelined = runAll(new FakeTask(1, Set.of("b.jpg"), Set.of("d.jpg")), 2, "pipe.jsonl");
        assertEquals(sequential, pipelined);
    }

    @Test
    void anInterruptStopsTheRunAndReleasesEveryPreparedValue() throws Exception {
        FakeTask task = new FakeTask(20, Set.of(), Set.of()) {
            @Override
            public String run(String item, Prepared prepared) throws Exception {
                String out = super.run(item, prepared);
                if (item.equals("b.jpg")) {
                    Thread.currentThread().interrupt(); // e.g. Ctrl-C handling
                }
                return out;
            }
        };
        Path file = dir.resolve("stop.jsonl");
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW)) {
            assertThrows(InterruptedException.class, () -> BatchRunner.of(task).prefetch(2).run(ITEMS, log));
        }
        assertEquals(2, ResultLog.readRecords(file).size());
        for (int i = 0; i < 200 && task.live.get() != 0; i++) {
            Thread.sleep(10); // a preparation that was under way closes its value when it ends
        }
        assertEquals(0, task.live.get(), "prepared values leaked");
        assertFalse(task.events.contains("run c.jpg"));
    }

    @Test
    void resumedRunsSkipDoneItemsAndReportThem() throws Exception {
        Path file = dir.resolve("resume.jsonl");
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW)) {
            BatchRunner.of(new FakeTask(0, Set.of("b.jpg"), Set.of())).run(ITEMS.subList(0, 3), log);
        }
        List<String> started = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void started(int total, int skipped) {
                started.add(total + "/" + skipped);
            }
        };
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.RESUME)) {
            BatchSummary s = BatchRunner.of(new FakeTask(0, Set.of(), Set.of())).retryErrors(true)
                    .listener(listener).run(ITEMS, log);
            assertEquals(2, s.skipped());
            assertEquals(3, s.ok()); // b (retried), d, f
            assertEquals(1, s.errors()); // huge.jpg runs out of memory again
        }
        assertEquals(List.of("6/2"), started);
        List<JsonObject> records = ResultLog.readRecords(file);
        assertEquals(6, records.size());
        assertEquals(List.of("huge.jpg"), records.stream().filter(r -> r.has("error"))
                .map(r -> r.get("path").getAsString()).toList());
    }

    @Test
    void aLineThatCannotBeWrittenStopsTheRun() throws Exception {
        Path file = dir.resolve("closed.jsonl");
        ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW);
        FakeTask task = new FakeTask(0, Set.of(), Set.of()) {
            @Override
            public String run(String item, Prepared prepared) throws Exception {
                if (item.equals("c.jpg")) {
                    log.close();
                }
                return super.run(item, prepared);
            }
        };
        assertThrows(IllegalStateException.class, () -> BatchRunner.of(task).run(ITEMS, log));
        assertEquals(2, ResultLog.readRecords(file).size());
    }

}
