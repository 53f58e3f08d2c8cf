package io.qwen3vl.models.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.qwen3vl.models.TestData;
import io.qwen3vl.models.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json in the transformers v4 and v5 layouts, tied and untied embeddings, and broken files. */
class ModelConfigTest {
    @TempDir
    Path dir;

    private static JsonObject tinyConfig() throws IOException {
        return JsonParser.parseString(Files.readString(TestData.tinyModel().resolve("config.json"))).getAsJsonObject();
    }

    /** The tiny config after {@code edit}, written to the temp folder and loaded. */
    private ModelConfig loadEdited(Consumer<JsonObject> edit) throws IOException {
        JsonObject config = tinyConfig();
        edit.accept(config);
        Files.writeString(dir.resolve("config.json"), config.toString());
        return ModelConfig.load(dir);
    }

    private String rejectedEdit(Consumer<JsonObject> edit) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> loadEdited(edit));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": "), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    private static JsonObject text(JsonObject config) {
        return config.getAsJsonObject("text_config");
    }

    @Test
    void tinyConfigInTheV4LayoutParses() {
        ModelConfig c = ModelConfig.load(TestData.tinyModel());
        TextConfig t = c.text();
        assertEquals(64, t.hiddenSize());
        assertEquals(4, t.numHiddenLayers());
        assertEquals(4, t.numAttentionHeads());
        assertEquals(2, t.numKeyValueHeads());
        assertEquals(32, t.headDim());
        assertEquals(151936, t.vocabSize());
        assertEquals(5_000_000.0, t.ropeTheta());
        assertArrayEquals(new int[] {6, 5, 5}, t.mropeSection());
        assertTrue(t.mropeInterleaved());
        assertTrue(t.tieWordEmbeddings());
        assertEquals("silu", t.hiddenAct());
        VisionConfig v = c.vision();
        assertEquals(4, v.depth());
        assertEquals(64, v.numPositionEmbeddings());
        assertArrayEquals(new int[] {0, 1, 2}, v.deepstackVisualIndexes());
        assertEquals("gelu_pytorch_tanh", v.hiddenAct());
        assertEquals(151655, c.imageTokenId());
        assertEquals(151652, c.visionStartTokenId());
    }

    @Test
    void v5RopeParametersCarryTheta() throws IOException {
        ModelConfig c = loadEdited(config -> {
            JsonObject t = text(config);
            t.remove("rope_theta");
            t.remove("rope_scaling");
            t.add("rope_parameters", JsonParser.parseString(
                    "{\"rope_type\": \"default\", \"rope_theta\": 1000000, \"mrope_section\": [8, 4, 4],"
                            + " \"mrope_interleaved\": true}"));
        });
        assertEquals(1_000_000.0, c.text().ropeTheta());
        assertArrayEquals(new int[] {8, 4, 4}, c.text().mropeSection());
    }

    @Test
    void topLevelRopeThetaWinsOverRopeParameters() throws IOException {
        // A v4 file re-saved by v5 tooling may have both; they agree in practice, the explicit key is read.
        ModelConfig c = loadEdited(config -> text(config).add("rope_parameters",
                JsonParser.parseString("{\"rope_theta\": 10000, \"mrope_section\": [6, 5, 5]}")));
        assertEquals(5_000_000.0, c.text().ropeTheta());
    }

    @Test
    void untiedEmbeddingsAreReadFromTextConfig() throws IOException {
        ModelConfig c = loadEdited(config -> {
            text(config).addProperty("tie_word_embeddings", false);
            config.remove("tie_word_embeddings");
        });
        assertFalse(c.text().tieWordEmbeddings());
    }

    @Test
    void tiedEmbeddingsAreReadFromTheTopLevel() throws IOException {
        ModelConfig c = loadEdited(config -> {
            text(config).remove("tie_word_embeddings");
            config.addProperty("tie_word_embeddings", true);
        });
        assertTrue(c.text().tieWordEmbeddings());
    }

    @Test
    void untiedWhenNeitherLevelSaysSo() throws IOException {
        ModelConfig c = loadEdited(config -> {
            text(config).remove("tie_word_embeddings");
            config.remove("tie_word_embeddings");
        });
        assertFalse(c.text().tieWordEmbeddings());
    }

    @Test
    void flatConfigWithoutTextConfigParses() throws IOException {
        ModelConfig c = loadEdited(config -> {
            JsonObject t = text(config);
            config.remove("text_config");
            t.entrySet().forEach(e -> config.add(e.getKey(), e.getValue()));
        });
        assertEquals(64, c.text().hiddenSize());
    }

    @Test
    void missingKeyIsNamed() {
        String m = rejectedEdit(config -> text(config).remove("hidden_size"));
        assertTrue(m.contains("missing key text_config.hidden_size"), m);
    }

    @Test
    void missingVisionKeyIsNamed() {
        String m = rejectedEdit(config -> config.getAsJsonObject("vision_config").remove("depth"));
        assertTrue(m.contains("missing key vision_config.depth"), m);
    }

    @Test
    void missingRopeThetaIsNamed() {
        String m = rejectedEdit(config -> text(config).remove("rope_theta"));
        assertTrue(m.contains("rope_theta"), m);
    }

    @Test
    void nonNumericValueIsNamed() {
        String m = rejectedEdit(config -> text(config).addProperty("num_hidden_layers", "four"));
        assertTrue(m.contains("text_config.num_hidden_layers must be a number"), m);
    }

    @Test
    void mropeSectionThatDoesNotFillHalfTheHeadIsRejected() {
        String m = rejectedEdit(config -> text(config).getAsJsonObject("rope_scaling")
                .add("mrope_section", JsonParser.parseString("[6, 5, 4]")));
        assertTrue(m.contains("[6, 5, 4]") && m.contains("head_dim/2 = 16"), m);
    }

    @Test
    void malformedJsonNamesTheFile() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"text_config\": {\"hidden_size\": 64,}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelConfig.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": not valid JSON"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelConfig.load(dir));
        assertEquals(dir.resolve("config.json") + ": file not found", e.getMessage());
    }
}
