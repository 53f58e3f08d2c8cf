package io.qwen3vl.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.qwen3vl.engine.Answer;
import io.qwen3vl.engine.generate.GenerationResult;
import io.qwen3vl.engine.generate.TokenLogprob;
import io.qwen3vl.engine.generate.TopLogprob;
import io.qwen3vl.tokenizer.QwenTokenizer;
import java.util.Locale;
import java.util.Map;

/** The {@code --json} form of an answer, for scripts: one object, stable key names. */
final class AnswerJson {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private AnswerJson() {
    }

    static String of(Answer answer, QwenTokenizer tokenizer) {
        GenerationResult r = answer.result();
        JsonObject o = new JsonObject();
        o.addProperty("text", answer.text());
        o.add("token_ids", ints(r.tokenIds()));
        o.add("prompt_token_ids", ints(r.promptIds()));
        o.addProperty("finish_reason", r.finish().jsonName());
        if (!r.logprobs().isEmpty()) {
            JsonArray lps = new JsonArray();
            for (TokenLogprob lp : r.logprobs()) {
                JsonObject t = new JsonObject();
                t.addProperty("token_id", lp.tokenId());
                t.addProperty("token", tokenizer.decode(new int[] {lp.tokenId()}));
                t.addProperty("logprob", lp.logprob());
                JsonArray top = new JsonArray();
                for (TopLogprob alt : lp.top()) {
                    JsonObject a = new JsonObject();
                    a.addProperty("token_id", alt.tokenId());
                    a.addProperty("token", tokenizer.decode(new int[] {alt.tokenId()}));
                    a.addProperty("logprob", alt.logprob());
                    top.add(a);
                }
                t.add("top_logprobs", top);
                lps.add(t);
            }
            o.add("logprobs", lps);
        } else {
            o.add("logprobs", new JsonArray());
        }
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", r.promptTokens());
        usage.addProperty("completion_tokens", r.generatedTokens());
        usage.addProperty("total_tokens", r.promptTokens() + r.generatedTokens());
        o.add("usage", usage);
        o.add("timings", timings(answer.timings().asMillis(), r));
        return GSON.toJson(o);
    }

    static JsonObject timings(Map<String, Double> phases, GenerationResult r) {
        JsonObject t = new JsonObject();
        phases.forEach((k, v) -> t.addProperty(k + "_ms", Math.round(v * 1000) / 1000.0));
        t.addProperty("decode_tokens_per_s", Math.round(r.decodeTokensPerSecond() * 100) / 100.0);
        return t;
    }

    /** One human line for --stats. */
    static String stats(Answer answer) {
        GenerationResult r = answer.result();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d prompt tokens, %d generated (%s)", r.promptTokens(),
                r.generatedTokens(), r.finish().jsonName()));
        answer.timings().asMillis().forEach((k, v) -> sb.append(String.format(Locale.ROOT, ", %s %.0f ms", k, v)));
        sb.append(String.format(Locale.ROOT, ", %.2f tokens/s", r.decodeTokensPerSecond()));
        return sb.toString();
    }

    static JsonArray ints(int[] values) {
        JsonArray a = new JsonArray();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }
}
