package io.qwen3vl.models.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.qwen3vl.models.checkpoint.CheckpointException;
import io.qwen3vl.models.checkpoint.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Decoding defaults from a model folder's optional {@code generation_config.json}. Keys the file
 * leaves out take transformers' defaults (greedy, temperature 1, top-k 50, top-p 1, no penalties);
 * when the file is absent the EOS id comes from {@code config.json}, as transformers'
 * {@code GenerationConfig.from_model_config} does, so that generation still stops.
 *
 * @param eosTokenIds      token ids that end generation (the Instruct checkpoints list two)
 * @param doSample         false: greedy (argmax) decoding and the sampling knobs are ignored
 * @param topK             0 disables top-k
 * @param presencePenalty  0 disables it (Qwen recommends 1.5 for the Instruct models)
 * @param maxNewTokens     empty when the file sets no limit: the caller decides
 */
public record GenerationConfig(
        int[] eosTokenIds,
        OptionalInt bosTokenId,
        OptionalInt padTokenId,
        boolean doSample,
        double temperature,
        int topK,
        double topP,
        double repetitionPenalty,
        double presencePenalty,
        OptionalInt maxNewTokens) {

    public static final String FILE = "generation_config.json";

    public GenerationConfig {
        eosTokenIds = eosTokenIds.clone();
    }

    /** Greedy decoding with no EOS ids known: what a folder without either JSON file gives. */
    public static GenerationConfig defaults() {
        return new GenerationConfig(new int[0], OptionalInt.empty(), OptionalInt.empty(), false,
                1.0, 50, 1.0, 1.0, 0.0, OptionalInt.empty());
    }

    public static GenerationConfig load(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            return parse(file, JsonFiles.readObject(file));
        }
        Path modelConfig = modelDir.resolve(ModelConfig.FILE);
        if (!Files.isRegularFile(modelConfig)) {
            return defaults();
        }
        JsonObject config = JsonFiles.readObject(modelConfig);
        Reader top = new Reader(modelConfig, config, "");
        int[] eos = top.tokenIds("eos_token_id");
        if (eos.length == 0 && config.has("text_config") && config.get("text_config").isJsonObject()) {
            eos = new Reader(modelConfig, config.getAsJsonObject("text_config"), "text_config.").tokenIds("eos_token_id");
        }
        GenerationConfig d = defaults();
        return new GenerationConfig(eos, d.bosTokenId(), d.padTokenId(), d.doSample(), d.temperature(), d.topK(),
                d.topP(), d.repetitionPenalty(), d.presencePenalty(), d.maxNewTokens());
    }

    static GenerationConfig parse(Path file, JsonObject json) {
        Reader r = new Reader(file, json, "");
        GenerationConfig d = defaults();
        double temperature = r.real("temperature", d.temperature());
        double topP = r.real("top_p", d.topP());
        double repetition = r.real("repetition_penalty", d.repetitionPenalty());
        if (temperature < 0) {
            throw r.invalid("temperature", temperature + " is negative");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw r.invalid("top_p", topP + " is outside (0, 1]");
        }
        if (!(repetition > 0)) {
            throw r.invalid("repetition_penalty", repetition + " must be positive");
        }
        OptionalInt maxNew = r.optionalInt("max_new_tokens");
        if (maxNew.isPresent() && maxNew.getAsInt() <= 0) {
            throw r.invalid("max_new_tokens", maxNew.getAsInt() + " must be positive");
        }
        return new GenerationConfig(
                r.tokenIds("eos_token_id"),
                r.optionalInt("bos_token_id"),
                r.optionalInt("pad_token_id"),
                r.bool("do_sample", d.doSample()),
                temperature,
                r.nonNegativeInt("top_k", d.topK()),
                topP,
                repetition,
                r.real("presence_penalty", d.presencePenalty()),
                maxNew);
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationConfig g && Arrays.equals(eosTokenIds, g.eosTokenIds)
                && bosTokenId.equals(g.bosTokenId) && padTokenId.equals(g.padTokenId) && doSample == g.doSample
                && temperature == g.temperature && topK == g.topK && topP == g.topP
                && repetitionPenalty == g.repetitionPenalty && presencePenalty == g.presencePenalty
                && maxNewTokens.equals(g.maxNewTokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(eosTokenIds) * 31 + java.util.Objects.hash(bosTokenId, padTokenId, doSample,
                temperature, topK, topP, repetitionPenalty, presencePenalty, maxNewTokens);
    }

    @Override
    public String toString() {
        return "GenerationConfig[eos=" + Arrays.toString(eosTokenIds) + ", bos=" + bosTokenId + ", pad=" + padTokenId
                + ", doSample=" + doSample + ", temperature=" + temperature + ", topK=" + topK + ", topP=" + topP
                + ", repetitionPenalty=" + repetitionPenalty + ", presencePenalty=" + presencePenalty
                + ", maxNewTokens=" + maxNewTokens + "]";
    }

    /** Typed optional keys; JSON null counts as absent, as in transformers. */
    private record Reader(Path file, JsonObject json, String prefix) {
        private JsonElement value(String key) {
            JsonElement e = json.get(key);
            return e == null || e.isJsonNull() ? null : e;
        }

        CheckpointException invalid(String key, String why) {
            return new CheckpointException(file + ": key " + prefix + key + ": " + why);
        }

        private JsonPrimitive number(String key, JsonElement e) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw invalid(key, "expected a number, found " + e);
            }
            return e.getAsJsonPrimitive();
        }

        private int integer(String key, JsonElement e) {
            double v = number(key, e).getAsDouble();
            if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw invalid(key, "expected an integer, found " + e);
            }
            return (int) v;
        }

        double real(String key, double fallback) {
            JsonElement e = value(key);
            return e == null ? fallback : number(key, e).getAsDouble();
        }

        boolean bool(String key, boolean fallback) {
            JsonElement e = value(key);
            if (e == null) {
                return fallback;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw invalid(key, "expected true or false, found " + e);
            }
            return e.getAsBoolean();
        }

        OptionalInt optionalInt(String key) {
            JsonElement e = value(key);
            return e == null ? OptionalInt.empty() : OptionalInt.of(integer(key, e));
        }

        int nonNegativeInt(String key, int fallback) {
            JsonElement e = value(key);
            int v = e == null ? fallback : integer(key, e);
            if (v < 0) {
                throw invalid(key, v + " is negative");
            }
            return v;
        }

        /** One id or a list of ids (both forms occur in real files). */
        int[] tokenIds(String key) {
            JsonElement e = value(key);
            if (e == null) {
                return new int[0];
            }
            JsonArray list = new JsonArray();
            if (e.isJsonArray()) {
                list = e.getAsJsonArray();
            } else {
                list.add(e);
            }
            int[] ids = new int[list.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = integer(key, list.get(i));
                if (ids[i] < 0) {
                    throw invalid(key, "token id " + ids[i] + " is negative");
                }
            }
            return ids;
        }
    }
}
