package io.qwen3vl.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScorersTest {
    private static final List<String> CHOICES = List.of("a red star", "a blue star", "a green circle", "a cat");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "The answer is (B).                  | B",
            "B                                   | B",
            "b)                                  | B",
            "Answer: C. because it is round      | C",
            "(D)                                 | D",
            "I think it's A                      | A",
            "I think it is A, not B.             | A",
            "C. A green circle                   | C",
            "The correct option is d             | D",
            "It is a blue star.                  | B",
            "A blue star                         | B",
            "the answer is a red star            | A",
            "**B**                               | B",
    })
    void choiceLettersAreFoundInTypicalAnswers(String answer, char expected) {
        assertEquals(Optional.of(expected), ChoiceParser.parse(answer, CHOICES), answer);
    }

    @Test
    void answersThatPickNothingGiveNoLetter() {
        assertTrue(ChoiceParser.parse("I am not sure.", CHOICES).isEmpty());
        assertTrue(ChoiceParser.parse("E", CHOICES).isEmpty()); // no option E
        assertTrue(ChoiceParser.parse("either a red star or a blue star", CHOICES).isEmpty());
    }

    @Test
    void exactMatchNormalisesLikeSquad() {
        assertEquals("cat on mat", ExactMatch.normalize("The  Cat, on a mat!"));
        assertTrue(ExactMatch.matches("A cat.", "cat"));
        assertFalse(ExactMatch.matches("a black cat", "cat"));
        assertEquals(2 * (0.5 * 1.0) / 1.5, ExactMatch.f1("black cat", "the cat"), 1e-12);
        assertEquals(0, ExactMatch.f1("dog", "cat"));
    }

    @Test
    void temporalScoresFollowTheDocumentedRules() {
        Score point = TemporalScore.score(TimeSpan.point(10), TimeSpan.point(10.8), 1);
        assertTrue(point.correct());
        assertEquals(0.8, point.absError(), 1e-12);
        assertNull(point.iou());
        assertFalse(TemporalScore.score(TimeSpan.point(10), TimeSpan.point(11.5), 1).correct());

        Score inside = TemporalScore.score(TimeSpan.interval(10, 11), TimeSpan.point(10.5), 0);
        assertTrue(inside.correct());
        assertEquals(1.0, inside.iou());
        Score outside = TemporalScore.score(TimeSpan.interval(10, 11), TimeSpan.point(12.5), 1);
        assertFalse(outside.correct());
        assertEquals(1.5, outside.absError(), 1e-12);
        assertEquals(0.0, outside.iou());

        Score overlap = TemporalScore.score(TimeSpan.interval(3.5, 7), TimeSpan.interval(4, 8), 1);
        assertEquals(3.0 / 4.5, overlap.iou(), 1e-12);
        assertTrue(overlap.correct());
        assertEquals(0.75, overlap.absError(), 1e-12);
        assertFalse(TemporalScore.score(TimeSpan.interval(0, 2), TimeSpan.interval(1.5, 5), 1).correct());

        Score none = TemporalScore.score(TimeSpan.interval(0, 2), null, 1);
        assertFalse(none.correct());
        assertEquals(0.0, none.iou());
    }
}
