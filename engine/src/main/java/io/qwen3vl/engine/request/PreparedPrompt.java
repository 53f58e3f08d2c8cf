package io.qwen3vl.engine.request;

import io.qwen3vl.engine.Timings;
import io.qwen3vl.engine.media.PreparedMedia;
import io.qwen3vl.engine.sequence.RopeIndex;
import io.qwen3vl.engine.sequence.TokenSequence;
import java.util.List;

/**
 * A request ready for the model, built without touching it: the rendered chat template, the prompt
 * after vision placeholders were expanded, its tokens with their vision spans and 3-D positions,
 * and the prepared media. Everything {@code qwen3vl prepare} shows comes from here. Close it to
 * release the videos it holds open.
 *
 * @param rendered  the chat template's output
 * @param expanded  the text the model reads (pads and timestamps in place)
 * @param sequence  token ids and vision spans
 * @param rope      3-D position ids
 * @param media     images and videos in prompt order
 * @param timings   time spent preparing (phase "preprocess")
 */
public record PreparedPrompt(String rendered, String expanded, TokenSequence sequence, RopeIndex rope,
                             List<PreparedMedia> media, Timings timings) implements AutoCloseable {
    public PreparedPrompt {
        media = List.copyOf(media);
    }

    @Override
    public void close() {
        media.forEach(PreparedMedia::close);
    }
}
