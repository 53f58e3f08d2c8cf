package io.qwen3vl.engine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultLogTest {
    @TempDir
    Path dir;

    static JsonObject ok(String path) {
        JsonObject o = new JsonObject();
        o.addProperty("path", path);
        o.addProperty("caption", "caption of " + path + "\nwith a second line");
        return o;
    }

    static JsonObject failed(String path) {
        JsonObject o = new JsonObject();
        o.addProperty("path", path);
        o.add("error", ErrorInfo.of("MediaException", "cannot decode"));
        return o;
    }

    @Test
    void everyRecordIsOneCompleteLine() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW)) {
            log.append(ok("a.jpg"));
            log.append(failed("b.jpg"));
            // Visible to another reader right away, before close.
            assertEquals(2, Files.readAllLines(file).size());
        }
        String text = Files.readString(file);
        assertTrue(text.endsWith("\n"));
        assertEquals(2, text.split("\n").length);
        assertEquals(List.of(ok("a.jpg"), failed("b.jpg")), ResultLog.readRecords(file));
    }

    @Test
    void resumeCutsATornLastLineAndKnowsWhatIsDone() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW)) {
            log.append(ok("a.jpg"));
            log.append(failed("b.jpg"));
        }
        long good = Files.size(file);
        Files.writeString(file, "{\"path\": \"c.jpg\", \"capt", StandardOpenOption.APPEND);
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.RESUME)) {
            assertEquals(good, Files.size(file));
            assertTrue(log.droppedBytes() > 0);
            assertTrue(log.isDone("a.jpg"));
            assertTrue(log.hasError("b.jpg"));
            assertEquals(List.of("c.jpg"), log.pending(List.of("a.jpg", "b.jpg", "c.jpg"), k -> k, false));
            log.append(ok("c.jpg"));
        }
        assertEquals(3, ResultLog.readRecords(file).size());
    }

    @Test
    void trailingGarbageLinesAfterACrashAreCutToo() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW)) {
            log.append(ok("a.jpg"));
        }
        long good = Files.size(file);
        Files.write(file, new byte[] {0, 0, 0, '\n', 0, 0}, StandardOpenOption.APPEND); // zero-filled tail
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.RESUME)) {
            assertEquals(good, Files.size(file));
        }
    }

    @Test
    void aBadLineBeforeGoodOnesIsAnErrorNamingTheLine() throws IOException {
        Path file = dir.resolve("out.jsonl");
        Files.writeString(file, "{\"path\":\"a\",\"caption\":\"x\"}\nnot json\n{\"path\":\"b\",\"caption\":\"y\"}\n");
        IOException e = assertThrows(IOException.class, () -> ResultLog.open(file, "path", ResultLog.Mode.RESUME));
        assertTrue(e.getMessage().contains("out.jsonl:2"), e.getMessage());
    }

    @Test
    void retryingErrorsReplacesTheirLinesInsteadOfAddingNewOnes() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW)) {
            log.append(failed("a.jpg"));
            log.append(ok("b.jpg"));
            log.append(failed("c.jpg"));
        }
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.RESUME)) {
            List<String> todo = log.pending(List.of("a.jpg", "b.jpg", "c.jpg", "d.jpg"), k -> k, true);
            assertEquals(List.of("a.jpg", "c.jpg", "d.jpg"), todo);
            // The old error lines are gone before any new line is written.
            assertEquals(List.of(ok("b.jpg")), ResultLog.readRecords(file));
            log.append(ok("a.jpg"));
            log.append(failed("c.jpg"));
            log.append(ok("d.jpg"));
        }
        List<String> paths = ResultLog.readRecords(file).stream().map(r -> r.get("path").getAsString()).toList();
        assertEquals(List.of("b.jpg", "a.jpg", "c.jpg", "d.jpg"), paths);
        assertTrue(Files.notExists(ResultLog.ownFiles(file).get(1)), "temporary file left behind");
    }

    @Test
    void aNewRunRefusesAFileWithResultsAndOverwriteEmptiesIt() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW)) {
            log.append(ok("a.jpg"));
        }
        assertThrows(FileAlreadyExistsException.class, () -> ResultLog.open(file, "path", ResultLog.Mode.NEW));
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.OVERWRITE)) {
            assertTrue(log.doneKeys().isEmpty());
        }
        assertEquals(0, Files.size(file));
    }

    @Test
    void aKeyIsWrittenOnlyOnceAndTwoRunsCannotShareAFile() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.NEW)) {
            log.append(ok("a.jpg"));
            assertThrows(IllegalStateException.class, () -> log.append(failed("a.jpg")));
            IOException e = assertThrows(IOException.class, () -> ResultLog.open(file, "path", ResultLog.Mode.RESUME));
            assertTrue(e.getMessage().contains("another run"), e.getMessage());
        }
        assertEquals(1, Files.readAllLines(file, StandardCharsets.UTF_8).size());
    }
}
