package io.qwen3vl.engine.eval;

import com.google.gson.JsonObject;
import io.qwen3vl.engine.Answer;
import io.qwen3vl.engine.Qwen3VLEngine;
import io.qwen3vl.engine.batch.BatchRunner;
import io.qwen3vl.engine.generate.SamplingSettings;
import io.qwen3vl.engine.generate.TokenListener;
import io.qwen3vl.engine.media.MediaOptions;
import io.qwen3vl.engine.request.PreparedPrompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluating one item: build its prompt (stage 1, ahead of time), answer it (stage 2) and score the
 * answer into a result line. Latency counts everything a user waits for: preprocessing, vision,
 * prefill and decoding.
 */
public final class EvalTask implements BatchRunner.Task<EvalItem, PreparedPrompt, Answer> {
    private final Qwen3VLEngine engine;
    private final MediaOptions media;
    private final SamplingSettings sampling;

    public EvalTask(Qwen3VLEngine engine, MediaOptions media, SamplingSettings sampling) {
        this.engine = engine;
        this.media = media;
        this.sampling = sampling;
    }

    @Override
    public String key(EvalItem item) {
        return item.id();
    }

    @Override
    public PreparedPrompt prepare(EvalItem item) {
        return engine.prompts().build(messages(item), null, media);
    }

    @Override
    public Answer run(EvalItem item, PreparedPrompt prepared) {
        return engine.generate(prepared, sampling, TokenListener.NONE);
    }

    @Override
    public JsonObject record(EvalItem item, Answer answer) {
        Map<String, Double> ms = answer.timings().asMillis();
        double latency = ms.values().stream().mapToDouble(Double::doubleValue).sum();
        EvalResult.Usage usage = new EvalResult.Usage(latency, answer.result().promptTokens(),
                answer.result().generatedTokens(), ms.getOrDefault("decode", 0.0));
        return EvalResult.answered(item, answer.text(), usage).toJson();
    }

    @Override
    public JsonObject errorRecord(EvalItem item, Throwable error) {
        return EvalResult.failed(item, error).toJson();
    }

    /** The item's conversation as Hugging Face chat messages (media paths already absolute). */
    static List<Object> messages(EvalItem item) {
        List<Object> out = new ArrayList<>();
        for (EvalItem.Message m : item.messages()) {
            List<Object> content = new ArrayList<>();
            for (EvalItem.Part p : m.content()) {
                Map<String, Object> part = new LinkedHashMap<>();
                switch (p.type()) {
                    case TEXT -> {
                        part.put("type", "text");
                        part.put("text", p.text());
                    }
                    case IMAGE -> {
                        part.put("type", "image");
                        part.put("image", p.media().toString());
                    }
                    case VIDEO -> {
                        part.put("type", "video");
                        part.put("video", p.media().toString());
                    }
                }
                content.add(part);
            }
            out.add(Map.of("role", m.role(), "content", content));
        }
        return out;
    }
}
