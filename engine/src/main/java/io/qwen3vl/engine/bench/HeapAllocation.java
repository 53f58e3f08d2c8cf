package io.qwen3vl.engine.bench;

import java.lang.management.ManagementFactory;

/**
 * Java heap bytes allocated so far by the live threads of this process, from HotSpot's per-thread
 * allocation counters ({@code com.sun.management.ThreadMXBean}); -1 where the JVM has none.
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

    /** Bytes allocated on the heap by all live threads since they started, or -1 where unknown. */
    static long allocatedBytes() {
        if (THREADS == null) {
            return -1;
        }
        long total = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            if (bytes > 0) { // -1 for a thread that ended between the two calls
                total += bytes;
            }
        }
        return total;
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
