package io.qwen3vl.models.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: writes safetensors files, valid ones from tensors and broken ones from raw parts. */
final class SafetensorsWriter {
    private record Tensor(String dtype, long[] shape, byte[] data) {
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    SafetensorsWriter add(String name, String dtype, long[] shape, byte[] data) {
        tensors.put(name, new Tensor(dtype, shape, data));
        return this;
    }

    SafetensorsWriter addFloats(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return add(name, "F32", shape, b.array());
    }

    /** The header as written: tensors in insertion order, data packed in the same order. */
    JsonObject header() {
        JsonObject header = new JsonObject();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", e.getValue().dtype());
            JsonArray shape = new JsonArray();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += e.getValue().data().length;
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            header.add(e.getKey(), entry);
        }
        return header;
    }

    byte[] data() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tensors.values().forEach(t -> out.writeBytes(t.data()));
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        return writeRaw(file, header().toString(), data());
    }

    /** Writes a file from a header text (length prefix computed) and data bytes. */
    static Path writeRaw(Path file, String headerJson, byte[] data) throws IOException {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return writeRaw(file, header.length, header, data);
    }

    /** Writes a file with an arbitrary (possibly lying) header length prefix. */
    static Path writeRaw(Path file, long headerLength, byte[] header, byte[] data) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(headerLength).put(header).put(data);
        Files.write(file, out.array());
        return file;
    }
}
