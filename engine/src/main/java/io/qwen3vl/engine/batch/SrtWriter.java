package io.qwen3vl.engine.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * SubRip subtitles from a time-stamped answer. Cues are sorted by start and never overlap: a cue
 * ends at its own end when the answer gave an interval, but never after the next cue's start; a
 * cue given as a moment lasts until the next one (or the end of the clip). Times past the end of the
 * clip are dropped, events at the same moment share one cue. An answer with no usable time becomes
 * one cue spanning the whole clip.
 */
public final class SrtWriter {
    private SrtWriter() {
    }

    /** One subtitle: 1-based index, seconds, text without blank lines. */
    public record Cue(int index, double start, double end, String text) {
    }

    /** The cues for an answer about a clip of {@code clipSeconds}. */
    public static List<Cue> cues(String answer, double clipSeconds) {
        if (!(clipSeconds > 0)) {
            throw new IllegalArgumentException("clip length must be positive, got " + clipSeconds);
        }
        List<Cue> cues = layout(TimedEvents.parse(answer), clipSeconds);
        if (cues.isEmpty()) {
            return List.of(new Cue(1, 0, clipSeconds, cueText(answer)));
        }
        return cues;
    }

    /** Sorted, merged, non-overlapping cues for the events inside the clip. */
    public static List<Cue> layout(List<TimedEvents.Event> events, double clipSeconds) {
        List<TimedEvents.Event> inside = new ArrayList<>();
        for (TimedEvents.Event e : events) {
            if (e.start() < clipSeconds) {
                inside.add(e);
            }
        }
        inside.sort(Comparator.comparingDouble(TimedEvents.Event::start)); // stable: answer order on ties
        List<TimedEvents.Event> merged = new ArrayList<>();
        for (TimedEvents.Event e : inside) {
            TimedEvents.Event last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && millis(last.start()) == millis(e.start())) {
                double end = Math.max(last.hasEnd() ? last.end() : Double.NEGATIVE_INFINITY,
                        e.hasEnd() ? e.end() : Double.NEGATIVE_INFINITY);
                merged.set(merged.size() - 1, new TimedEvents.Event(last.start(),
                        end == Double.NEGATIVE_INFINITY ? Double.NaN : end, last.text() + "\n" + e.text()));
            } else {
                merged.add(e);
            }
        }
        List<Cue> cues = new ArrayList<>();
        for (int i = 0; i < merged.size(); i++) {
            TimedEvents.Event e = merged.get(i);
            double limit = i + 1 < merged.size() ? merged.get(i + 1).start() : clipSeconds;
            double end = e.hasEnd() && e.end() > e.start() ? Math.min(e.end(), limit) : limit;
            cues.add(new Cue(cues.size() + 1, e.start(), end, cueText(e.text())));
        }
        return cues;
    }

    /** The SubRip text of the cues. */
    public static String format(List<Cue> cues) {
        StringBuilder out = new StringBuilder();
        for (Cue c : cues) {
            out.append(c.index()).append('\n')
                    .append(timestamp(c.start())).append(" --> ").append(timestamp(c.end())).append('\n')
                    .append(c.text()).append("\n\n");
        }
        return out.toString();
    }

    /** {@code HH:MM:SS,mmm}. */
    public static String timestamp(double seconds) {
        long ms = millis(seconds);
        return String.format(Locale.ROOT, "%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                ms % 1000);
    }

    /**
     * Writes the subtitles of a video beside the results: {@code dir/<relative path without
     * extension>.srt}, never outside {@code dir}; written to a temporary file and renamed, so an
     * interrupted run leaves no half file.
     */
    public static Path write(Path dir, String relativeVideoPath, String answer, double clipSeconds) throws IOException {
        String name = relativeVideoPath;
        int dot = name.lastIndexOf('.');
        if (dot > name.lastIndexOf('/') + 1) {
            name = name.substring(0, dot);
        }
        Path target = SafePaths.resolveInside(dir, name + ".srt");
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, format(cues(answer, clipSeconds)), StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private static long millis(double seconds) {
        return Math.round(Math.max(0, seconds) * 1000);
    }

    /** SubRip ends a cue at a blank line, so the text must not contain one (nor be empty). */
    private static String cueText(String text) {
        String s = text.strip().replaceAll("\\R\\s*\\R+", "\n");
        return s.isEmpty() ? "-" : s;
    }
}
