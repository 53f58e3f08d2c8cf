package io.qwen3vl.models.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One memory-mapped {@code .safetensors} file. The header is read and validated on open; tensor
 * bytes are served as read-only little-endian slices of the mapping, never copied.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Same bound as the reference implementation: a header larger than this is refused. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** One mapping may cover at most this many bytes (a Java ByteBuffer limit). */
    private static final long MAX_CHUNK = Integer.MAX_VALUE;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final long dataLength;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, long dataLength,
                            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.dataLength = dataLength;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot open: " + e.getMessage(), e);
        }
        try {
            return parse(path, channel);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static SafetensorsFile parse(Path path, FileChannel channel) {
        try {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointException(path + ": too short to be a safetensors file (" + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES) {
                throw new CheckpointException(path + ": header length " + headerLen
                        + " is outside 1.." + MAX_HEADER_BYTES + " bytes");
            }
            if (8 + headerLen > size) {
                throw new CheckpointException(path + ": header length " + headerLen
                        + " runs past the end of the file (" + size + " bytes)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            while (headerBuf.hasRemaining()) {
                if (channel.read(headerBuf, 8 + headerBuf.position()) < 0) {
                    throw new CheckpointException(path + ": truncated header");
                }
            }
            String json = new String(headerBuf.array(), StandardCharsets.UTF_8);
            JsonObject header;
            try {
                JsonElement parsed = JsonParser.parseString(json);
                if (!parsed.isJsonObject()) {
                    throw new CheckpointException(path + ": header is not a JSON object");
                }
                header = parsed.getAsJsonObject();
            } catch (com.google.gson.JsonParseException e) {
                throw new CheckpointException(path + ": header is not valid JSON: " + e.getMessage(), e);
            }
            long dataStart = 8 + headerLen;
            long dataLength = size - dataStart;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    if (e.getValue().isJsonObject()) {
                        e.getValue().getAsJsonObject().entrySet()
                                .forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
                    }
                    continue;
                }
                tensors.put(e.getKey(), tensorInfo(path, e.getKey(), e.getValue(), dataLength));
            }
            TensorLayout.checkRanges(path, tensors.values(), dataLength);
            return new SafetensorsFile(path, channel, dataStart, dataLength,
                    Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static TensorInfo tensorInfo(Path path, String name, JsonElement value, long dataLength) {
        String where = path + ": tensor '" + name + "'";
        if (!value.isJsonObject()) {
            throw new CheckpointException(where + ": entry is not a JSON object");
        }
        JsonObject o = value.getAsJsonObject();
        if (!o.has("dtype") || !o.has("shape") || !o.has("data_offsets")) {
            throw new CheckpointException(where + ": needs dtype, shape and data_offsets");
        }
        DType dtype = DType.parse(o.get("dtype").getAsString());
        if (dtype == null) {
            throw new CheckpointException(where + ": unknown dtype " + o.get("dtype"));
        }
        JsonArray shapeJson = o.getAsJsonArray("shape");
        long[] shape = new long[shapeJson.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeJson.get(i).getAsLong();
            if (shape[i] < 0) {
                throw new CheckpointException(where + ": negative dimension " + shape[i]);
            }
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException ex) {
                throw new CheckpointException(where + ": shape overflows");
            }
        }
        JsonArray offsets = o.getAsJsonArray("data_offsets");
        if (offsets.size() != 2) {
            throw new CheckpointException(where + ": data_offsets must have two entries");
        }
        long begin = offsets.get(0).getAsLong();
        long end = offsets.get(1).getAsLong();
        if (begin < 0 || end < begin || end > dataLength) {
            throw new CheckpointException(where + ": byte range [" + begin + ", " + end
                    + ") is outside the data section (" + dataLength + " bytes)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(count, dtype.bytes());
        } catch (ArithmeticException ex) {
            throw new CheckpointException(where + ": shape overflows");
        }
        if (end - begin != expected) {
            throw new CheckpointException(where + ": shape " + java.util.Arrays.toString(shape) + " x " + dtype
                    + " needs " + expected + " bytes but the byte range holds " + (end - begin));
        }
        return new TensorInfo(name, path, dtype, shape, begin, end);
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor's bytes as a read-only little-endian view of the file mapping. */
    public ByteBuffer bytes(TensorInfo info) {
        long length = info.end() - info.begin();
        if (length > MAX_CHUNK) {
            throw new CheckpointException(path + ": tensor '" + info.name() + "' is " + length
                    + " bytes, more than one mapping can hold");
        }
        try {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), length);
            return map.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot map tensor '" + info.name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: the mapping stays valid until unreachable
        }
    }
}
