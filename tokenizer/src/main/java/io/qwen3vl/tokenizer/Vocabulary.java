package io.qwen3vl.tokenizer;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The id ↔ token tables of a byte-level BPE {@code tokenizer.json}: each id's raw bytes (for
 * decoding and streaming) and the added/special tokens by content. Read with a streaming JSON
 * reader that skips the merges, so loading stays cheap.
 */
final class Vocabulary {
    private static final byte[] NONE = new byte[0];

    private final byte[][] bytesById;
    private final Map<String, Integer> addedTokens;

    private Vocabulary(byte[][] bytesById, Map<String, Integer> addedTokens) {
        this.bytesById = bytesById;
        this.addedTokens = addedTokens;
    }

    static Vocabulary read(Path file) {
        Map<String, Integer> vocab = null;
        Map<String, Integer> added = new HashMap<>();
        String modelType = null;
        String decoderType = null;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                JsonReader json = new JsonReader(in)) {
            json.beginObject();
            while (json.hasNext()) {
                String key = json.nextName();
                if (key.equals("model") && json.peek() == JsonToken.BEGIN_OBJECT) {
                    json.beginObject();
                    while (json.hasNext()) {
                        String modelKey = json.nextName();
                        if (modelKey.equals("vocab") && json.peek() == JsonToken.BEGIN_OBJECT) {
                            vocab = readVocab(json);
                        } else if (modelKey.equals("type") && json.peek() == JsonToken.STRING) {
                            modelType = json.nextString();
                        } else {
                            json.skipValue();
                        }
                    }
                    json.endObject();
                } else if (key.equals("added_tokens") && json.peek() == JsonToken.BEGIN_ARRAY) {
                    readAddedTokens(json, added);
                } else if (key.equals("decoder") && json.peek() == JsonToken.BEGIN_OBJECT) {
                    decoderType = readType(json);
                } else {
                    json.skipValue();
                }
            }
            json.endObject();
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file, "not found");
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new TokenizerException(file, "not a valid tokenizer.json (" + oneLine(e) + ")", e);
        }
        if (vocab == null || vocab.isEmpty()) {
            throw new TokenizerException(file, "no model.vocab");
        }
        if (!"BPE".equals(modelType) || !"ByteLevel".equals(decoderType)) {
            throw new TokenizerException(file, "not a byte-level BPE tokenizer (model " + modelType
                    + ", decoder " + decoderType + ")");
        }
        int size = 0;
        for (int id : vocab.values()) {
            size = Math.max(size, id + 1);
        }
        for (int id : added.values()) {
            size = Math.max(size, id + 1);
        }
        byte[][] bytesById = new byte[size][];
        vocab.forEach((token, id) -> bytesById[id] = ByteLevel.tokenBytes(token));
        // Added tokens win over the model vocabulary, as in Hugging Face's id_to_token.
        added.forEach((content, id) -> bytesById[id] = ByteLevel.tokenBytes(content));
        return new Vocabulary(bytesById, Map.copyOf(added));
    }

    private static Map<String, Integer> readVocab(JsonReader json) throws IOException {
        Map<String, Integer> vocab = new HashMap<>(300_000);
        json.beginObject();
        while (json.hasNext()) {
            String token = json.nextName();
            int id = json.nextInt();
            if (id < 0) {
                throw new IllegalStateException("negative id " + id + " for token " + token);
            }
            vocab.put(token, id);
        }
        json.endObject();
        return vocab;
    }

    private static void readAddedTokens(JsonReader json, Map<String, Integer> added) throws IOException {
        json.beginArray();
        while (json.hasNext()) {
            json.beginObject();
            Integer id = null;
            String content = null;
            while (json.hasNext()) {
                String key = json.nextName();
                if (key.equals("id")) {
                    id = json.nextInt();
                } else if (key.equals("content")) {
                    content = json.nextString();
                } else {
                    json.skipValue();
                }
            }
            json.endObject();
            if (id == null || content == null || id < 0) {
                throw new IllegalStateException("added token without id or content");
            }
            added.put(content, id);
        }
        json.endArray();
    }

    private static String readType(JsonReader json) throws IOException {
        String type = null;
        json.beginObject();
        while (json.hasNext()) {
            if (json.nextName().equals("type") && json.peek() == JsonToken.STRING) {
                type = json.nextString();
            } else {
                json.skipValue();
            }
        }
        json.endObject();
        return type;
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    /** The raw bytes of a token; empty for ids the tokenizer does not know (Hugging Face skips them). */
    byte[] bytes(int id) {
        if (id < 0 || id >= bytesById.length || bytesById[id] == null) {
            return NONE;
        }
        return bytesById[id];
    }

    /** Id of an added (special) token, or null. */
    Integer addedTokenId(String content) {
        return addedTokens.get(content);
    }

    /** Ids 0..size-1 cover every token of the file. */
    int size() {
        return bytesById.length;
    }
}
