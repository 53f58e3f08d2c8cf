package io.qwen3vl.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalDatasetTest {
    @TempDir
    Path dir;

    private Path data(String... lines) throws IOException {
        Files.write(dir.resolve("cat.jpg"), new byte[] {1});
        Files.write(dir.resolve("clip.mp4"), new byte[] {1});
        Path file = dir.resolve("data.jsonl");
        Files.write(file, List.of(lines));
        return file;
    }

    @Test
    void questionLinesBecomeUserMessagesWithResolvedMedia() throws IOException {
        Path file = data(
                "{\"id\": \"q1\", \"image\": \"cat.jpg\", \"question\": \"What is it?\", \"answer\": \"a cat\"}",
                "",
                "{\"video\": \"clip.mp4\", \"image\": [\"cat.jpg\"], \"question\": \"Which?\", \"choices\": [\"red\", \"blue\"], \"answer\": \"blue\"}",
                "{\"video\": \"clip.mp4\", \"question\": \"When?\", \"answer\": 12.5, \"tolerance\": 2}",
                "{\"video\": \"clip.mp4\", \"question\": \"When?\", \"answer\": [61, 64]}",
                "{\"video\": \"clip.mp4\", \"question\": \"When?\", \"answer\": \"around 1:05\", \"task\": \"time\"}",
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"video\", \"video\": \"clip.mp4\"},"
                        + " {\"type\": \"text\", \"text\": \"Describe.\"}]}], \"answer\": \"a clip\", \"meta\": {\"k\": 1}}");
        List<EvalItem> items = EvalDataset.read(file);
        assertEquals(List.of("q1", "3", "4", "5", "6", "7"), items.stream().map(EvalItem::id).toList());
        EvalItem first = items.get(0);
        assertEquals(EvalItem.Part.image(dir.resolve("cat.jpg")), first.messages().get(0).content().get(0));
        assertEquals(Expected.Task.TEXT, first.expected().task());
        EvalItem choice = items.get(1);
        assertEquals('B', choice.expected().letter());
        List<EvalItem.Part> parts = choice.messages().get(0).content();
        assertEquals(EvalItem.Part.Type.VIDEO, parts.get(0).type());
        assertEquals(EvalItem.Part.Type.IMAGE, parts.get(1).type());
        assertEquals("Which?\nA. red\nB. blue\nAnswer with the option's letter from the given choices directly.",
                parts.get(2).text());
        assertEquals(TimeSpan.point(12.5), items.get(2).expected().time());
        assertEquals(2, items.get(2).tolerance());
        assertEquals(TimeSpan.interval(61, 64), items.get(3).expected().time());
        assertEquals(TimeSpan.point(65), items.get(4).expected().time());
        assertEquals(1, items.get(5).meta().get("k").getAsInt());
    }

    @Test
    void badLinesNameTheFileAndLine() throws IOException {
        assertError("data.jsonl:2: missing \"answer\"", "{\"question\": \"a\", \"answer\": \"b\"}",
                "{\"question\": \"a\"}");
        assertError("data.jsonl:1: media file not found: nope.png",
                "{\"image\": \"nope.png\", \"question\": \"a\", \"answer\": \"b\"}");
        assertError("data.jsonl:1: answer C but only 2 choices",
                "{\"question\": \"a\", \"choices\": [\"x\", \"y\"], \"answer\": \"C\"}");
        assertError("data.jsonl:2: id \"x\" already used on line 1",
                "{\"id\": \"x\", \"question\": \"a\", \"answer\": \"b\"}", "{\"id\": \"x\", \"question\": \"a\", \"answer\": \"b\"}");
        assertError("data.jsonl:1: not valid JSON", "{\"question\": \"a\", answer: 1}");
        assertError("data.jsonl:1: needs \"messages\" or \"question\"", "{\"answer\": \"b\"}");
    }

    private void assertError(String expected, String... lines) throws IOException {
        Path file = data(lines);
        EvalDataException e = assertThrows(EvalDataException.class, () -> EvalDataset.read(file));
        assertTrue(e.getMessage().startsWith(dir.resolve(expected.substring(0, expected.indexOf(':'))) + expected.substring(expected.indexOf(':'))),
                e.getMessage());
    }

    @Test
    void shuffledSelectionsRepeatWithTheSameSeed() throws IOException {
        String[] lines = new String[10];
        for (int i = 0; i < 10; i++) {
            lines[i] = "{\"question\": \"q" + i + "\", \"answer\": \"a\"}";
        }
        List<EvalItem> items = EvalDataset.read(data(lines));
        List<EvalItem> a = EvalDataset.select(items, 4, 7L);
        assertEquals(a, EvalDataset.select(items, 4, 7L));
        assertEquals(4, a.size());
        assertEquals(items.subList(0, 3), EvalDataset.select(items, 3, null));
    }

    @Test
    void resultsRoundTripAndReportAsMarkdown() throws IOException {
        List<EvalItem> items = EvalDataset.read(data(
                "{\"id\": \"t\", \"question\": \"q\", \"answer\": \"a cat\"}",
                "{\"id\": \"c\", \"question\": \"q\", \"choices\": [\"x\", \"y\"], \"answer\": \"B\"}",
                "{\"id\": \"n1\", \"video\": \"clip.mp4\", \"question\": \"q\", \"answer\": [10, 11],"
                        + " \"meta\": {\"needle\": {\"length_s\": 30, \"depth\": 0.25, \"question\": \"time\"}}}",
                "{\"id\": \"n2\", \"video\": \"clip.mp4\", \"question\": \"q\", \"answer\": [20, 21],"
                        + " \"meta\": {\"needle\": {\"length_s\": 60, \"depth\": 0.25, \"question\": \"time\"}}}",
                "{\"id\": \"bad\", \"question\": \"q\", \"answer\": \"x\"}"));
        List<EvalResult> results = List.of(
                EvalResult.answered(items.get(0), "The cat.", new EvalResult.Usage(100, 10, 5, 50)),
                EvalResult.answered(items.get(1), "The answer is (B).", new EvalResult.Usage(200, 10, 5, 50)),
                EvalResult.answered(items.get(2), "<10.5 seconds>", new EvalResult.Usage(300, 10, 5, 50)),
                EvalResult.answered(items.get(3), "at 0:40", new EvalResult.Usage(400, 10, 5, 50)),
                EvalResult.failed(items.get(4), new IllegalStateException("boom")));
        for (EvalResult r : results) {
            JsonObject line = r.toJson();
            JsonObject again = EvalResult.fromJson(JsonParser.parseString(line.toString()).getAsJsonObject()).toJson();
            assertEquals(line, again);
        }
        EvalReport report = EvalReport.of(results);
        assertEquals(0.75, report.accuracy());
        assertEquals(250, report.latencyPercentile(50));
        assertEquals(370, report.latencyPercentile(90), 1e-9);
        assertEquals(100, report.tokensPerSecond(), 1e-9);
        String md = report.toMarkdown();
        assertTrue(md.contains("| text | 1 | 100.0% | exact match 100.0%, F1 1.000 |"), md);
        assertTrue(md.contains("| choice | 1 | 100.0% | unparsed 0 |"), md);
        assertTrue(md.contains("| time | 2 | 50.0% | mean error 9.50 s, median 9.50 s, mean IoU 0.500, unparsed 0 |"), md);
        assertTrue(md.contains("| **all** | 4 | 75.0% | 1 item failed |"), md);
        assertTrue(md.contains("| 250 ms | 250 ms | 370 ms | 100.0 |"), md);
        assertTrue(md.contains("| depth \\ length | 30 s | 60 s |\n|---|---:|---:|\n| 25% | 100.0% (1/1) | 0.0% (0/1) |"), md);
        assertEquals(2, report.toJson().getAsJsonObject("tasks").getAsJsonObject("time").get("items").getAsInt());
    }
}
