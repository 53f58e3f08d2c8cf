package io.qwen3vl.models.nn.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A small persistent pool for the decode kernel: {@code threads - 1} daemon workers plus the calling
 * thread share the tasks of one call, claiming task indices from a counter.
 *
 * <p>Why not an {@code ExecutorService}: decoding one token makes about 200 kernel calls of 0.1–5 ms
 * each, so the hand-off must cost microseconds. A worker that finished a call spins for a short while
 * ({@code qwen3vl.kernel.spinMicros}, default 50 µs) watching for the next one, and only then parks;
 * the caller never waits for a worker to wake up, it starts on the tasks itself, and a late worker
 * just finds fewer tasks left. Calls made while the pool is busy (another thread, or a task calling
 * back in) run on the caller alone instead of waiting.
 */
final class WorkerPool {
    private static final long SPIN_NANOS = Long.getLong("qwen3vl.kernel.spinMicros", 50) * 1000;

    private final Worker[] workers;
    private final ReentrantLock busy = new ReentrantLock();
    private volatile Job job;

    WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("kernel threads must be >= 1, got " + threads);
        }
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("qwen3vl-kernel-" + (i + 1));
            workers[i].start();
        }
    }

    /** Threads that take part in a call, the caller included. */
    int threads() {
        return workers.length + 1;
    }

    /** Runs {@code body.accept(t)} for every {@code t < tasks}; returns when all have finished. */
    void run(int tasks, IntConsumer body) {
        if (tasks <= 1 || workers.length == 0 || !busy.tryLock()) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        try {
            Job j = new Job(body, tasks);
            job = j;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            j.work();
            j.awaitAll();
            if (j.failure != null) {
                throw new IllegalStateException("decode kernel task failed", j.failure);
            }
        } finally {
            busy.unlock();
        }
    }

    private static final class Job {
        final IntConsumer body;
        final int tasks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(IntConsumer body, int tasks) {
            this.body = body;
            this.tasks = tasks;
        }

        void work() {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                try {
                    body.accept(t);
                } catch (Throwable e) {
                    failure = e;
                }
                done.incrementAndGet(); // publishes the task's writes to the caller
            }
        }

        /** Only tasks already claimed by a running worker remain: a short spin. */
        void awaitAll() {
            while (done.get() < tasks) {
                Thread.onSpinWait();
            }
        }
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            Job last = null;
            while (true) {
                Job j = job;
                if (j != last) {
                    last = j;
                    j.work();
                    continue;
                }
                long until = System.nanoTime() + SPIN_NANOS;
                while (job == last && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (job == last) {
                    // Dekker-style with run(): we publish 'parked' before re-reading 'job', the caller
                    // publishes 'job' before reading 'parked', so one of us sees the other.
                    parked = true;
                    while (job == last) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
            }
        }
    }
}
