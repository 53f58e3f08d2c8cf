package io.qwen3vl.engine.batch;

import io.qwen3vl.engine.eval.TimeParser;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads time-stamped events out of a model's answer ({@code "<0.5 seconds> A man walks in.
 * <3.5 seconds> He sits down."}, {@code "0:00-0:03: man walks"}, {@code "The dog barks at 12s."}).
 * The text is cut into lines and sentences; a sentence with a time starts an event, a sentence
 * without one continues the previous event. Each time takes the text after it up to the next time,
 * or, when nothing follows it, the text before it ({@code "The dog barks at 12s."}). Text before the
 * first time that is not a heading ({@code "Events:"}) becomes an event at 0 s. Times are those of
 * {@link TimeParser}, bare numbers excluded.
 */
public final class TimedEvents {
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=\\S)");
    private static final Pattern LEADING = Pattern.compile("^[\\s\\])>:;,.\\-–—*]+");
    private static final Pattern TRAILING = Pattern.compile(
            "(?i)(?:[\\s\\[(<:;,\\-–—*]+|\\b(?:at|from|around|about|approximately|by|in|on|starting|between|after|until|to)\\s*$)+$");

    private TimedEvents() {
    }

    /**
     * One event of an answer.
     *
     * @param start seconds
     * @param end seconds when the answer gave an interval, else NaN
     * @param text what happens
     */
    public record Event(double start, double end, String text) {
        public boolean hasEnd() {
            return !Double.isNaN(end);
        }
    }

    public static List<Event> parse(String answer) {
        List<Event> events = new ArrayList<>();
        List<String> preamble = new ArrayList<>();
        for (String line : answer.split("\\R")) {
            for (String sentence : SENTENCE_END.split(line.strip())) {
                if (sentence.isBlank()) {
                    continue;
                }
                List<TimeParser.Mention> mentions = TimeParser.findAll(sentence);
                if (mentions.isEmpty()) {
                    if (events.isEmpty()) {
                        preamble.add(sentence.strip());
                    } else {
                        Event last = events.remove(events.size() - 1);
                        events.add(new Event(last.start, last.end, join(last.text, sentence.strip())));
                    }
                    continue;
                }
                int previousEnd = 0;
                for (int k = 0; k < mentions.size(); k++) {
                    TimeParser.Mention m = mentions.get(k);
                    int nextStart = k + 1 < mentions.size() ? mentions.get(k + 1).start() : sentence.length();
                    String text = clean(sentence.substring(m.end(), nextStart));
                    if (text.isEmpty()) {
                        text = clean(sentence.substring(previousEnd, m.start()));
                    }
                    previousEnd = m.end();
                    double end = m.span().isPoint() ? Double.NaN : m.span().end();
                    events.add(new Event(m.span().start(), end, text));
                }
            }
        }
        String intro = String.join(" ", preamble).strip();
        if (!events.isEmpty() && !intro.isEmpty() && !intro.endsWith(":")) {
            events.add(0, new Event(0, Double.NaN, intro));
        }
        return events;
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + " " + b;
    }

    static String clean(String text) {
        String s = LEADING.matcher(text).replaceAll("");
        String before;
        do {
            before = s;
            s = TRAILING.matcher(s).replaceAll("");
        } while (!s.equals(before));
        return s.strip();
    }
}
