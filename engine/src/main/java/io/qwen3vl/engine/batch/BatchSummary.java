package io.qwen3vl.engine.batch;

/**
 * The outcome of a batch run.
 *
 * @param total inputs found
 * @param skipped inputs that already had a line from an earlier run
 * @param ok inputs answered in this run
 * @param errors inputs that got an error line in this run
 * @param elapsedNanos wall time of this run
 */
public record BatchSummary(int total, int skipped, int ok, int errors, long elapsedNanos) {

    /** Inputs processed (answered or failed) in this run. */
    public int processed() {
        return ok + errors;
    }

    public double elapsedSeconds() {
        return elapsedNanos / 1e9;
    }

    /** Files processed per second of wall time (0 when nothing ran). */
    public double filesPerSecond() {
        return elapsedNanos <= 0 ? 0 : processed() / elapsedSeconds();
    }
}
