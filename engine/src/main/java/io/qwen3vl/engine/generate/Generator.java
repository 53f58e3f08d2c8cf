package io.qwen3vl.engine.generate;

import io.qwen3vl.engine.Timings;
import io.qwen3vl.engine.fusion.VisionFeatures;
import io.qwen3vl.engine.sequence.RopeIndex;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.models.Qwen3VL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs requests against one loaded model: prefill the prompt once, then pick a token, feed it
 * back, until an EOS token (unless ignored) or the token budget. Stateless between requests.
 */
public final class Generator {
    private final Qwen3VL model;

    public Generator(Qwen3VL model) {
        this.model = model;
    }

    /**
     * Generates the answer to {@code prompt}.
     *
     * @param rope   the prompt's position ids ({@link RopeIndex#of})
     * @param vision the prompt's vision features in prompt order (owned by the caller, left open), or null
     * @param sink   receives each token id as it is chosen (a stopping EOS excepted)
     */
    public GenerationResult generate(TokenSequence prompt, RopeIndex rope, VisionFeatures vision,
                                     SamplingSettings settings, TokenSink sink) {
        Timings timings = new Timings();
        int vocab = model.text().config().vocabSize();
        int maxNew = settings.maxNewTokens();
        Sampler sampler = Sampler.of(settings, vocab, prompt.ids());
        Logprobs logprobs = settings.logprobs().isPresent() ? new Logprobs(vocab, settings.logprobs().getAsInt()) : null;
        List<TokenLogprob> chosenLogprobs = new ArrayList<>();
        int[] tokens = new int[maxNew];
        int count = 0;
        FinishReason finish = FinishReason.LENGTH;
        float[] logits = new float[vocab];

        try (DecodeSession session = DecodeSession.open(model, rope, prompt.length() + maxNew)) {
            try (Timings.Phase p = timings.phase("prefill")) {
                session.prefill(prompt, vision, logits);
            }
            try (Timings.Phase p = timings.phase("decode")) {
                while (true) {
                    int token = sampler.sample(logits);
                    sampler.accept(token);
                    tokens[count++] = token;
                    if (logprobs != null) {
                        chosenLogprobs.add(logprobs.of(logits, token));
                    }
                    if (!settings.ignoreEos() && settings.isEos(token)) {
                        finish = FinishReason.STOP;
                        break;
                    }
                    sink.onToken(token);
                    if (count == maxNew) {
                        break;
                    }
                    session.step(token, logits);
                }
            }
        }
        return new GenerationResult(prompt.ids(), Arrays.copyOf(tokens, count), chosenLogprobs, finish, timings);
    }
}
