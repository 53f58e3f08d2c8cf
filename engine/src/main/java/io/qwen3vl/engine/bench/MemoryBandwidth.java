package io.qwen3vl.engine.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.nn.kernel.MatVec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;

/**
 * This machine's streaming-read bandwidth, the roofline of decoding (which reads every weight once
 * per token). Three probes, the best of several passes each:
 * <ul>
 *   <li>Java: every core XOR-reduces its share of {@code long[]} blocks. C2 vectorises a long XOR
 *       reduction (an add reduction it does not on Java 17), so this reads at the memory's pace;</li>
 *   <li>vector: every core streams its share of native (NDArray) blocks through the Vector API,
 *       the decode kernel's own access pattern ({@link VectorReadProbe}); 0 when the JVM lacks the
 *       {@code jdk.incubator.vector} module;</li>
 *   <li>native: the NDArray backend's {@code sum()} over one float32 array, which on its own
 *       under-reads some machines noticeably.</li>
 * </ul>
 * The bandwidth used as the limit is the largest of the three.
 *
 * @param bytes  bytes read per pass
 * @param passes timed passes per probe (after one untimed warm-up pass)
 */
public record MemoryBandwidth(double javaBytesPerSecond, double vectorBytesPerSecond, double nativeBytesPerSecond,
                              long bytes, int threads, int passes) {
    /** Largest Java array block: blocks keep every array far below 2^31 elements. */
    private static final int BLOCK_LONGS = 8 << 20; // 64 MiB
    /** Native blocks of the vector probe, as many as the threads need to stream independently. */
    private static final long BLOCK_BYTES = 64L << 20;

    private static volatile long sink;

    public double bestBytesPerSecond() {
        return Math.max(javaBytesPerSecond, Math.max(vectorBytesPerSecond, nativeBytesPerSecond));
    }

    public static MemoryBandwidth measure(long bytes, int threads, int passes, NDManager manager) {
        if (bytes < 1 << 20 || threads < 1 || passes < 1) {
            throw new IllegalArgumentException("bandwidth probe needs >= 1 MiB, >= 1 thread and >= 1 pass");
        }
        double java = javaProbe(bytes, threads, passes);
        double vector = vectorProbe(bytes, threads, passes, manager);
        double nativeRate = nativeProbe(bytes, passes, manager);
        return new MemoryBandwidth(java, vector, nativeRate, bytes, threads, passes);
    }

    /**
     * {@code floats} random values: no two pages alike. Pages of equal content (e.g. all ones) can
     * be merged by the hypervisor into one physical page, which then reads from cache: on this
     * VM kind an all-ones probe once read 58 GB/s while distinct data read 33.
     */
    private static NDArray distinct(NDManager scope, long floats) {
        return scope.randomUniform(-1f, 1f, new Shape(floats), DataType.FLOAT32);
    }

    /** Reads one native block and returns something that depends on every element. */
    interface BufferReader {
        float read(ByteBuffer block);
    }

    private static double vectorProbe(long bytes, int threads, int passes, NDManager manager) {
        try (Stream stream = Stream.open(bytes, threads, manager)) {
            return stream == null ? 0 : bestRate(passes, stream.bytes(), stream::readAll);
        }
    }

    /**
     * The vector probe's native blocks, kept for timed passes between other work: the bench reads
     * one beside every few decode steps, so that decoding is held against the bandwidth of the
     * same minutes. On a shared VM the probe's best pass moves between about 30 and 60 GB/s from
     * one minute to the next (other tenants' traffic), more than any kernel change here.
     */
    public static final class Stream implements AutoCloseable {
        private final NDManager scope;
        private final List<ByteBuffer> blocks;
        private final BufferReader reader;
        private final int threads;
        private final long bytes;

        private Stream(NDManager scope, List<ByteBuffer> blocks, BufferReader reader, int threads) {
            this.scope = scope;
            this.blocks = blocks;
            this.reader = reader;
            this.threads = threads;
            long total = 0;
            for (ByteBuffer b : blocks) {
                total += b.capacity();
            }
            this.bytes = total;
        }

        /**
         * {@code bytes} of distinct data in native blocks of {@code manager}, read by {@code threads}
         * threads; null when the JVM has no vector probe (no {@code jdk.incubator.vector} module, or
         * a Vector API that cannot read native memory, see {@code VectorMemory}).
         */
        public static Stream open(long bytes, int threads, NDManager manager) {
            if (!MatVec.vectorApiPresent()) {
                return null;
            }
            BufferReader reader;
            try {
                reader = (BufferReader) Class.forName(MemoryBandwidth.class.getPackageName() + ".VectorReadProbe")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
            NDManager scope = manager.newSubManager();
            try {
                List<ByteBuffer> blocks = new ArrayList<>();
                for (long done = 0; done < bytes; done += BLOCK_BYTES) {
                    long size = Math.min(BLOCK_BYTES, bytes - done) / Float.BYTES;
                    // Native memory like the weights', written once so every page is resident.
                    blocks.add(distinct(scope, size).toByteBuffer(true));
                }
                return new Stream(scope, blocks, reader, threads);
            } catch (RuntimeException e) {
                scope.close();
                throw e;
            }
        }

        public long bytes() {
            return bytes;
        }

        /** Reads every block once, the blocks shared out over the threads. */
        long readAll() {
            return parallel(threads, t -> {
                float s = 0;
                for (int b = t; b < blocks.size(); b += threads) {
                    s += reader.read(blocks.get(b));
                }
                return Float.floatToIntBits(s);
            });
        }

        /** One timed pass over every block: bytes per second. */
        public double pass() {
            long start = System.nanoTime();
            sink ^= readAll();
            return bytes / Stats.seconds(start);
        }

        @Override
        public void close() {
            scope.close();
        }
    }

    /** Runs {@code part(t)} for every thread index on its own thread; XOR of the results. */
    private static long parallel(int threads, IntToLongFunction part) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bandwidth-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Long>> parts = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                int index = t;
                parts.add(pool.submit(() -> part.applyAsLong(index)));
            }
            long x = 0;
            for (Future<Long> f : parts) {
                x ^= f.get();
            }
            return x;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bandwidth probe interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("bandwidth probe failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static double javaProbe(long bytes, int threads, int passes) {
        long longs = bytes / Long.BYTES;
        List<long[]> blocks = new ArrayList<>();
        for (long done = 0; done < longs; done += BLOCK_LONGS) {
            long[] block = new long[(int) Math.min(BLOCK_LONGS, longs - done)];
            for (int i = 0; i < block.length; i++) {
                block[i] = done + i; // touch every page before timing; no two pages alike (see distinct)
            }
            blocks.add(block);
        }
        return bestRate(passes, longs * Long.BYTES, () -> parallel(threads, t -> {
            long x = 0;
            for (int b = t; b < blocks.size(); b += threads) {
                x ^= xor(blocks.get(b));
            }
            return x;
        }));
    }

    private static long xor(long[] a) {
        long x = 0;
        for (int i = 0; i < a.length; i++) {
            x ^= a[i];
        }
        return x;
    }

    private static double nativeProbe(long bytes, int passes, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            long floats = bytes / Float.BYTES;
            NDArray data = distinct(scope, floats);
            return bestRate(passes, floats * Float.BYTES, () -> {
                try (NDArray sum = data.sum()) {
                    return (long) sum.getFloat();
                }
            });
        }
    }

    /**
     * The best rate of {@code passes} timed runs of {@code read} over {@code bytes}, after one
     * untimed run that lets the JIT compile it; what a run returns is kept so it cannot be elided.
     */
    private static double bestRate(int passes, long bytes, LongSupplier read) {
        double best = 0;
        for (int pass = 0; pass <= passes; pass++) {
            long start = System.nanoTime();
            sink ^= read.getAsLong();
            double rate = bytes / Stats.seconds(start);
            if (pass > 0) {
                best = Math.max(best, rate);
            }
        }
        return best;
    }
}
