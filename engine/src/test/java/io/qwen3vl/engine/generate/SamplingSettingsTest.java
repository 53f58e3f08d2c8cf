package io.qwen3vl.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qwen3vl.models.config.GenerationConfig;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SamplingSettingsTest {
    private static final GenerationConfig INSTRUCT = new GenerationConfig(new int[] {151645, 151643},
            OptionalInt.of(151643), OptionalInt.of(151643), true, 0.7, 20, 0.8, 1.0, 1.5, OptionalInt.empty());

    @Test
    void checkpointDefaultsCarryOver() {
        SamplingSettings s = SamplingSettings.from(INSTRUCT);
        assertTrue(s.doSample());
        assertEquals(0.7, s.temperature());
        assertEquals(20, s.topK());
        assertEquals(0.8, s.topP());
        assertEquals(1.0, s.repetitionPenalty());
        assertEquals(1.5, s.presencePenalty());
        assertArrayEquals(new int[] {151645, 151643}, s.eosTokenIds());
        assertEquals(SamplingSettings.DEFAULT_MAX_NEW_TOKENS, s.maxNewTokens());
        assertEquals(OptionalLong.empty(), s.seed());
        assertEquals(OptionalInt.empty(), s.logprobs());
        assertFalse(s.ignoreEos());
        assertFalse(s.greedy());
        assertTrue(s.isEos(151643));
        assertFalse(s.isEos(1));
    }

    @Test
    void budgetFromGenerationConfigWins() {
        GenerationConfig withBudget = new GenerationConfig(new int[] {2}, OptionalInt.empty(), OptionalInt.empty(),
                false, 1, 50, 1, 1, 0, OptionalInt.of(77));
        assertEquals(77, SamplingSettings.from(withBudget).maxNewTokens());
    }

    @Test
    void overridesReplaceSingleValues() {
        SamplingSettings s = SamplingSettings.from(INSTRUCT).toBuilder()
                .temperature(1.2).topK(0).topP(0.95).seed(9).maxNewTokens(16).ignoreEos(true).logprobs(5)
                .repetitionPenalty(1.05).presencePenalty(0).eosTokenIds(7).build();
        assertEquals(1.2, s.temperature());
        assertEquals(0, s.topK());
        assertEquals(0.95, s.topP());
        assertEquals(OptionalLong.of(9), s.seed());
        assertEquals(16, s.maxNewTokens());
        assertTrue(s.ignoreEos());
        assertEquals(OptionalInt.of(5), s.logprobs());
        assertEquals(1.05, s.repetitionPenalty());
        assertEquals(0, s.presencePenalty());
        assertArrayEquals(new int[] {7}, s.eosTokenIds());
        assertTrue(s.doSample(), "untouched values stay");
        assertEquals(s, s.toBuilder().build());
    }

    @Test
    void temperatureZeroOrNoSamplingIsGreedy() {
        assertTrue(SamplingSettings.from(INSTRUCT).toBuilder().temperature(0).build().greedy());
        assertTrue(SamplingSettings.from(INSTRUCT).toBuilder().greedy().build().greedy());
        assertTrue(SamplingSettings.builder().build().greedy(), "transformers' default is greedy");
    }

    @Test
    void invalidValuesAreRejectedWithTheirName() {
        rejects(b -> b.temperature(-0.1), "temperature");
        rejects(b -> b.temperature(Double.NaN), "temperature");
        rejects(b -> b.topK(-1), "top_k");
        rejects(b -> b.topP(0), "top_p");
        rejects(b -> b.topP(1.01), "top_p");
        rejects(b -> b.repetitionPenalty(0), "repetition_penalty");
        rejects(b -> b.presencePenalty(2.5), "presence_penalty");
        rejects(b -> b.maxNewTokens(0), "max_new_tokens");
        rejects(b -> b.eosTokenIds(-3), "EOS");
        rejects(b -> b.logprobs(-1), "logprobs");
    }

    private static void rejects(UnaryOperator<SamplingSettings.Builder> change, String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(SamplingSettings.from(INSTRUCT).toBuilder()).build());
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }
}
