package io.qwen3vl.models.checkpoint;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Strict JSON for checkpoint and config files. Gson's {@code JsonParser} is lenient (it accepts
 * unquoted names, single quotes and trailing garbage), which would let a damaged file through;
 * here the bytes must be valid UTF-8 and the text one strict JSON object.
 */
public final class JsonFiles {
    private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);

    private JsonFiles() {
    }

    /** Reads {@code file} as a JSON object; every failure is a one-line error naming the file. */
    public static JsonObject readObject(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": file not found");
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parseObject(bytes, file.toString());
    }

    /** Parses UTF-8 {@code bytes} as a JSON object; {@code where} starts every error message. */
    public static JsonObject parseObject(byte[] bytes, String where) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(where + ": not valid UTF-8 (" + e.getMessage() + ")", e);
        }
        JsonElement root;
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            root = ELEMENT.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new CheckpointException(where + ": unexpected text after the JSON value at "
                        + reader.getPath());
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CheckpointException c) {
                throw c;
            }
            throw new CheckpointException(where + ": not valid JSON: " + oneLine(e.getMessage()), e);
        }
        if (!root.isJsonObject()) {
            throw new CheckpointException(where + ": expected a JSON object, found " + kind(root));
        }
        return root.getAsJsonObject();
    }

    static String kind(JsonElement e) {
        if (e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        return e.getAsJsonPrimitive().isNumber() ? "a number"
                : e.getAsJsonPrimitive().isBoolean() ? "a boolean" : "a string";
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "parse error";
        }
        // Gson appends a multi-line troubleshooting link; keep the first line only.
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
