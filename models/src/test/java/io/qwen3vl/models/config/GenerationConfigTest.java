package io.qwen3vl.models.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qwen3vl.models.TestData;
import io.qwen3vl.models.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generation_config.json: real layouts, int-or-list EOS, absent-file defaults, invalid values. */
class GenerationConfigTest {
    @TempDir
    Path dir;

    private GenerationConfig load(String json) throws IOException {
        Files.writeString(dir.resolve(GenerationConfig.FILE), json);
        return GenerationConfig.load(dir);
    }

    private String rejected(String json) throws IOException {
        Files.writeString(dir.resolve(GenerationConfig.FILE), json);
        CheckpointException e = assertThrows(CheckpointException.class, () -> GenerationConfig.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve(GenerationConfig.FILE) + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void tinyModelFileIsGreedyWithTwoEosIds() {
        GenerationConfig g = GenerationConfig.load(TestData.tinyModel());
        assertArrayEquals(new int[] {151645, 151643}, g.eosTokenIds());
        assertEquals(OptionalInt.of(151643), g.bosTokenId());
        assertEquals(OptionalInt.of(151643), g.padTokenId());
        assertFalse(g.doSample());
    }

    @Test
    void instructSamplingSettingsAreRead() throws IOException {
        GenerationConfig g = load("{\"do_sample\": true, \"eos_token_id\": [151645, 151643], \"top_k\": 20,"
                + " \"top_p\": 0.8, \"temperature\": 0.7, \"repetition_penalty\": 1.0, \"presence_penalty\": 1.5,"
                + " \"max_new_tokens\": 512}");
        assertTrue(g.doSample());
        assertEquals(20, g.topK());
        assertEquals(0.8, g.topP());
        assertEquals(0.7, g.temperature());
        assertEquals(1.0, g.repetitionPenalty());
        assertEquals(1.5, g.presencePenalty());
        assertEquals(OptionalInt.of(512), g.maxNewTokens());
    }

    @Test
    void singleEosIdIsAccepted() throws IOException {
        assertArrayEquals(new int[] {151645}, load("{\"eos_token_id\": 151645}").eosTokenIds());
    }

    @Test
    void absentKeysTakeTransformersDefaults() throws IOException {
        GenerationConfig g = load("{}");
        assertEquals(GenerationConfig.defaults(), g);
        assertFalse(g.doSample());
        assertEquals(50, g.topK());
        assertEquals(1.0, g.topP());
        assertEquals(1.0, g.temperature());
        assertEquals(0.0, g.presencePenalty());
        assertTrue(g.maxNewTokens().isEmpty());
    }

    @Test
    void temperatureZeroIsAccepted() throws IOException {
        GenerationConfig g = load("{\"do_sample\": true, \"temperature\": 0}");
        assertTrue(g.doSample());
        assertEquals(0.0, g.temperature());
    }

    @Test
    void absentFileIsGreedyWithEosFromModelConfig() throws IOException {
        Files.writeString(dir.resolve(ModelConfig.FILE), "{\"text_config\": {\"eos_token_id\": 151645}}");
        GenerationConfig g = GenerationConfig.load(dir);
        assertFalse(g.doSample());
        assertArrayEquals(new int[] {151645}, g.eosTokenIds());
    }

    @Test
    void absentFilesGiveGreedyDefaults() {
        assertEquals(GenerationConfig.defaults(), GenerationConfig.load(dir));
    }

    @Test
    void topPOutsideTheUnitIntervalIsRejected() throws IOException {
        String m = rejected("{\"top_p\": 1.5}");
        assertTrue(m.contains("key top_p: 1.5 is outside (0, 1]"), m);
    }

    @Test
    void negativeTemperatureIsRejected() throws IOException {
        String m = rejected("{\"temperature\": -0.5}");
        assertTrue(m.contains("key temperature: -0.5 is negative"), m);
    }

    @Test
    void fractionalTopKIsRejected() throws IOException {
        String m = rejected("{\"top_k\": 2.5}");
        assertTrue(m.contains("key top_k: expected an integer, found 2.5"), m);
    }

    @Test
    void eosGivenAsStringIsRejected() throws IOException {
        String m = rejected("{\"eos_token_id\": [\"<|im_end|>\"]}");
        assertTrue(m.contains("key eos_token_id: expected a number"), m);
    }

    @Test
    void malformedJsonNamesTheFile() throws IOException {
        String m = rejected("{\"do_sample\": tru}");
        assertTrue(m.contains("not valid JSON"), m);
    }
}
