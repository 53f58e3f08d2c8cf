package io.qwen3vl.engine;

import org.bytedeco.javacpp.Pointer;

/**
 * Gives the native memory a finished request freed back to the operating system.
 *
 * <p>Why: libtorch frees a request's activations into glibc's malloc arenas (one per thread that
 * allocated), which keep most of it for reuse instead of returning it. After one 512-token prefill
 * of the 2B model in fp16 the process kept 0.3 GB more resident than it needed, so the next request
 * started higher, and peak memory depended on what ran before. glibc's {@code malloc_trim} returns
 * the free pages; JavaCPP, which JavaCV already brings for FFmpeg, exposes it as
 * {@link Pointer#trimMemory()}. It takes a few milliseconds, so it runs once per request, not per
 * step.
 */
public final class NativeHeap {
    private NativeHeap() {
    }

    /** Returns free heap pages to the system; does nothing where that is unsupported (not glibc, no natives). */
    public static void trim() {
        try {
            Pointer.trimMemory();
        } catch (LinkageError | RuntimeException e) {
            // no JavaCPP natives for this platform: the memory stays with the allocator, nothing else changes
        }
    }
}
