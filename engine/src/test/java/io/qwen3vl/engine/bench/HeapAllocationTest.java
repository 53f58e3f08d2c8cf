package io.qwen3vl.engine.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The bench's heap counter on HotSpot, as the build runs: it sees allocation and never goes negative. */
class HeapAllocationTest {
    private static final List<byte[]> KEPT = new ArrayList<>();

    @Test
    void countsWhatThisThreadAllocates() {
        HeapAllocation.Window w = HeapAllocation.open();
        assertNotNull(w, "HotSpot counts allocation per thread");
        for (int i = 0; i < 10; i++) {
            KEPT.add(new byte[1 << 20]); // kept reachable: not scalar-replaced
        }
        long bytes = w.bytes();
        KEPT.clear();
        assertTrue(bytes >= 10L << 20, bytes + " bytes");
    }

    @Test
    void aThreadEndingInTheWindowDoesNotMakeItNegative() throws Exception {
        CountDownLatch allocated = new CountDownLatch(1);
        CountDownLatch opened = new CountDownLatch(1);
        Thread busy = new Thread(() -> {
            for (int i = 0; i < 8; i++) {
                synchronized (KEPT) {
                    KEPT.add(new byte[1 << 20]);
                }
            }
            allocated.countDown();
            try {
                opened.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        busy.start();
        allocated.await();
        HeapAllocation.Window w = HeapAllocation.open();
        opened.countDown();
        busy.join(); // its 8 MB, counted in a total over live threads at the start, leave with it
        long bytes = w.bytes();
        synchronized (KEPT) {
            KEPT.clear();
        }
        assertTrue(bytes >= 0, bytes + " bytes");
    }
}
