package io.qwen3vl.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogprobsTest {
    @Test
    void chosenAndTopAreLogSoftmaxOfTheLogits() {
        float[] logits = {1f, 4f, -2f, 4f, 3f};
        double z = 0;
        for (float x : logits) {
            z += Math.exp(x);
        }
        double logZ = Math.log(z);
        TokenLogprob lp = new Logprobs(logits.length, 3).of(logits, 2);
        assertEquals(2, lp.tokenId());
        assertEquals(-2 - logZ, lp.logprob(), 1e-6);
        List<TopLogprob> top = lp.top();
        assertEquals(List.of(1, 3, 4), top.stream().map(TopLogprob::tokenId).toList(), "most likely first, ties by id");
        assertEquals(4 - logZ, top.get(0).logprob(), 1e-6);
        assertEquals(3 - logZ, top.get(2).logprob(), 1e-6);
    }

    @Test
    void zeroAlternativesGivesOnlyTheChosenToken() {
        TokenLogprob lp = new Logprobs(3, 0).of(new float[] {0f, 0f, 0f}, 1);
        assertEquals(Math.log(1.0 / 3), lp.logprob(), 1e-7);
        assertEquals(List.of(), lp.top());
    }

    @Test
    void largeLogitsDoNotOverflow() {
        TokenLogprob lp = new Logprobs(2, 1).of(new float[] {1000f, 1000f}, 0);
        assertEquals(Math.log(0.5), lp.logprob(), 1e-7);
    }
}
