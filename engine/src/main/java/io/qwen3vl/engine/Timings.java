package io.qwen3vl.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock time per phase of a request (load, preprocess, vision, prefill, decode), measured with
 * try-with-resources: {@code try (var t = timings.phase("prefill")) { ... }}. Repeated phases add up.
 */
public final class Timings {
    private final Map<String, Long> nanos = new LinkedHashMap<>();

    public Phase phase(String name) {
        return new Phase(name, System.nanoTime());
    }

    public void add(String name, long elapsedNanos) {
        nanos.merge(name, elapsedNanos, Long::sum);
    }

    /** Adds every phase of {@code other} to this one. */
    public void merge(Timings other) {
        other.nanos.forEach(this::add);
    }

    public double millis(String name) {
        return nanos.getOrDefault(name, 0L) / 1e6;
    }

    /** Phase name to milliseconds, in the order phases first ran. */
    public Map<String, Double> asMillis() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, v / 1e6));
        return Collections.unmodifiableMap(out);
    }

    /** A running phase; closing it records its duration. */
    public final class Phase implements AutoCloseable {
        private final String name;
        private final long start;

        private Phase(String name, long start) {
            this.name = name;
            this.start = start;
        }

        @Override
        public void close() {
            add(name, System.nanoTime() - start);
        }
    }
}
