package io.qwen3vl.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The Java heap of the child JVM the CLI runs its work in (see {@link NativeThreading}): a small
 * young generation and the serial collector, each unless the user chose one.
 *
 * <p>Why: the model and its activations live in native memory and the Java heap holds little, yet
 * the heap's resident memory counted against the memory budget (weights + KV cache + 1 GiB).
 * <ul>
 *   <li>G1 sizes its young generation from the heap it has committed (about 400–500 MB here, 1/64
 *       of the machine's memory to start with) and touches every region of it between collections.
 *       Capped at 32 MB, a 2,048-token prompt of the 2B model in 8 bits peaked at 4.44 GiB instead
 *       of 4.70 (budget 4.54) and the benchmark's whole run at 4.59 GiB instead of 5.53.</li>
 *   <li>With that cap, G1 still grew its committed heap: until C2 has compiled the Vector API
 *       kernels, they box their vectors and make gigabytes of garbage in the first prefill, and G1
 *       answered the many short collections by expanding the heap to 5.5 GB, taking its young
 *       regions from ever new places: 290–340 MB more resident memory that stayed. The serial
 *       collector keeps its young generation in one place: a 512-token int8 prompt peaked at
 *       4.10–4.17 GB instead of 4.46 (with the parallel collector 4.10–4.15), and 3.72 GB stayed
 *       resident after it instead of 4.04.</li>
 * </ul>
 * Collections stay short, the heap's live data being small.
 */
final class JavaHeap {
    static final String YOUNG_GENERATION = "-XX:MaxNewSize=32m";
    static final String COLLECTOR = "-XX:+UseSerialGC";

    private JavaHeap() {
    }

    /** The flags to add to a JVM started with {@code jvmArguments}: those for what they do not set already. */
    static List<String> flags(List<String> jvmArguments) {
        boolean youngSized = false;
        boolean collectorChosen = false;
        for (String a : jvmArguments) {
            youngSized |= a.startsWith("-Xmn") || a.startsWith("-XX:MaxNewSize") || a.startsWith("-XX:NewSize")
                    || a.startsWith("-XX:NewRatio");
            collectorChosen |= a.startsWith("-XX:+Use") && a.endsWith("GC");
        }
        List<String> flags = new ArrayList<>();
        if (!youngSized) {
            flags.add(YOUNG_GENERATION);
        }
        if (!collectorChosen) {
            flags.add(COLLECTOR);
        }
        return flags;
    }
}
