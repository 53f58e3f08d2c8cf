package io.qwen3vl.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TimeParserTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "around 1:05                         | 65    | 65",
            "at 65 seconds                       | 65    | 65",
            "from 3.5s to 7s                     | 3.5   | 7",
            "<12.5 seconds>                      | 12.5  | 12.5",
            "1m5s                                | 65    | 65",
            "00:01:05.5                          | 65.5  | 65.5",
            "It appears at 00:01:05,500.         | 65.5  | 65.5",
            "1 min 5 s                           | 65    | 65",
            "1 minute and 5 seconds              | 65    | 65",
            "1h2m3s                              | 3723  | 3723",
            "[0:03-0:07]                         | 3     | 7",
            "between 10 and 12 seconds           | 10    | 12",
            "3-7 seconds                         | 3     | 7",
            "2 to 3 minutes                      | 120   | 180",
            "The needle shows up at 12.5.        | 12.5  | 12.5",
            "[3.5, 7.0]                          | 3.5   | 7",
            "roughly 4 sec into the clip         | 4     | 4",
            "10:30:00                            | 37800 | 37800",
    })
    void answersBecomeSeconds(String answer, double start, double end) {
        Optional<TimeSpan> span = TimeParser.parse(answer);
        assertTrue(span.isPresent(), answer);
        assertEquals(start, span.get().start(), 1e-9, answer);
        assertEquals(end, span.get().end(), 1e-9, answer);
    }

    @Test
    void textWithoutTimesGivesNothing() {
        assertTrue(TimeParser.parse("I cannot tell.").isEmpty());
        assertTrue(TimeParser.parse("in the first steps").isEmpty());
    }

    @Test
    void bareNumbersAreNotTimesInsideLongerText() {
        List<TimeParser.Mention> found = TimeParser.findAll("3 people enter at 4s; the 2nd leaves at 0:09");
        assertEquals(List.of(TimeSpan.point(4), TimeSpan.point(9)), found.stream().map(TimeParser.Mention::span).toList());
        // A marked time wins over an earlier bare number.
        assertEquals(TimeSpan.point(4), TimeParser.parse("3 people enter at 4s").orElseThrow());
    }

    @Test
    void invalidClocksAreIgnored() {
        assertTrue(TimeParser.findAll("ratio 1:75").isEmpty());
    }
}
