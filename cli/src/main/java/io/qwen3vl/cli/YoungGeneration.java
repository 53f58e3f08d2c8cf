package io.qwen3vl.cli;

import java.util.List;

/**
 * The size of the JVM's young generation for the child JVM the CLI runs its work in (see
 * {@link NativeThreading}): small, unless the user chose one.
 *
 * <p>Why: the model and its activations live in native memory; the Java heap holds little, but G1
 * sizes its young generation from the heap it has committed (about 400–500 MB here, 1/64 of the
 * machine's memory to start with) and touches every region of it between collections, so the
 * young generation alone added a few hundred MB of resident memory. Capped at 32 MB, a 2,048-token
 * prompt of the 2B model in 8 bits peaked at 4.44 GiB instead of 4.70 (budget 4.54: weights + KV
 * cache + 1 GiB) and the benchmark's whole run at 4.59 GiB instead of 5.53; the collections it
 * adds are short, the heap's live data being small.
 */
final class YoungGeneration {
    static final String DEFAULT = "-XX:MaxNewSize=32m";

    private YoungGeneration() {
    }

    /** The flags to add to a JVM started with {@code jvmArguments}: none when they size the young generation already. */
    static List<String> flags(List<String> jvmArguments) {
        for (String a : jvmArguments) {
            if (a.startsWith("-Xmn") || a.startsWith("-XX:MaxNewSize") || a.startsWith("-XX:NewSize")
                    || a.startsWith("-XX:NewRatio")) {
                return List.of();
            }
        }
        return List.of(DEFAULT);
    }
}
