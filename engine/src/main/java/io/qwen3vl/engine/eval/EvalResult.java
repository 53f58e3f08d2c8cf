package io.qwen3vl.engine.eval;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.qwen3vl.engine.batch.ErrorInfo;

/**
 * One line of {@code eval} results:
 * <pre>
 * {"id": "q1", "task": "choice", "answer": "The answer is (B).", "expected": "B", "correct": true,
 *  "parsed": "B", "latency_ms": 812.4, "prompt_tokens": 300, "completion_tokens": 7, "decode_ms": 120.2}
 * {"id": "q2", "task": "time", "error": {"type": "MediaException", "message": "..."}}
 * </pre>
 * plus {@code f1}, {@code abs_error_s}, {@code iou} where they apply and the item's {@code meta}.
 */
public record EvalResult(String id, Expected.Task task, String answer, String expected, Score score, Usage usage,
        JsonObject meta, JsonObject error) {

    /**
     * What answering cost.
     *
     * @param latencyMs whole item: preprocessing, prefill and decoding
     * @param promptTokens tokens in the prompt (media included)
     * @param completionTokens tokens generated
     * @param decodeMs time spent generating the completion tokens (for tokens/s)
     */
    public record Usage(double latencyMs, int promptTokens, int completionTokens, double decodeMs) {
    }

    /** Scores a model's answer. */
    public static EvalResult answered(EvalItem item, String answer, Usage usage) {
        return new EvalResult(item.id(), item.expected().task(), answer, item.expected().text(),
                Scorer.score(item, answer), usage, item.meta(), null);
    }

    public static EvalResult failed(EvalItem item, Throwable error) {
        return new EvalResult(item.id(), item.expected().task(), null, item.expected().text(), null, null,
                item.meta(), ErrorInfo.of(error));
    }

    public boolean ok() {
        return error == null;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("task", task.name().toLowerCase(java.util.Locale.ROOT));
        if (error != null) {
            o.add("error", error);
        } else {
            o.addProperty("answer", answer);
            o.addProperty("expected", expected);
            o.addProperty("correct", score.correct());
            if (score.parsed() != null) {
                o.addProperty("parsed", score.parsed());
            }
            putNumber(o, "f1", score.f1());
            putNumber(o, "abs_error_s", score.absError());
            putNumber(o, "iou", score.iou());
            o.addProperty("latency_ms", round(usage.latencyMs()));
            o.addProperty("prompt_tokens", usage.promptTokens());
            o.addProperty("completion_tokens", usage.completionTokens());
            o.addProperty("decode_ms", round(usage.decodeMs()));
        }
        if (meta != null && meta.size() > 0) {
            o.add("meta", meta);
        }
        return o;
    }

    /** Reads a result line back (for the report over a resumed run). */
    public static EvalResult fromJson(JsonObject o) {
        String id = o.get("id").getAsString();
        Expected.Task task = Expected.Task.valueOf(o.get("task").getAsString().toUpperCase(java.util.Locale.ROOT));
        JsonObject meta = o.has("meta") ? o.getAsJsonObject("meta") : new JsonObject();
        if (o.has("error")) {
            return new EvalResult(id, task, null, text(o, "expected"), null, null, meta, o.getAsJsonObject("error"));
        }
        Score score = new Score(task, o.get("correct").getAsBoolean(), text(o, "parsed"), number(o, "f1"),
                number(o, "abs_error_s"), number(o, "iou"));
        Usage usage = new Usage(o.get("latency_ms").getAsDouble(), o.get("prompt_tokens").getAsInt(),
                o.get("completion_tokens").getAsInt(), o.get("decode_ms").getAsDouble());
        return new EvalResult(id, task, text(o, "answer"), text(o, "expected"), score, usage, meta, null);
    }

    private static void putNumber(JsonObject o, String name, Double v) {
        if (v != null) {
            o.addProperty(name, Math.rint(v * 1e4) / 1e4);
        }
    }

    private static double round(double v) {
        return Math.rint(v * 10) / 10;
    }

    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static Double number(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsDouble();
    }
}
