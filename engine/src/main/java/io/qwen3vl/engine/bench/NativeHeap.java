package io.qwen3vl.engine.bench;

import org.bytedeco.javacpp.Pointer;

/**
 * Gives native memory that earlier phases freed back to the operating system, so that a phase's
 * peak resident memory is its own, as in a fresh process.
 *
 * <p>Why: libtorch frees activations into glibc's malloc arenas (one per thread that allocated),
 * which keep most of it for reuse. After one 512-token fp16 prefill of the 2B model the process
 * kept 0.3 GB more resident than it needed, so the 2,048-token prompt's peak depended on what ran
 * before it (5.09–5.33 GiB against a 5.18 GiB budget in four runs). glibc's {@code malloc_trim}
 * returns the free pages; JavaCPP, which JavaCV already brings for FFmpeg, exposes it as
 * {@link Pointer#trimMemory()}. The engine itself does not trim between requests: the next request
 * then faults its pages in afresh, which cost the next 448×448 image about 5 % (median 4.89 s against
 * 4.62 s, alternating in one process); memory stays flat over a batch either way, the arenas being
 * reused.
 */
final class NativeHeap {
    private NativeHeap() {
    }

    /** Returns free heap pages to the system; does nothing where that is unsupported (not glibc, no natives). */
    static void trim() {
        try {
            Pointer.trimMemory();
        } catch (LinkageError | RuntimeException e) {
            // no JavaCPP natives for this platform: the memory stays with the allocator, nothing else changes
        }
    }
}
