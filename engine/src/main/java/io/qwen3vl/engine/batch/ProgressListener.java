package io.qwen3vl.engine.batch;

/** Events of a batch run, all delivered on the thread that calls {@link BatchRunner#run}. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() { };

    /** Before the first item: {@code total} inputs, {@code skipped} of them already done. */
    default void started(int total, int skipped) {
    }

    /** An item's generation stage begins. */
    default void itemStarted(String key) {
    }

    /** An item's line was written; {@code error} is its one-line message, or null when it succeeded. */
    default void itemFinished(String key, String error) {
    }

    default void finished(BatchSummary summary) {
    }
}
