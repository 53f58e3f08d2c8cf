package io.qwen3vl.engine.batch;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows a batch run's progress: on a terminal, one line redrawn in place with {@code \r} (bar,
 * done/total, files/s, ETA, current file); elsewhere (pipes, CI logs) plain lines at most every
 * {@code logSeconds} seconds or {@code logFiles} files. Errors are printed as they happen, and a
 * summary at the end. The clock and output are injectable so tests can drive it.
 */
public final class Progress implements ProgressListener {
    private static final int BAR = 20;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final int width;
    private final double logSeconds;
    private final int logFiles;

    private int todo;
    private int processed;
    private int errors;
    private long start;
    private long lastLog;
    private int lastLoggedCount;
    private String current = "";
    private int drawnLength;

    public Progress(PrintStream out, boolean terminal, LongSupplier nanoClock, int width, double logSeconds,
            int logFiles) {
        this.out = out;
        this.terminal = terminal;
        this.clock = nanoClock;
        this.width = Math.max(40, width);
        this.logSeconds = logSeconds;
        this.logFiles = logFiles;
    }

    /**
     * Progress on {@code err}: a redrawn bar when a person is watching (a console and no {@code CI}
     * variable), else a line every 10 s or 100 files.
     */
    public static Progress forConsole(PrintStream err) {
        boolean terminal = System.console() != null && System.getenv("CI") == null;
        int columns = 100;
        String env = System.getenv("COLUMNS");
        if (env != null && env.matches("\\d{2,4}")) {
            columns = Integer.parseInt(env);
        }
        return new Progress(err, terminal, System::nanoTime, columns - 1, 10, 100);
    }

    @Override
    public void started(int total, int skipped) {
        todo = total - skipped;
        start = clock.getAsLong();
        lastLog = start;
        out.println(total + " inputs: " + todo + " to do" + (skipped > 0 ? ", " + skipped + " already done" : ""));
        if (terminal) {
            draw();
        }
    }

    @Override
    public void itemStarted(String key) {
        current = key;
        if (terminal) {
            draw();
        }
    }

    @Override
    public void itemFinished(String key, String error) {
        processed++;
        if (error != null) {
            errors++;
            if (terminal) {
                clearLine();
            }
            out.println("error: " + key + ": " + error);
        }
        if (terminal) {
            draw();
            return;
        }
        long now = clock.getAsLong();
        if ((now - lastLog) / 1e9 >= logSeconds || processed - lastLoggedCount >= logFiles) {
            out.println("progress: " + processed + "/" + todo + " files" + errorText() + ", "
                    + rateText(now) + ", ETA " + eta(now));
            lastLog = now;
            lastLoggedCount = processed;
        }
    }

    @Override
    public void finished(BatchSummary s) {
        if (terminal) {
            clearLine();
        }
        out.println(summary(s));
    }

    /** The closing line: counts, elapsed time and throughput. */
    public static String summary(BatchSummary s) {
        return String.format(Locale.ROOT, "done: %d files in %s (%d ok, %d errors, %d skipped), %.2f files/s",
                s.processed(), duration(s.elapsedSeconds()), s.ok(), s.errors(), s.skipped(), s.filesPerSecond());
    }

    private void draw() {
        long now = clock.getAsLong();
        int filled = todo == 0 ? BAR : (int) ((long) processed * BAR / todo);
        StringBuilder line = new StringBuilder("\r[");
        for (int i = 0; i < BAR; i++) {
            line.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        line.append("] ").append(processed).append('/').append(todo).append(errorText()).append("  ")
                .append(rateText(now)).append("  ETA ").append(eta(now)).append("  ");
        int room = width - (line.length() - 1);
        line.append(truncate(current, Math.max(0, room)));
        int length = line.length() - 1;
        // Overwrite what is left of a longer previous line.
        for (int i = length; i < drawnLength; i++) {
            line.append(' ');
        }
        drawnLength = length;
        out.print(line);
        out.flush();
    }

    private void clearLine() {
        out.print("\r" + " ".repeat(drawnLength) + "\r");
        drawnLength = 0;
    }

    private String errorText() {
        return errors == 0 ? "" : errors == 1 ? ", 1 error" : ", " + errors + " errors";
    }

    private String rateText(long now) {
        double seconds = (now - start) / 1e9;
        return seconds <= 0 || processed == 0 ? "-- files/s"
                : String.format(Locale.ROOT, "%.2f files/s", processed / seconds);
    }

    private String eta(long now) {
        double seconds = (now - start) / 1e9;
        if (processed == 0 || seconds <= 0) {
            return "--:--";
        }
        return duration((todo - processed) * seconds / processed);
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Keeps the end of a long path (the file name matters most): {@code ...dir/file.jpg}. */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        if (max <= 3) {
            return text.substring(text.length() - max);
        }
        return "..." + text.substring(text.length() - (max - 3));
    }
}
