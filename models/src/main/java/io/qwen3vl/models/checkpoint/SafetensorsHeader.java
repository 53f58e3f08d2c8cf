package io.qwen3vl.models.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validated JSON header of one safetensors file: every tensor entry is checked on its own
 * (keys, dtype, integer shape and offsets, size against byte range) and then all ranges together
 * ({@link TensorLayout}), so a damaged file fails here with a message instead of later in native code.
 */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    static final String METADATA_KEY = "__metadata__";
    private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("[0-9]+");

    static SafetensorsHeader parse(Path path, byte[] json, long dataLength) {
        JsonObject header = JsonFiles.parseObject(json, path + ": header");
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                readMetadata(path, e.getValue(), metadata);
            } else {
                tensors.put(e.getKey(), tensorInfo(path, e.getKey(), e.getValue(), dataLength));
            }
        }
        TensorLayout.checkTiling(path, tensors.values(), dataLength);
        return new SafetensorsHeader(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(Path path, JsonElement value, Map<String, String> out) {
        // The reference reads __metadata__ as a string-to-string map and refuses anything else.
        if (!value.isJsonObject()) {
            throw new CheckpointException(path + ": " + METADATA_KEY + " must be an object, found "
                    + JsonFiles.kind(value));
        }
        for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
            JsonElement v = m.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new CheckpointException(path + ": " + METADATA_KEY + " key '" + m.getKey()
                        + "' must be a string, found " + JsonFiles.kind(v));
            }
            out.put(m.getKey(), v.getAsString());
        }
    }

    private static TensorInfo tensorInfo(Path path, String name, JsonElement value, long dataLength) {
        String where = path + ": tensor '" + name + "'";
        if (!value.isJsonObject()) {
            throw new CheckpointException(where + ": entry must be an object, found " + JsonFiles.kind(value));
        }
        JsonObject o = value.getAsJsonObject();
        for (String key : new String[] {"dtype", "shape", "data_offsets"}) {
            if (!o.has(key)) {
                throw new CheckpointException(where + ": entry has no '" + key + "'");
            }
        }
        DType dtype = dtype(where, o.get("dtype"));
        long[] shape = integers(where, "shape", o.get("shape"), -1);
        long[] offsets = integers(where, "data_offsets", o.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new CheckpointException(where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > dataLength) {
            throw new CheckpointException(where + ": byte range [" + begin + ", " + end
                    + ") is outside the data section (" + dataLength + " bytes)");
        }
        long expected = byteSize(where, shape, dtype);
        if (end - begin != expected) {
            throw new CheckpointException(where + ": shape " + Arrays.toString(shape) + " x " + dtype
                    + " needs " + expected + " bytes but data_offsets hold " + (end - begin));
        }
        return new TensorInfo(name, path, dtype, shape, begin, end);
    }

    private static DType dtype(String where, JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new CheckpointException(where + ": dtype must be a string, found " + JsonFiles.kind(e));
        }
        DType dtype = DType.parse(e.getAsString());
        if (dtype == null) {
            throw new CheckpointException(where + ": unknown dtype \"" + e.getAsString() + "\"");
        }
        return dtype;
    }

    /** An array of non-negative integers ({@code length} -1: any length), as the format's u64 lists. */
    private static long[] integers(String where, String key, JsonElement e, int length) {
        if (!e.isJsonArray()) {
            throw new CheckpointException(where + ": " + key + " must be an array, found " + JsonFiles.kind(e));
        }
        JsonArray a = e.getAsJsonArray();
        if (length >= 0 && a.size() != length) {
            throw new CheckpointException(where + ": " + key + " must have " + length + " entries, found " + a.size());
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(where, key, a.get(i));
        }
        return out;
    }

    private static long nonNegative(String where, String key, JsonElement e) {
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
            throw new CheckpointException(where + ": " + key + " holds " + JsonFiles.kind(e) + " " + e
                    + ", not an integer");
        }
        // The parsed number keeps its literal text: "2.0", "1e3" and "-1" are all refused, as serde's
        // u64 refuses them, instead of being truncated or wrapped by getAsLong.
        String literal = e.getAsString();
        if (literal.startsWith("-")) {
            throw new CheckpointException(where + ": " + key + " holds negative value " + literal);
        }
        if (!NON_NEGATIVE_INTEGER.matcher(literal).matches()) {
            throw new CheckpointException(where + ": " + key + " holds " + literal + ", not an integer");
        }
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException ex) {
            throw new CheckpointException(where + ": " + key + " value " + literal + " is too large");
        }
    }

    private static long byteSize(String where, long[] shape, DType dtype) {
        try {
            long n = dtype.bytes();
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        } catch (ArithmeticException ex) {
            throw new CheckpointException(where + ": shape " + Arrays.toString(shape) + " overflows a 64-bit size");
        }
    }
}
