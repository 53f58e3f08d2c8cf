package io.qwen3vl.engine.bench;

import java.lang.management.ManagementFactory;

/**
 * Java heap bytes allocated by this process's threads over a stretch of its run, from HotSpot's
 * per-thread allocation counters ({@code com.sun.management.ThreadMXBean}), where the JVM has them.
 *
 * <p>Why the bench counts it: a decode step is meant to allocate nothing that grows with the
 * context (its arrays are reused; the weights and the cache are native), and whether the JIT keeps
 * the Vector API's vectors in registers is a compilation outcome that only shows as garbage: on
 * JDK 21 an attention step at 8K positions once allocated 88 MB a token of boxed vectors from
 * kernels C2 had left unintrinsified. The counter is read around the timed steps only, so the
 * bandwidth probe between them does not count.
 */
final class HeapAllocation {
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private HeapAllocation() {
    }

    /**
     * Starts counting what the threads alive now allocate from here on; null where the JVM does not
     * count it. Per thread, not a process total: a thread that ends takes its count with it, and a
     * total over the live threads could go down across a step (it did, in an 8-bit run on JDK 21).
     */
    static Window open() {
        if (THREADS == null) {
            return null;
        }
        long[] ids = THREADS.getAllThreadIds();
        return new Window(ids, THREADS.getThreadAllocatedBytes(ids));
    }

    /** What the threads alive at {@link #open} allocated since then. */
    static final class Window {
        private final long[] ids;
        private final long[] start;

        private Window(long[] ids, long[] start) {
            this.ids = ids;
            this.start = start;
        }

        /** Bytes allocated since the window opened by its threads that are still alive. */
        long bytes() {
            long[] now = THREADS.getThreadAllocatedBytes(ids);
            long total = 0;
            for (int i = 0; i < ids.length; i++) {
                if (now[i] >= 0 && start[i] >= 0) { // -1: the thread has ended (or never counted)
                    total += now[i] - start[i];
                }
            }
            return total;
        }
    }

    private static com.sun.management.ThreadMXBean threads() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported()) {
                t.setThreadAllocatedMemoryEnabled(true);
                return t;
            }
        } catch (UnsupportedOperationException | SecurityException | LinkageError e) {
            // fall through: not measurable on this JVM
        }
        return null;
    }
}
