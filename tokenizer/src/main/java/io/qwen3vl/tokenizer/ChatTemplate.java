package io.qwen3vl.tokenizer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import io.qwen3vl.tokenizer.jinja.Template;
import io.qwen3vl.tokenizer.jinja.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint's own chat template, rendered like Hugging Face's {@code apply_chat_template}
 * (the template text decides the prompt; nothing about Qwen is hard-coded here). Rendering uses
 * our Jinja-subset interpreter ({@link Template} explains why not Jinjava).
 */
public final class ChatTemplate {
    private static final Gson GSON = new GsonBuilder()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .serializeNulls()
            .create();
    private static final List<String> SPECIAL_TOKENS = List.of("bos_token", "eos_token", "pad_token", "unk_token");

    private final Template template;
    private final Map<String, Object> specialTokens;

    private ChatTemplate(Template template, Map<String, Object> specialTokens) {
        this.template = template;
        this.specialTokens = specialTokens;
    }

    /**
     * Loads the template of a model folder: {@code chat_template.jinja}, else {@code chat_template.json}
     * key "chat_template", else {@code tokenizer_config.json} key "chat_template" (a string, or a list of
     * named templates of which "default" is used). Special tokens ({@code bos_token}, {@code eos_token}...)
     * of {@code tokenizer_config.json} become template variables, as in Hugging Face.
     *
     * @throws TokenizerException naming the file when no template is found, a file is not valid JSON,
     *     or the template uses a construct the interpreter does not support
     */
    public static ChatTemplate load(Path modelDir) {
        Path config = modelDir.resolve("tokenizer_config.json");
        JsonObject tokenizerConfig = Files.isRegularFile(config) ? readObject(config) : new JsonObject();
        Map<String, Object> specialTokens = new HashMap<>();
        for (String key : SPECIAL_TOKENS) {
            JsonElement token = tokenizerConfig.get(key);
            if (token != null && token.isJsonPrimitive()) {
                specialTokens.put(key, token.getAsString());
            } else if (token != null && token.isJsonObject() && token.getAsJsonObject().has("content")) {
                specialTokens.put(key, token.getAsJsonObject().get("content").getAsString());
            }
        }
        Path jinja = modelDir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            return new ChatTemplate(parse(jinja, read(jinja)), specialTokens);
        }
        Path json = modelDir.resolve("chat_template.json");
        if (Files.isRegularFile(json)) {
            return new ChatTemplate(parse(json, templateText(json, readObject(json))), specialTokens);
        }
        if (tokenizerConfig.has("chat_template")) {
            return new ChatTemplate(parse(config, templateText(config, tokenizerConfig)), specialTokens);
        }
        throw new TokenizerException(modelDir, "no chat template (chat_template.jinja, chat_template.json or"
                + " \"chat_template\" in tokenizer_config.json)");
    }

    /** A template given as text; {@code name} is how errors refer to it. */
    public static ChatTemplate of(String name, String source) {
        return new ChatTemplate(Template.parse(name, source), Map.of());
    }

    /**
     * Renders a conversation.
     *
     * @param messages Hugging Face chat messages as JSON-like values: maps with "role" and "content",
     *     content a string or a list of items such as {"type":"text","text":...}, {"type":"image",...}
     * @param addGenerationPrompt whether to end with the opening of an assistant turn
     * @param extraVariables further template variables, e.g. {@code add_vision_id}, {@code tools},
     *     {@code enable_thinking}; they override the defaults
     * @throws TemplateException (one line naming the template) when rendering fails, including the
     *     template's own {@code raise_exception}
     */
    public String render(List<Object> messages, boolean addGenerationPrompt, Map<String, Object> extraVariables) {
        Map<String, Object> variables = new HashMap<>(specialTokens);
        variables.put("messages", messages);
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.put("tools", null);
        variables.put("documents", null);
        variables.putAll(extraVariables);
        return template.render(variables);
    }

    /**
     * Parses a JSON array of chat messages into generic values (Map, List, String, Long/Double,
     * Boolean, null), keeping integers as Long rather than 1.0.
     *
     * @throws IllegalArgumentException when the text is not a JSON array
     */
    public static List<Object> parseMessages(String json) {
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonArray()) {
                throw new IllegalArgumentException("chat messages must be a JSON array");
            }
            return GSON.fromJson(root, new TypeToken<List<Object>>() { }.getType());
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("chat messages are not valid JSON (" + oneLine(e) + ")", e);
        }
    }

    /** {@link #parseMessages(String)} of a file; errors name the file. */
    public static List<Object> parseMessages(Path file) {
        try {
            return parseMessages(read(file));
        } catch (TokenizerException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new TokenizerException(file, e.getMessage(), e);
        }
    }

    private static Template parse(Path file, String source) {
        try {
            return Template.parse(file.toString(), source);
        } catch (TemplateException e) {
            throw new TokenizerException(null, e.getMessage(), e);
        }
    }

    private static String templateText(Path file, JsonObject object) {
        JsonElement value = object.get("chat_template");
        if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return value.getAsString();
        }
        if (value != null && value.isJsonArray()) {
            for (JsonElement named : value.getAsJsonArray()) {
                if (named.isJsonObject() && named.getAsJsonObject().has("name")
                        && "default".equals(named.getAsJsonObject().get("name").getAsString())
                        && named.getAsJsonObject().has("template")) {
                    return named.getAsJsonObject().get("template").getAsString();
                }
            }
            throw new TokenizerException(file, "\"chat_template\" lists no template named \"default\"");
        }
        throw new TokenizerException(file, "no \"chat_template\" string");
    }

    private static JsonObject readObject(Path file) {
        try {
            JsonElement root = JsonParser.parseString(read(file));
            if (!root.isJsonObject()) {
                throw new TokenizerException(file, "not a JSON object");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new TokenizerException(file, "not valid JSON (" + oneLine(e) + ")", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TokenizerException(file, "cannot be read (" + oneLine(e) + ")", e);
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
