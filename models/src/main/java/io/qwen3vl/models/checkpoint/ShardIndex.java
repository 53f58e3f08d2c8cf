package io.qwen3vl.models.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model.safetensors.index.json}: which shard file holds each tensor. Shard names are
 * resolved inside the model folder; a name that leads out of it ({@code ../x}, an absolute path)
 * is refused rather than followed, since the index is data from the internet.
 */
record ShardIndex(Path file, Map<String, Path> shardOf) {
    static ShardIndex read(Path dir, Path file) {
        JsonObject root = JsonFiles.readObject(file);
        JsonElement map = root.get("weight_map");
        if (map == null || !map.isJsonObject()) {
            throw new CheckpointException(file + ": \"weight_map\" must be an object, found "
                    + (map == null ? "nothing" : JsonFiles.kind(map)));
        }
        if (map.getAsJsonObject().size() == 0) {
            throw new CheckpointException(file + ": \"weight_map\" lists no tensors");
        }
        Path folder = dir.toAbsolutePath().normalize();
        Map<String, Path> shardOf = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : map.getAsJsonObject().entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new CheckpointException(file + ": weight_map entry for tensor '" + e.getKey()
                        + "' must be a file name, found " + JsonFiles.kind(v));
            }
            String name = v.getAsString();
            Path shard;
            try {
                shard = folder.resolve(name).normalize();
            } catch (java.nio.file.InvalidPathException ex) {
                throw new CheckpointException(file + ": shard name '" + name + "' (tensor '" + e.getKey()
                        + "') is not a valid path");
            }
            if (!shard.startsWith(folder) || shard.equals(folder)) {
                throw new CheckpointException(file + ": shard '" + name + "' (tensor '" + e.getKey()
                        + "') is outside the model folder " + folder);
            }
            shardOf.put(e.getKey(), shard);
        }
        return new ShardIndex(file, Collections.unmodifiableMap(shardOf));
    }
}
