package io.qwen3vl.engine.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the times a model mentions in free text and converts them to seconds.
 *
 * <p>Points: Qwen3-VL's own {@code <3.5 seconds>}, {@code 3.5s}, {@code 3.5 sec}, {@code 65 seconds},
 * {@code 2 minutes}, {@code 1m5s}, {@code 1 min 5 s}, {@code 1h2m3s}, clocks {@code 1:05},
 * {@code 01:05.5}, {@code 00:01:05}, {@code 00:01:05,500} (SubRip). Intervals: two points joined by
 * {@code -}, {@code –}, {@code to}, {@code until}, {@code through}, {@code ~}, {@code between X and Y},
 * or {@code [X, Y]}; a unit written once covers both ends ({@code 3-7 seconds}).
 *
 * <p>Bare numbers ({@code 12.5}) count as seconds only when asked for ({@link #parse} falls back to them
 * when the text holds no marked time); otherwise "3 people" would become a time.
 */
public final class TimeParser {
    private static final String NUM = "(\\d+(?:\\.\\d+)?)";
    private static final Pattern CLOCK = Pattern.compile(
            "(?<![\\d:.])(?:(\\d{1,2}):)?(\\d{1,2}):(\\d{2})(?:\\.(\\d+)|,(\\d{3}))?(?!\\d|:\\d|\\.\\d)");
    private static final Pattern UNIT = Pattern.compile(
            "(?<![\\d.])" + NUM + "\\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![a-z])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BARE = Pattern.compile("(?<![\\w.:])" + NUM + "(?![\\w:]|\\.\\d)");
    private static final Pattern JOIN_COMPOUND = Pattern.compile("\\s*(?:,|and)?\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern CONNECTOR = Pattern.compile(
            "\\s*(-|–|—|~|to|till|until|through|and|,)\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern BETWEEN_BEFORE = Pattern.compile("between\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern BRACKET_BEFORE = Pattern.compile("[\\[(]\\s*$");

    private TimeParser() {
    }

    /** A time found in a text: its character range and its value. */
    public record Mention(int start, int end, TimeSpan span) {
    }

    private enum Kind { CLOCK, UNIT, BARE }

    /** A point candidate; {@code unit} is the multiplier of its last unit (seconds per unit). */
    private record Point(int start, int end, double seconds, Kind kind, double unit) {
        int length() {
            return end - start;
        }
    }

    /**
     * The time an answer gives: its first marked time (point or interval), or, when there is none,
     * its first bare number or pair of numbers read as seconds.
     */
    public static Optional<TimeSpan> parse(String answer) {
        List<Mention> marked = findAll(answer, false);
        if (!marked.isEmpty()) {
            return Optional.of(marked.get(0).span());
        }
        List<Mention> bare = findAll(answer, true);
        return bare.isEmpty() ? Optional.empty() : Optional.of(bare.get(0).span());
    }

    /** Every marked time in the text, in order of appearance. */
    public static List<Mention> findAll(String text) {
        return findAll(text, false);
    }

    /** Every time in the text; bare numbers count as seconds when {@code bareNumbers}. */
    public static List<Mention> findAll(String text, boolean bareNumbers) {
        List<Point> points = points(text);
        List<Mention> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point a = points.get(i);
            Point b = i + 1 < points.size() ? points.get(i + 1) : null;
            if (b != null && joins(text, a, b)) {
                TimeSpan span = interval(a, b, bareNumbers);
                if (span != null) {
                    out.add(new Mention(a.start, b.end, span));
                    i++;
                    continue;
                }
            }
            if (a.kind != Kind.BARE || bareNumbers) {
                out.add(new Mention(a.start, a.end, TimeSpan.point(a.seconds)));
            }
        }
        return out;
    }

    private static boolean joins(String text, Point a, Point b) {
        String between = text.substring(a.end, b.start);
        Matcher m = CONNECTOR.matcher(between);
        if (!m.matches()) {
            return false;
        }
        String word = m.group(1).toLowerCase(Locale.ROOT);
        String before = text.substring(0, a.start);
        if (word.equals("and")) {
            return BETWEEN_BEFORE.matcher(before).find();
        }
        if (word.equals(",")) {
            return BRACKET_BEFORE.matcher(before).find();
        }
        return true;
    }

    /** The interval of two joined points, sharing a unit written once; null when it is not a time. */
    private static TimeSpan interval(Point a, Point b, boolean bareNumbers) {
        double from = a.seconds;
        double to = b.seconds;
        if (a.kind == Kind.BARE && b.kind == Kind.UNIT) {
            from = a.seconds * b.unit;
        } else if (b.kind == Kind.BARE && a.kind == Kind.UNIT) {
            to = b.seconds * a.unit;
        } else if ((a.kind == Kind.BARE || b.kind == Kind.BARE) && !bareNumbers) {
            return null;
        }
        return TimeSpan.interval(from, to);
    }

    /** Clock, unit and bare-number candidates, overlaps resolved in favour of the longest. */
    private static List<Point> points(String text) {
        List<Point> all = new ArrayList<>();
        Matcher m = CLOCK.matcher(text);
        while (m.find()) {
            Point p = clock(m);
            if (p != null) {
                all.add(p);
            }
        }
        all.addAll(unitPoints(text));
        m = BARE.matcher(text);
        while (m.find()) {
            all.add(new Point(m.start(), m.end(), Double.parseDouble(m.group(1)), Kind.BARE, 1));
        }
        all.sort(Comparator.comparingInt(Point::start).thenComparing(Comparator.comparingInt(Point::length).reversed()));
        List<Point> kept = new ArrayList<>();
        int reached = 0;
        for (Point p : all) {
            if (p.start >= reached) {
                kept.add(p);
                reached = p.end;
            }
        }
        return kept;
    }

    private static Point clock(Matcher m) {
        int first = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        int second = Integer.parseInt(m.group(2));
        int third = Integer.parseInt(m.group(3));
        if (third >= 60 || (m.group(1) != null && second >= 60)) {
            return null;
        }
        double fraction = 0;
        if (m.group(4) != null) {
            fraction = Double.parseDouble("0." + m.group(4));
        } else if (m.group(5) != null) {
            fraction = Integer.parseInt(m.group(5)) / 1000.0;
        }
        double seconds = first * 3600.0 + second * 60.0 + third + fraction;
        return new Point(m.start(), m.end(), seconds, Kind.CLOCK, 1);
    }

    /** Single {@code <number><unit>} tokens, merged when they form one compound ({@code 1 min 5 s}). */
    private static List<Point> unitPoints(String text) {
        List<Point> tokens = new ArrayList<>();
        Matcher m = UNIT.matcher(text);
        while (m.find()) {
            double unit = unitSeconds(m.group(2));
            tokens.add(new Point(m.start(), m.end(), Double.parseDouble(m.group(1)) * unit, Kind.UNIT, unit));
        }
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Point p = tokens.get(i);
            while (i + 1 < tokens.size()) {
                Point q = tokens.get(i + 1);
                if (q.unit < p.unit && JOIN_COMPOUND.matcher(text.substring(p.end, q.start)).matches()) {
                    p = new Point(p.start, q.end, p.seconds + q.seconds, Kind.UNIT, q.unit);
                    i++;
                } else {
                    break;
                }
            }
            out.add(p);
        }
        return out;
    }

    private static double unitSeconds(String unit) {
        char c = Character.toLowerCase(unit.charAt(0));
        return c == 'h' ? 3600 : c == 'm' ? 60 : 1;
    }
}
