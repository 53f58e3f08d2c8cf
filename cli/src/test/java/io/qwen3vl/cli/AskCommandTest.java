package io.qwen3vl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.qwen3vl.models.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code qwen3vl ask} as a user runs it: real files in, the reference's tokens out. */
class AskCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"text", "image", "video"})
    void greedyAnswerEqualsGoldenIds(String prompt) throws IOException {
        Cli r = Cli.run("ask", "--model", Cli.tinyModel().toString(), "--messages",
                Cli.golden(prompt + "/messages.json").toString(), "--greedy", "--ignore-eos",
                "--max-new-tokens", "8", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertArrayEquals(Npy.read(Cli.golden(prompt + "/generated_ids.npy")).longs(), longs(o.getAsJsonArray("token_ids")));
        assertArrayEquals(Npy.read(Cli.golden(prompt + "/input_ids.npy")).longs(), longs(o.getAsJsonArray("prompt_token_ids")));
        assertEquals("length", o.get("finish_reason").getAsString());
        JsonObject usage = o.getAsJsonObject("usage");
        assertEquals(8, usage.get("completion_tokens").getAsInt());
        assertTrue(o.getAsJsonObject("timings").get("prefill_ms").getAsDouble() > 0);
    }

    @Test
    void logprobsAreTheLogSoftmaxOfTheReferenceLogits() throws IOException {
        Cli r = Cli.run("ask", "--model", Cli.tinyModel().toString(), "--messages",
                Cli.golden("text/messages.json").toString(), "--greedy", "--max-new-tokens", "1", "--json",
                "--logprobs", "3");
        assertEquals(0, r.exit(), r.err());
        JsonObject first = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("logprobs")
                .get(0).getAsJsonObject();
        float[] logits = Npy.read(Cli.golden("text/logits_last.npy")).floats();
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double logZ = max + Math.log(sum);
        int chosen = first.get("token_id").getAsInt();
        assertEquals(logits[chosen] - logZ, first.get("logprob").getAsDouble(), 1e-4);
        JsonArray top = first.getAsJsonArray("top_logprobs");
        assertEquals(3, top.size());
        for (int i = 0; i < top.size(); i++) {
            JsonObject alt = top.get(i).getAsJsonObject();
            assertEquals(logits[alt.get("token_id").getAsInt()] - logZ, alt.get("logprob").getAsDouble(), 1e-4);
        }
    }

    @Test
    void streamsPlainTextWithImageFlag() {
        Cli r = Cli.run("ask", "--model", Cli.tinyModel().toString(), "--image",
                Cli.golden("inputs/image.png").toString(), "Describe", "this.", "--max-new-tokens", "4", "--seed", "7");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.out().isBlank(), "an answer was printed");
        assertTrue(r.err().isEmpty(), "nothing on stderr: " + r.err());
    }

    @Test
    void sameSeedSameSample() {
        String[] args = {"ask", "--model", Cli.tinyModel().toString(), "hello", "--temperature", "1.0", "--top-k", "50",
                "--max-new-tokens", "6", "--seed", "11", "--json"};
        Cli a = Cli.run(args);
        Cli b = Cli.run(args);
        assertEquals(0, a.exit(), a.err());
        assertEquals(JsonParser.parseString(a.out()).getAsJsonObject().get("token_ids"),
                JsonParser.parseString(b.out()).getAsJsonObject().get("token_ids"));
    }

    @Test
    void missingImageIsOneLineErrorNamingTheFile(@TempDir Path tmp) {
        Path missing = tmp.resolve("missing.png");
        Cli r = Cli.run("ask", "--model", Cli.tinyModel().toString(), "--image", missing.toString(), "what?");
        assertEquals(1, r.exit());
        assertOneLineError(r, missing.toString());
        assertTrue(r.out().isEmpty(), "no partial answer: " + r.out());
    }

    @Test
    void corruptVideoIsOneLineErrorNamingTheFile(@TempDir Path tmp) throws IOException {
        Path video = tmp.resolve("broken.mp4");
        Files.write(video, new byte[] {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 1, 2, 3});
        Cli r = Cli.run("ask", "--model", Cli.tinyModel().toString(), "--video", video.toString(), "what?");
        assertEquals(1, r.exit());
        assertOneLineError(r, video.toString());
    }

    @Test
    void textFileGivenAsImageIsRejected(@TempDir Path tmp) throws IOException {
        Path notImage = tmp.resolve("notes.png");
        Files.writeString(notImage, "just some text\n");
        Cli r = Cli.run("ask", "--model", Cli.tinyModel().toString(), "--image", notImage.toString(), "what?");
        assertEquals(1, r.exit());
        assertOneLineError(r, notImage.toString());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, Cli.run("ask", "--model", Cli.tinyModel().toString()).exit(), "no prompt");
        assertEquals(2, Cli.run("ask", "--model", Cli.tinyModel().toString(), "--dtype", "int3", "hi").exit());
        assertEquals(2, Cli.run("ask", "--model", Cli.tinyModel().toString(), "--top-p", "1.5", "hi").exit());
        assertEquals(2, Cli.run("ask", "--bogus-flag").exit());
        Cli r = Cli.run("ask", "--model", Cli.tinyModel().toString(), "--fps", "2", "--num-frames", "4", "hi");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    @Test
    void missingModelFolderIsClear(@TempDir Path tmp) {
        Cli r = Cli.run("ask", "--model", tmp.resolve("no-such-model").toString(), "hi");
        assertEquals(1, r.exit());
        assertOneLineError(r, "no-such-model");
    }

    static void assertOneLineError(Cli r, String mustMention) {
        String err = r.err().strip();
        assertTrue(err.startsWith("qwen3vl: "), err);
        assertTrue(err.contains(mustMention), "error names " + mustMention + ": " + err);
        assertEquals(-1, err.indexOf('\n'), "one line: " + err);
    }

    static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }
}
