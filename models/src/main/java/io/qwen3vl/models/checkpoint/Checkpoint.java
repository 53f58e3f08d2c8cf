package io.qwen3vl.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of a Hugging Face model folder: either one {@code model.safetensors} or the shards
 * listed by {@code model.safetensors.index.json}. Tensors are loaded by name into NDArrays of the
 * run's compute dtype; BF16 never reaches DJL (it aborts the JVM) and is widened in Java instead.
 */
public final class Checkpoint implements WeightSource {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path dir;
    private final List<SafetensorsFile> files;
    private final Map<String, TensorInfo> tensors;
    private final Map<Path, SafetensorsFile> byPath;
    private final TensorLoader loader = new TensorLoader(TensorLoader.DEFAULT_MAX_CHUNK_BYTES);

    private Checkpoint(Path dir, List<SafetensorsFile> files, Map<String, TensorInfo> tensors) {
        this.dir = dir;
        this.files = files;
        this.tensors = tensors;
        this.byPath = new HashMap<>();
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

    private static Checkpoint openSharded(Path dir, Path indexFile) {
        ShardIndex index = ShardIndex.read(dir, indexFile);
        Map<Path, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : index.shardOf().entrySet()) {
                Path shardPath = e.getValue();
                SafetensorsFile shard = shards.get(shardPath);
                if (shard == null) {
                    if (!Files.isRegularFile(shardPath)) {
                        throw new CheckpointException(indexFile + ": shard '" + dir.toAbsolutePath().normalize()
                                .relativize(shardPath) + "' (for tensor '" + e.getKey() + "') does not exist");
                    }
                    shard = SafetensorsFile.open(shardPath);
                    shards.put(shardPath, shard);
                }
                TensorInfo info = shard.tensors().get(e.getKey());
                if (info == null) {
                    throw new CheckpointException(shardPath + ": tensor '" + e.getKey()
                            + "' listed in " + INDEX_FILE + " is not in this shard");
                }
                tensors.put(e.getKey(), info);
            }
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new Checkpoint(dir, new ArrayList<>(shards.values()), tensors);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    @Override
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

    /** The raw little-endian bytes of a tensor, as a read-only view of the mapped file (at most 2 GiB). */
    public ByteBuffer bytes(String name) {
        TensorInfo info = info(name);
        return byPath.get(info.file()).bytes(info);
    }

    /**
     * Loads a tensor as an NDArray of {@code target} (FLOAT32 or FLOAT16) owned by {@code manager}.
     * BF16 is converted in Java (DJL must never see it); F16 and F32 are converted when they differ
     * from the target. A tensor already stored in the target dtype is wrapped without copying: the
     * result is backed by the read-only mapping and must never be modified in place (SIGSEGV).
     * Tensors larger than one ByteBuffer (2 GiB) are converted in chunks.
     */
    @Override
    public NDArray load(String name, NDManager manager, DataType target) {
        TensorInfo info = info(name);
        return loader.load(byPath.get(info.file()), info, manager, target);
    }

    /** The open file that holds {@code info}, for tests that drive a {@link TensorLoader} directly. */
    SafetensorsFile file(TensorInfo info) {
        return byPath.get(info.file());
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
