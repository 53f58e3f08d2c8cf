package io.qwen3vl.engine.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resident memory of this process from {@code /proc/self/status}: the current RSS ({@code VmRSS})
 * and the high-water mark ({@code VmHWM}), which counts native (weights, activations) and heap
 * memory alike. Linux only; elsewhere the figures are -1.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    public static long rssBytes() {
        return field("VmRSS:");
    }

    public static long peakRssBytes() {
        return field("VmHWM:");
    }

    /**
     * Resets the high-water mark to the current RSS (Linux: {@code 5} written to
     * {@code /proc/self/clear_refs}), so that {@link #peakRssBytes} tells the peak of what follows.
     * False where that is not possible.
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static long field(String key) {
        try {
            List<String> lines = Files.readAllLines(STATUS, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // reported in kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
