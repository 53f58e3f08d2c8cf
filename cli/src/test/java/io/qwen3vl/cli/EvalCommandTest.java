package io.qwen3vl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qwen3vl eval} on a hand-made data set and on the needle self-test. */
class EvalCommandTest {

    @Test
    void scoresEveryItemAndWritesReports(@TempDir Path tmp) throws IOException {
        Files.copy(Cli.golden("inputs/image.png"), tmp.resolve("cat.png"));
        Files.copy(Cli.golden("inputs/video_dev.mkv"), tmp.resolve("clip.mkv"));
        Path data = tmp.resolve("qa.jsonl");
        Files.write(data, List.of(
                "{\"id\":\"free\",\"image\":\"cat.png\",\"question\":\"What animal is this?\",\"answer\":\"a cat\"}",
                "{\"id\":\"mc\",\"image\":\"cat.png\",\"question\":\"Which animal?\",\"choices\":[\"dog\",\"cat\"],\"answer\":\"B\"}",
                "{\"id\":\"when\",\"video\":\"clip.mkv\",\"question\":\"When does it move?\",\"answer\":[1.0,2.5]}",
                "{\"id\":\"text\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}],\"answer\":\"hi\"}"));
        Path out = tmp.resolve("results.jsonl");
        Cli r = Cli.run("eval", "--model", Cli.tinyModel().toString(), "--data", data.toString(), "--output",
                out.toString(), "--max-new-tokens", "3");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("free", first.get("id").getAsString());
        assertTrue(first.has("answer") && first.has("correct") && first.has("latency_ms"), first.toString());
        assertTrue(Files.exists(tmp.resolve("results-report.json")));
        String md = Files.readString(tmp.resolve("results-report.md"));
        assertTrue(md.contains("| choice |") && md.contains("| time |"), md);
        assertTrue(r.out().contains("# Evaluation report"), r.out());

        Cli again = Cli.run("eval", "--model", Cli.tinyModel().toString(), "--data", data.toString(), "--output",
                out.toString(), "--resume");
        assertEquals(0, again.exit(), again.err());
        assertEquals(4, Files.readAllLines(out).size(), "resume re-runs nothing");
    }

    @Test
    void limitAndSeededShuffleAreReproducible(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("qa.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append("{\"id\":\"q").append(i).append("\",\"messages\":[{\"role\":\"user\",\"content\":\"n").append(i)
                    .append("\"}],\"answer\":\"x\"}\n");
        }
        Files.writeString(data, sb);
        String[] ids = new String[2];
        for (int run = 0; run < 2; run++) {
            Path out = tmp.resolve("r" + run + ".jsonl");
            Cli r = Cli.run("eval", "--model", Cli.tinyModel().toString(), "--data", data.toString(), "--output",
                    out.toString(), "--max-new-tokens", "1", "--limit", "3", "--shuffle", "--seed", "5");
            assertEquals(0, r.exit(), r.err());
            ids[run] = Files.readAllLines(out).stream()
                    .map(l -> JsonParser.parseString(l).getAsJsonObject().get("id").getAsString()).toList().toString();
        }
        assertEquals(ids[0], ids[1]);
        assertEquals(3, ids[0].split(",").length);
    }

    @Test
    void badDataLineNamesFileAndLine(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("bad.jsonl");
        Files.write(data, List.of("{\"id\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"answer\":\"x\"}",
                "{\"id\":\"b\",\"image\":\"missing.png\",\"question\":\"?\",\"answer\":\"x\"}"));
        Cli r = Cli.run("eval", "--model", Cli.tinyModel().toString(), "--data", data.toString(), "--output",
                tmp.resolve("o.jsonl").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("bad.jsonl:2"), r.err());
    }

    @Test
    void needleSelfTestRunsEndToEnd(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("needle.jsonl");
        Cli r = Cli.run("eval", "--model", Cli.tinyModel().toString(), "--needle", "--needle-lengths", "8",
                "--needle-depths", "0,1", "--output", out.toString(), "--max-new-tokens", "2");
        assertEquals(0, r.exit(), r.err());
        assertEquals(4, Files.readAllLines(out).size(), "2 depths x (time + choice)");
        assertTrue(r.out().contains("Needle in a video haystack"), r.out());
        assertTrue(Files.exists(tmp.resolve("needle-needle/needle.jsonl")));
    }
}
