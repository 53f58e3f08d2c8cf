package io.qwen3vl.engine.eval;

import java.util.Optional;

/** Scores a model's answer to an {@link EvalItem} according to its task. */
public final class Scorer {
    private Scorer() {
    }

    public static Score score(EvalItem item, String answer) {
        Expected e = item.expected();
        switch (e.task()) {
            case CHOICE: {
                Optional<Character> letter = ChoiceParser.parse(answer, e.choices());
                return new Score(e.task(), letter.isPresent() && letter.get() == e.letter(),
                        letter.map(String::valueOf).orElse(null), null, null, null);
            }
            case TIME:
                return TemporalScore.score(e.time(), TimeParser.parse(answer).orElse(null), item.tolerance());
            case TEXT:
            default:
                return new Score(e.task(), ExactMatch.matches(answer, e.text()), null, ExactMatch.f1(answer, e.text()),
                        null, null);
        }
    }
}
