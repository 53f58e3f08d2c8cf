package io.qwen3vl.engine.batch;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Runs a two-stage pipeline over a list of items and writes one result line per item, in input
 * order, to a {@link ResultLog}:
 * <ol>
 *   <li>{@link Task#prepare} (CPU work: decoding, resizing) runs on a background thread, up to
 *       {@code prefetch} items ahead of</li>
 *   <li>{@link Task#run} (generation), which runs one item at a time on the calling thread.</li>
 * </ol>
 * So decoding the next file overlaps generation of the current one while at most
 * {@code prefetch + 1} prepared items exist at once (memory stays flat). With {@code prefetch = 0}
 * both stages run on the calling thread, one after the other.
 *
 * <p>An exception in either stage (and running out of memory on one huge input) becomes the error
 * line of that item and the run goes on. Failing to write a line stops the run: there is no point
 * captioning what cannot be recorded. Prepared values that are {@link AutoCloseable} are owned by the
 * runner: closed after their item ran, and also when the run stops early (interrupt, write failure),
 * including those still being prepared.
 *
 * @param <I> an input item
 * @param <P> what stage 1 produces for it
 * @param <R> what stage 2 produces
 */
public final class BatchRunner<I, P, R> {

    /** The work a batch run does for each item; the engine implements it. */
    public interface Task<I, P, R> {
        /** The item's key in the result log (relative path, eval id). */
        String key(I item);

        /** Stage 1, on a background thread: decode and preprocess. */
        P prepare(I item) throws Exception;

        /** Stage 2, on the calling thread, one item at a time: generate. */
        R run(I item, P prepared) throws Exception;

        /** The success line for the item. */
        JsonObject record(I item, R result);

        /** The error line for the item; must contain the key and an {@code error} object. */
        JsonObject errorRecord(I item, Throwable error);
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Task<I, P, R> task;
    private final int prefetch;
    private final boolean retryErrors;
    private final ProgressListener listener;
    private final LongSupplier clock;

    private BatchRunner(Task<I, P, R> task, int prefetch, boolean retryErrors, ProgressListener listener,
            LongSupplier clock) {
        if (prefetch < 0 || prefetch > 8) {
            throw new IllegalArgumentException("prefetch must be between 0 and 8, got " + prefetch);
        }
        this.task = task;
        this.prefetch = prefetch;
        this.retryErrors = retryErrors;
        this.listener = listener;
        this.clock = clock;
    }

    /** A runner preparing one item ahead, not retrying error lines, with no progress output. */
    public static <I, P, R> BatchRunner<I, P, R> of(Task<I, P, R> task) {
        return new BatchRunner<>(task, 1, false, ProgressListener.NONE, System::nanoTime);
    }

    /** How many items stage 1 may prepare ahead of the one generating (0 = sequential). */
    public BatchRunner<I, P, R> prefetch(int depth) {
        return new BatchRunner<>(task, depth, retryErrors, listener, clock);
    }

    /** Whether items with an error line from an earlier run are tried again. */
    public BatchRunner<I, P, R> retryErrors(boolean value) {
        return new BatchRunner<>(task, prefetch, value, listener, clock);
    }

    public BatchRunner<I, P, R> listener(ProgressListener value) {
        return new BatchRunner<>(task, prefetch, retryErrors, value, clock);
    }

    /** The clock for elapsed times (nanoseconds), replaceable in tests. */
    public BatchRunner<I, P, R> clock(LongSupplier nanos) {
        return new BatchRunner<>(task, prefetch, retryErrors, listener, nanos);
    }

    /**
     * Processes the items that {@code log} does not cover yet and appends their lines.
     *
     * @throws IOException when a line cannot be written (the run stops; lines written so far stay)
     * @throws InterruptedException when the calling thread is interrupted between or during items
     */
    public BatchSummary run(List<I> items, ResultLog log) throws IOException, InterruptedException {
        long start = clock.getAsLong();
        List<I> todo = log.pending(items, task::key, retryErrors);
        int skipped = items.size() - todo.size();
        listener.started(items.size(), skipped);
        int ok = 0;
        int errors = 0;
        ExecutorService executor = prefetch == 0 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-prepare-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean stopping = new AtomicBoolean();
        Deque<Slot<I, P>> ahead = new ArrayDeque<>();
        int next = 0;
        boolean finished = false;
        try {
            for (int i = 0; i < todo.size(); i++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("batch run interrupted");
                }
                while (executor != null && next < todo.size() && ahead.size() <= prefetch) {
                    ahead.addLast(submit(todo.get(next++), executor, stopping));
                }
                I item = todo.get(i);
                String key = task.key(item);
                listener.itemStarted(key);
                Throwable failure = null;
                R result = null;
                P prepared = null;
                try {
                    if (executor == null) {
                        prepared = task.prepare(item);
                    } else {
                        prepared = await(ahead.peekFirst());
                        ahead.removeFirst();
                    }
                    result = task.run(item, prepared);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                    failure = e;
                } finally {
                    if (executor != null && ahead.peekFirst() != null && ahead.peekFirst().item == item) {
                        ahead.removeFirst().release(); // stopped while waiting: release it when ready
                    }
                    closeQuietly(prepared);
                }
                JsonObject record = null;
                if (failure == null) {
                    try {
                        record = task.record(item, result);
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
                if (failure != null) {
                    record = errorRecord(item, key, failure, log.keyField());
                    errors++;
                } else {
                    ok++;
                }
                log.append(record);
                listener.itemFinished(key, failure == null ? null : ErrorInfo.message(failure));
            }
            finished = true;
        } finally {
            stopping.set(true);
            for (Slot<I, P> slot : ahead) {
                slot.release();
            }
            if (executor != null) {
                if (finished) {
                    executor.shutdown();
                } else {
                    executor.shutdownNow();
                }
            }
        }
        BatchSummary summary = new BatchSummary(items.size(), skipped, ok, errors, clock.getAsLong() - start);
        listener.finished(summary);
        return summary;
    }

    private Slot<I, P> submit(I item, ExecutorService executor, AtomicBoolean stopping) {
        CompletableFuture<P> future = CompletableFuture.supplyAsync(() -> {
            if (stopping.get()) {
                return null; // the run stopped before this item's turn: do no work
            }
            try {
                return task.prepare(item);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, executor);
        return new Slot<>(item, future);
    }

    private P await(Slot<I, P> slot) throws Exception {
        try {
            return slot.future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private JsonObject errorRecord(I item, String key, Throwable failure, String keyField) {
        try {
            JsonObject record = task.errorRecord(item, failure);
            if (record != null && record.has("error")) {
                return record;
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        JsonObject fallback = new JsonObject();
        fallback.addProperty(keyField, key);
        fallback.add("error", ErrorInfo.of(failure));
        return fallback;
    }

    static void closeQuietly(Object value) {
        if (value instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // nothing more to do for a value that is being thrown away
            }
        }
    }

    /** An item whose stage 1 was started. */
    private record Slot<I, P>(I item, CompletableFuture<P> future) {
        /** Closes the prepared value once it exists, whenever that is. */
        void release() {
            future.whenComplete((value, error) -> closeQuietly(value));
        }
    }
}
