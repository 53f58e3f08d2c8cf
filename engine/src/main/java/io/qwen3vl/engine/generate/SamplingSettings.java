package io.qwen3vl.engine.generate;

import io.qwen3vl.models.config.GenerationConfig;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How one request picks its tokens and when it stops. Start from the checkpoint's defaults with
 * {@link #from(GenerationConfig)} and override single values (command-line flags) through
 * {@link #toBuilder()}; every value is validated when the record is built.
 *
 * <p>Penalties follow the stacks Qwen recommends: {@code repetitionPenalty} has transformers (and
 * vLLM) semantics over prompt and generated tokens; {@code presencePenalty} has vLLM/OpenAI
 * semantics over generated tokens only (transformers has no presence penalty; Qwen's model cards
 * give 1.5 for vLLM). Both change the logits before argmax too, so they also apply to greedy
 * decoding, as in both reference stacks.
 *
 * @param doSample          false: argmax decoding, and temperature, top-k and top-p are ignored
 * @param temperature       divides the logits before sampling; 0 means greedy
 * @param topK              keep the k most likely tokens (and any tied with the k-th); 0 disables
 * @param topP              nucleus: keep the smallest most-likely set whose probability reaches topP; 1 disables
 * @param repetitionPenalty 1 disables; a seen token's logit is divided by it when positive, multiplied when negative
 * @param presencePenalty   0 disables; subtracted once from the logit of every token already generated
 * @param seed              seed of the sampling random stream; empty: a fresh random seed per request
 * @param maxNewTokens      the most tokens to generate (EOS included)
 * @param eosTokenIds       tokens that end the answer
 * @param ignoreEos         keep generating through EOS tokens until maxNewTokens
 * @param logprobs          empty: no log-probabilities; N: the chosen token's plus the N most likely
 */
public record SamplingSettings(
        boolean doSample,
        double temperature,
        int topK,
        double topP,
        double repetitionPenalty,
        double presencePenalty,
        OptionalLong seed,
        int maxNewTokens,
        int[] eosTokenIds,
        boolean ignoreEos,
        OptionalInt logprobs) {

    /** Our budget when generation_config.json sets none (transformers' own default is 20 tokens in all). */
    public static final int DEFAULT_MAX_NEW_TOKENS = 1024;

    public SamplingSettings {
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(logprobs, "logprobs");
        Objects.requireNonNull(eosTokenIds, "eosTokenIds");
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (0 disables it), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1] (1 disables it), got " + topP);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetition_penalty must be a finite number > 0 (1 disables it), got "
                    + repetitionPenalty);
        }
        // vLLM's and OpenAI's range; outside it the penalty swamps the logits.
        if (!(presencePenalty >= -2 && presencePenalty <= 2)) {
            throw new IllegalArgumentException("presence_penalty must be in [-2, 2] (0 disables it), got "
                    + presencePenalty);
        }
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("max_new_tokens must be > 0, got " + maxNewTokens);
        }
        for (int id : eosTokenIds) {
            if (id < 0) {
                throw new IllegalArgumentException("EOS token id must be >= 0, got " + id);
            }
        }
        if (logprobs.isPresent() && logprobs.getAsInt() < 0) {
            throw new IllegalArgumentException("logprobs must be >= 0 (the number of alternatives), got "
                    + logprobs.getAsInt());
        }
        eosTokenIds = eosTokenIds.clone();
    }

    /** The checkpoint's decoding defaults; {@link #DEFAULT_MAX_NEW_TOKENS} when it sets no budget. */
    public static SamplingSettings from(GenerationConfig config) {
        return new SamplingSettings(config.doSample(), config.temperature(), config.topK(), config.topP(),
                config.repetitionPenalty(), config.presencePenalty(), OptionalLong.empty(),
                config.maxNewTokens().orElse(DEFAULT_MAX_NEW_TOKENS), config.eosTokenIds(), false,
                OptionalInt.empty());
    }

    /** transformers' defaults: greedy, no penalties, no EOS ids known. */
    public static Builder builder() {
        return from(GenerationConfig.defaults()).toBuilder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether tokens are picked by argmax: no sampling, or sampling at temperature 0. */
    public boolean greedy() {
        return !doSample || temperature == 0;
    }

    public boolean isEos(int token) {
        for (int id : eosTokenIds) {
            if (id == token) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplingSettings s && doSample == s.doSample && temperature == s.temperature
                && topK == s.topK && topP == s.topP && repetitionPenalty == s.repetitionPenalty
                && presencePenalty == s.presencePenalty && seed.equals(s.seed) && maxNewTokens == s.maxNewTokens
                && Arrays.equals(eosTokenIds, s.eosTokenIds) && ignoreEos == s.ignoreEos && logprobs.equals(s.logprobs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(doSample, temperature, topK, topP, repetitionPenalty, presencePenalty, seed,
                maxNewTokens, ignoreEos, logprobs) * 31 + Arrays.hashCode(eosTokenIds);
    }

    @Override
    public String toString() {
        return "SamplingSettings[doSample=" + doSample + ", temperature=" + temperature + ", topK=" + topK
                + ", topP=" + topP + ", repetitionPenalty=" + repetitionPenalty + ", presencePenalty="
                + presencePenalty + ", seed=" + seed + ", maxNewTokens=" + maxNewTokens + ", eos="
                + Arrays.toString(eosTokenIds) + ", ignoreEos=" + ignoreEos + ", logprobs=" + logprobs + "]";
    }

    /** Overrides single values; {@link #build()} validates the result. */
    public static final class Builder {
        private boolean doSample;
        private double temperature;
        private int topK;
        private double topP;
        private double repetitionPenalty;
        private double presencePenalty;
        private OptionalLong seed;
        private int maxNewTokens;
        private int[] eosTokenIds;
        private boolean ignoreEos;
        private OptionalInt logprobs;

        private Builder(SamplingSettings s) {
            doSample = s.doSample;
            temperature = s.temperature;
            topK = s.topK;
            topP = s.topP;
            repetitionPenalty = s.repetitionPenalty;
            presencePenalty = s.presencePenalty;
            seed = s.seed;
            maxNewTokens = s.maxNewTokens;
            eosTokenIds = s.eosTokenIds;
            ignoreEos = s.ignoreEos;
            logprobs = s.logprobs;
        }

        public Builder doSample(boolean v) {
            doSample = v;
            return this;
        }

        /** Argmax decoding (sampling off); penalties still apply. */
        public Builder greedy() {
            doSample = false;
            return this;
        }

        /** Sets the temperature only; 0 makes decoding greedy, a positive value needs {@link #doSample} to matter. */
        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder topP(double v) {
            topP = v;
            return this;
        }

        public Builder repetitionPenalty(double v) {
            repetitionPenalty = v;
            return this;
        }

        public Builder presencePenalty(double v) {
            presencePenalty = v;
            return this;
        }

        public Builder seed(long v) {
            seed = OptionalLong.of(v);
            return this;
        }

        public Builder randomSeed() {
            seed = OptionalLong.empty();
            return this;
        }

        public Builder maxNewTokens(int v) {
            maxNewTokens = v;
            return this;
        }

        public Builder eosTokenIds(int... v) {
            eosTokenIds = v.clone();
            return this;
        }

        public Builder ignoreEos(boolean v) {
            ignoreEos = v;
            return this;
        }

        /** Report the chosen token's log-probability and the {@code top} most likely alternatives. */
        public Builder logprobs(int top) {
            logprobs = OptionalInt.of(top);
            return this;
        }

        public Builder noLogprobs() {
            logprobs = OptionalInt.empty();
            return this;
        }

        public SamplingSettings build() {
            return new SamplingSettings(doSample, temperature, topK, topP, repetitionPenalty, presencePenalty, seed,
                    maxNewTokens, eosTokenIds, ignoreEos, logprobs);
        }
    }
}
