package io.qwen3vl.engine.eval;

import java.util.Locale;

/** A moment ({@code start == end}) or an interval of a video, in seconds. */
public record TimeSpan(double start, double end) {
    public TimeSpan {
        if (!Double.isFinite(start) || !Double.isFinite(end) || start < 0 || end < start) {
            throw new IllegalArgumentException("not a time span: " + start + " to " + end);
        }
    }

    public static TimeSpan point(double seconds) {
        return new TimeSpan(seconds, seconds);
    }

    /** An interval; the ends may come in either order. */
    public static TimeSpan interval(double a, double b) {
        return new TimeSpan(Math.min(a, b), Math.max(a, b));
    }

    public boolean isPoint() {
        return start == end;
    }

    public double length() {
        return end - start;
    }

    public double middle() {
        return (start + end) / 2;
    }

    /** Distance in seconds from {@code t} to the nearest point of this span (0 inside). */
    public double distanceTo(double t) {
        return t < start ? start - t : t > end ? t - end : 0;
    }

    @Override
    public String toString() {
        return isPoint() ? String.format(Locale.ROOT, "%.3gs", start)
                : String.format(Locale.ROOT, "%.3gs-%.3gs", start, end);
    }
}
