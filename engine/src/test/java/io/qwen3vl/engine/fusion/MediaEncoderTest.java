package io.qwen3vl.engine.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qwen3vl.engine.Answer;
import io.qwen3vl.engine.Qwen3VLEngine;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.engine.generate.SamplingSettings;
import io.qwen3vl.engine.generate.TokenListener;
import io.qwen3vl.engine.media.MediaOptions;
import io.qwen3vl.engine.request.PreparedPrompt;
import io.qwen3vl.models.Precision;
import io.qwen3vl.models.io.Npy;
import io.qwen3vl.tokenizer.ChatTemplate;
import io.qwen3vl.vision.MediaException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A video encoded chunk by chunk (one temporal patch per chunk, decoded while the previous one is
 * encoded) gives the reference's answer, from the real MKV file.
 */
class MediaEncoderTest {

    @Test
    void chunkedVideoEncodingGivesTheGoldenAnswer() throws IOException {
        Path dir = TestData.golden("video");
        long[] golden = Npy.read(dir.resolve("generated_ids.npy")).longs();
        SamplingSettings greedy = SamplingSettings.builder().maxNewTokens(golden.length).ignoreEos(true).logprobs(2).build();
        float[][] firstLogprobs = new float[2][];
        for (int chunkPatches : new int[] {48, MediaEncoder.DEFAULT_CHUNK_PATCHES}) { // 48 = one temporal patch
            try (Qwen3VLEngine engine = Qwen3VLEngine.load(TestData.tinyModel(), "cpu", Precision.FP32, chunkPatches);
                 PreparedPrompt prompt = engine.prompts().build(ChatTemplate.parseMessages(dir.resolve("messages.json")),
                         dir, MediaOptions.defaults())) {
                Answer a = engine.generate(prompt, greedy, TokenListener.NONE);
                assertArrayEquals(golden, Arrays.stream(a.result().tokenIds()).asLongStream().toArray(),
                        "greedy ids with chunks of " + chunkPatches + " patches");
                var first = a.result().logprobs().get(0);
                firstLogprobs[chunkPatches == 48 ? 0 : 1] = new float[] {first.logprob(), first.top().get(1).logprob()};
            }
        }
        assertArrayEquals(firstLogprobs[1], firstLogprobs[0], 1e-5f);
    }

    @Test
    void aVideoThatBreaksWhileDecodingFailsTheRequestCleanly(@TempDir Path tmp) throws IOException {
        Path frames = Files.createDirectories(tmp.resolve("frames"));
        for (int i = 0; i < 8; i++) {
            Files.copy(TestData.golden(String.format("inputs/video_frame_%02d_idx%03d.png", i,
                    new int[] {0, 6, 11, 17, 22, 28, 33, 39}[i])), frames.resolve(String.format("f%02d.png", i)));
        }
        try (Qwen3VLEngine engine = Qwen3VLEngine.load(TestData.tinyModel(), "cpu", Precision.FP32, 48)) {
            List<Object> messages = io.qwen3vl.engine.request.PromptBuilder.userTurn(null, List.of(),
                    List.of(frames), "What happens?");
            try (PreparedPrompt prompt = engine.prompts().build(messages, null, MediaOptions.defaults())) {
                Files.writeString(frames.resolve("f06.png"), "no longer a picture"); // breaks after planning
                MediaException e = assertThrows(MediaException.class, () -> engine.generate(prompt,
                        SamplingSettings.builder().maxNewTokens(1).build(), TokenListener.NONE));
                assertTrue(e.getMessage().contains("f06.png"), e.getMessage());
            }
            // The engine still serves the next request.
            try (PreparedPrompt ok = engine.prompts().build(
                    io.qwen3vl.engine.request.PromptBuilder.userTurn(null, List.of(), List.of(), "hi"), null,
                    MediaOptions.defaults())) {
                assertEquals(1, engine.generate(ok, SamplingSettings.builder().maxNewTokens(1).build(),
                        TokenListener.NONE).result().generatedTokens());
            }
        }
    }
}
