package io.qwen3vl.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import io.qwen3vl.models.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint split into shards + index loads exactly like the single file; broken indexes are refused. */
class ShardedCheckpointTest {
    private static final int SHARDS = 3;

    @TempDir
    Path dir;

    /** Splits the tiny checkpoint round-robin into three shards with an index, like save_pretrained does. */
    private Path writeShardedTinyModel() throws IOException {
        JsonObject weightMap = new JsonObject();
        try (Checkpoint single = Checkpoint.open(TestData.tinyModel())) {
            List<SafetensorsWriter> writers = new ArrayList<>();
            for (int s = 0; s < SHARDS; s++) {
                writers.add(new SafetensorsWriter());
            }
            int i = 0;
            for (String name : single.names()) {
                int s = i++ % SHARDS;
                TensorInfo info = single.info(name);
                ByteBuffer bytes = single.bytes(name);
                byte[] data = new byte[bytes.remaining()];
                bytes.get(data);
                writers.get(s).add(name, info.dtype().name(), info.shape(), data);
                weightMap.addProperty(name, shardName(s));
            }
            for (int s = 0; s < SHARDS; s++) {
                writers.get(s).write(dir.resolve(shardName(s)));
            }
        }
        writeIndex(weightMap);
        return dir;
    }

    private static String shardName(int s) {
        return String.format("model-%05d-of-%05d.safetensors", s + 1, SHARDS);
    }

    private void writeIndex(JsonObject weightMap) throws IOException {
        JsonObject index = new JsonObject();
        index.add("metadata", new JsonObject());
        index.add("weight_map", weightMap);
        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), index.toString());
    }

    private String rejected() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir).close());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void shardedCheckpointLoadsEveryTensorLikeTheSingleFile() throws IOException {
        writeShardedTinyModel();
        try (Checkpoint single = Checkpoint.open(TestData.tinyModel());
             Checkpoint sharded = Checkpoint.open(dir);
             NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertEquals(single.names(), sharded.names());
            for (String name : single.names()) {
                TensorInfo a = single.info(name);
                TensorInfo b = sharded.info(name);
                assertEquals(a.dtype(), b.dtype(), name);
                assertArrayEquals(a.shape(), b.shape(), name);
                assertEquals(single.bytes(name), sharded.bytes(name), name + " raw bytes");
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = single.load(name, scope, DataType.FLOAT32);
                    NDArray y = sharded.load(name, scope, DataType.FLOAT32);
                    assertArrayEquals(x.toFloatArray(), y.toFloatArray(), name + " as fp32");
                }
            }
        }
    }

    @Test
    void indexPointingAtAMissingShardIsRejected() throws IOException {
        writeShardedTinyModel();
        Files.delete(dir.resolve(shardName(1)));
        assertMentions(rejected(), Checkpoint.INDEX_FILE, "shard '" + shardName(1) + "'", "does not exist");
    }

    @Test
    void tensorMissingFromItsShardIsRejected() throws IOException {
        new SafetensorsWriter().addFloats("present", new long[] {1}, 1f).write(dir.resolve("a.safetensors"));
        JsonObject map = new JsonObject();
        map.addProperty("present", "a.safetensors");
        map.addProperty("absent", "a.safetensors");
        writeIndex(map);
        assertMentions(rejected(), "a.safetensors: tensor 'absent'", "is not in this shard");
    }

    @Test
    void indexThatIsNotJsonIsRejected() throws IOException {
        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), "{\"weight_map\": {");
        assertMentions(rejected(), Checkpoint.INDEX_FILE, "not valid JSON");
    }

    @Test
    void indexWithoutWeightMapIsRejected() throws IOException {
        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), "{\"metadata\": {}}");
        assertMentions(rejected(), Checkpoint.INDEX_FILE, "\"weight_map\" must be an object, found nothing");
    }

    @Test
    void indexWithNonStringShardNameIsRejected() throws IOException {
        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), "{\"weight_map\": {\"w\": 3}}");
        assertMentions(rejected(), "tensor 'w'", "must be a file name, found a number");
    }

    @Test
    void shardPathEscapingTheFolderIsRejected() throws IOException {
        Path inner = Files.createDirectories(dir.resolve("model"));
        new SafetensorsWriter().addFloats("w", new long[] {1}, 1f).write(dir.resolve("outside.safetensors"));
        JsonObject map = new JsonObject();
        map.addProperty("w", "../outside.safetensors");
        Files.writeString(inner.resolve(Checkpoint.INDEX_FILE), "{\"weight_map\": " + map + "}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(inner).close());
        assertMentions(e.getMessage(), "shard '../outside.safetensors'", "outside the model folder");
    }

    @Test
    void absoluteShardPathIsRejected() throws IOException {
        Path elsewhere = new SafetensorsWriter().addFloats("w", new long[] {1}, 1f)
                .write(Files.createTempFile(dir, "abs", ".safetensors"));
        Path inner = Files.createDirectories(dir.resolve("model"));
        JsonObject map = new JsonObject();
        map.addProperty("w", elsewhere.toAbsolutePath().toString());
        Files.writeString(inner.resolve(Checkpoint.INDEX_FILE), "{\"weight_map\": " + map + "}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(inner).close());
        assertMentions(e.getMessage(), "outside the model folder");
    }

    @Test
    void folderWithoutWeightsIsRejected() {
        assertMentions(rejected(), "no model.safetensors or model.safetensors.index.json");
    }

    @Test
    void missingTensorNamesTheTensor() throws IOException {
        try (Checkpoint ckpt = Checkpoint.open(TestData.tinyModel())) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> ckpt.info("model.nope.weight"));
            assertMentions(e.getMessage(), "tensor 'model.nope.weight' is missing");
        }
    }
}
