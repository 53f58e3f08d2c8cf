package io.qwen3vl.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of a Hugging Face model folder: either one {@code model.safetensors} or the shards
 * listed by {@code model.safetensors.index.json}. Tensors are loaded by name into NDArrays of the
 * run's compute dtype; BF16 never reaches DJL (it aborts the JVM) and is widened in Java instead.
 */
public final class Checkpoint implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path dir;
    private final List<SafetensorsFile> files;
    private final Map<String, TensorInfo> tensors;
    private final Map<Path, SafetensorsFile> byPath;

    private Checkpoint(Path dir, List<SafetensorsFile> files, Map<String, TensorInfo> tensors) {
        this.dir = dir;
        this.files = files;
        this.tensors = tensors;
        this.byPath = new LinkedHashMap<>();
        for (SafetensorsFile f : files) {
            byPath.put(f.path(), f);
        }
    }

    public static Checkpoint open(Path dir) {
        Path index = dir.resolve(INDEX_FILE);
        Path single = dir.resolve(SINGLE_FILE);
        if (Files.isRegularFile(index)) {
            return openSharded(dir, index);
        }
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            return new Checkpoint(dir, List.of(file), new LinkedHashMap<>(file.tensors()));
        }
        throw new CheckpointException(dir + ": no " + SINGLE_FILE + " or " + INDEX_FILE + " in the model folder");
    }

    private static Checkpoint openSharded(Path dir, Path index) {
        JsonObject weightMap;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(index));
            if (!root.isJsonObject() || !root.getAsJsonObject().has("weight_map")
                    || !root.getAsJsonObject().get("weight_map").isJsonObject()) {
                throw new CheckpointException(index + ": no \"weight_map\" object");
            }
            weightMap = root.getAsJsonObject().getAsJsonObject("weight_map");
        } catch (IOException e) {
            throw new CheckpointException(index + ": cannot read: " + e.getMessage(), e);
        } catch (com.google.gson.JsonParseException e) {
            throw new CheckpointException(index + ": not valid JSON: " + e.getMessage(), e);
        }
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            for (Map.Entry<String, JsonElement> e : weightMap.entrySet()) {
                String shardName = e.getValue().getAsString();
                Path shardPath = dir.resolve(shardName).normalize();
                if (!shardPath.startsWith(dir.normalize())) {
                    throw new CheckpointException(index + ": shard '" + shardName + "' is outside the model folder");
                }
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    if (!Files.isRegularFile(shardPath)) {
                        throw new CheckpointException(index + ": shard '" + shardName + "' (for tensor '"
                                + e.getKey() + "') does not exist");
                    }
                    shard = SafetensorsFile.open(shardPath);
                    shards.put(shardName, shard);
                    opened.add(shard);
                }
                TensorInfo info = shard.tensors().get(e.getKey());
                if (info == null) {
                    throw new CheckpointException(shardPath + ": tensor '" + e.getKey()
                            + "' listed in " + INDEX_FILE + " is not in this shard");
                }
                tensors.put(e.getKey(), info);
            }
        } catch (RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
        return new Checkpoint(dir, opened, tensors);
    }

    public Path dir() {
        return dir;
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new CheckpointException(dir + ": tensor '" + name + "' is missing from the checkpoint");
        }
        return info;
    }

    /** The raw little-endian bytes of a tensor, as a read-only view of the mapped file. */
    public ByteBuffer bytes(String name) {
        TensorInfo info = info(name);
        return byPath.get(info.file()).bytes(info);
    }

    /**
     * Loads a tensor as an NDArray of {@code target} (FLOAT32 or FLOAT16) owned by {@code manager}.
     * A tensor already stored in the target dtype is wrapped without copying: the result is backed
     * by the read-only mapping and must never be modified in place.
     */
    public NDArray load(String name, NDManager manager, DataType target) {
        TensorInfo info = info(name);
        Shape shape = new Shape(info.shape());
        ByteBuffer src = bytes(name);
        if (target != DataType.FLOAT32 && target != DataType.FLOAT16) {
            throw new IllegalArgumentException("compute dtype must be FLOAT32 or FLOAT16, not " + target);
        }
        if ((info.dtype() == DType.F32 && target == DataType.FLOAT32)
                || (info.dtype() == DType.F16 && target == DataType.FLOAT16)) {
            return manager.create(src, shape, target);
        }
        // create(shape) is uninitialised native memory; toByteBuffer(true) is a direct view of it.
        NDArray out = manager.create(shape, target);
        FloatConversion.convert(info, src, out.toByteBuffer(true), target == DataType.FLOAT32);
        return out;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
