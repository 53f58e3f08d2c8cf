package io.qwen3vl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qwen3vl caption} over a folder with good, broken and non-media files, killed and resumed. */
class CaptionCommandTest {

    /** images, a video, a corrupt video, a zero-byte image, a text file and a nested folder. */
    static Path mixedFolder(Path root) throws IOException {
        Path in = Files.createDirectories(root.resolve("in"));
        Files.createDirectories(in.resolve("nested/deeper"));
        Files.copy(Cli.golden("inputs/image.png"), in.resolve("cat.png"));
        Files.copy(Cli.golden("preprocess/images/tiny_35x33.png"), in.resolve("nested/deeper/small.png"));
        Files.copy(Cli.golden("inputs/video_dev.mkv"), in.resolve("nested/clip.mkv"));
        byte[] video = Files.readAllBytes(Cli.golden("inputs/video_dev.mkv"));
        Files.write(in.resolve("corrupt.mkv"), java.util.Arrays.copyOf(video, 2000));
        Files.write(in.resolve("empty.jpg"), new byte[0]);
        Files.writeString(in.resolve("notes.txt"), "not media\n");
        return in;
    }

    static Map<String, JsonObject> lines(Path jsonl) throws IOException {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            String path = o.get("path").getAsString();
            assertFalse(out.containsKey(path), "one line per file: " + path + " twice");
            out.put(path, o);
        }
        return out;
    }

    @Test
    void everyFileGetsOneLineAndBadFilesBecomeErrors(@TempDir Path tmp) throws IOException {
        Path in = mixedFolder(tmp);
        Path out = tmp.resolve("captions.jsonl");
        Cli r = Cli.run("caption", "--model", Cli.tinyModel().toString(), "--input", in.toString(), "--recursive",
                "--output", out.toString(), "--max-new-tokens", "3", "--greedy");
        assertEquals(CaptionCommand.FINISHED_WITH_ERRORS, r.exit(), r.err());
        Map<String, JsonObject> lines = lines(out);
        assertEquals(List.of("cat.png", "corrupt.mkv", "empty.jpg", "nested/clip.mkv", "nested/deeper/small.png",
                "notes.txt"), new ArrayList<>(lines.keySet()));
        for (String ok : List.of("cat.png", "nested/clip.mkv", "nested/deeper/small.png")) {
            assertTrue(lines.get(ok).has("caption"), ok + ": " + lines.get(ok));
            assertEquals(3, lines.get(ok).get("completion_tokens").getAsInt());
        }
        assertEquals("video", lines.get("nested/clip.mkv").get("kind").getAsString());
        assertEquals(JsonParser.parseString("[0,6,11,17,22,28,33,39]"), lines.get("nested/clip.mkv").get("frames"));
        for (String bad : List.of("corrupt.mkv", "empty.jpg", "notes.txt")) {
            JsonObject error = lines.get(bad).getAsJsonObject("error");
            assertTrue(error.get("message").getAsString().contains(bad), bad + ": " + error);
        }
        assertTrue(r.err().contains("3 ok, 3 errors"), r.err());
    }

    @Test
    void notRecursiveStaysAtTheTopAndGlobsFilter(@TempDir Path tmp) throws IOException {
        Path in = mixedFolder(tmp);
        Path out = tmp.resolve("c.jsonl");
        Cli r = Cli.run("caption", "--model", Cli.tinyModel().toString(), "--input", in.toString(), "--include",
                "*.png", "--output", out.toString(), "--max-new-tokens", "1");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("cat.png"), new ArrayList<>(lines(out).keySet()));
    }

    @Test
    void prefetchingGivesTheSameCaptionsAsSequential(@TempDir Path tmp) throws IOException {
        Path in = mixedFolder(tmp);
        Map<String, String> captions = new LinkedHashMap<>();
        for (String prefetch : List.of("0", "2")) {
            Path out = tmp.resolve("p" + prefetch + ".jsonl");
            Cli.run("caption", "--model", Cli.tinyModel().toString(), "--input", in.toString(), "-r", "--output",
                    out.toString(), "--max-new-tokens", "4", "--greedy", "--prefetch", prefetch);
            StringBuilder all = new StringBuilder();
            lines(out).forEach((k, v) -> all.append(k).append('=').append(v.has("caption") ? v.get("caption") : v.get("error")).append('\n'));
            captions.put(prefetch, all.toString());
        }
        assertEquals(captions.get("0"), captions.get("2"));
    }

    @Test
    void existingOutputNeedsResumeOrOverwrite(@TempDir Path tmp) throws IOException {
        Path in = mixedFolder(tmp);
        Path out = tmp.resolve("c.jsonl");
        Files.writeString(out, "");
        Files.writeString(out, "{\"path\":\"cat.png\",\"kind\":\"image\",\"caption\":\"x\"}\n");
        Cli r = Cli.run("caption", "--model", Cli.tinyModel().toString(), "--input", in.toString(), "--output", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--resume"), r.err());
    }

    @Test
    void killedRunResumesWithExactlyOneLinePerFile(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("many"));
        for (int i = 0; i < 12; i++) {
            Files.copy(Cli.golden("inputs/image.png"), in.resolve(String.format("img%02d.png", i)));
        }
        Path out = tmp.resolve("c.jsonl");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "caption", "--model", Cli.tinyModel().toString(), "--input", in.toString(), "--output", out.toString(),
                "--max-new-tokens", "24", "--ignore-eos", "--resume"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process child = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lineCount(out) < 2 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), "the run was still going when killed: " + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly().waitFor(); // SIGKILL mid-run
        int before = lineCount(out);
        assertTrue(before >= 2 && before < 12, "killed part-way: " + before + " lines");

        Cli r = Cli.run("caption", "--model", Cli.tinyModel().toString(), "--input", in.toString(), "--output",
                out.toString(), "--max-new-tokens", "2", "--resume");
        assertEquals(0, r.exit(), r.err());
        Map<String, JsonObject> lines = lines(out);
        assertEquals(12, lines.size());
        String text = Files.readString(out);
        assertTrue(text.endsWith("\n"), "no torn last line");
        assertEquals(12, text.split("\n").length);
    }

    private static int lineCount(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        return (int) Files.readString(file).chars().filter(c -> c == '\n').count();
    }

    @Test
    void srtFilesAreWrittenForVideos(@TempDir Path tmp) throws IOException {
        Path in = mixedFolder(tmp);
        Path out = tmp.resolve("subs.jsonl");
        Cli r = Cli.run("caption", "--model", Cli.tinyModel().toString(), "--input", in.toString(), "-r",
                "--include", "**/*.mkv", "--output", out.toString(), "--max-new-tokens", "4", "--format", "srt");
        assertEquals(CaptionCommand.FINISHED_WITH_ERRORS, r.exit(), r.err()); // corrupt.mkv
        Path srt = tmp.resolve("subs-srt/nested/clip.srt");
        assertTrue(Files.exists(srt), "SubRip file written");
        String body = Files.readString(srt);
        assertTrue(body.startsWith("1\n00:00:00,000 --> "), body);
    }
}
