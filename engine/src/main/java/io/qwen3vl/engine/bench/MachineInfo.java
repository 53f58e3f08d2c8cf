package io.qwen3vl.engine.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** One line naming the machine a benchmark ran on: CPU model, cores, memory, JVM. */
final class MachineInfo {
    private MachineInfo() {
    }

    static String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, %s memory, Java %s (%s)", cpuModel(),
                Runtime.getRuntime().availableProcessors(), memory(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
    }

    private static String cpuModel() {
        String model = field(Path.of("/proc/cpuinfo"), "model name");
        return model != null ? model : System.getProperty("os.arch");
    }

    private static String memory() {
        String total = field(Path.of("/proc/meminfo"), "MemTotal");
        if (total == null) {
            return "unknown";
        }
        try {
            long kb = Long.parseLong(total.replace("kB", "").trim());
            return String.format(Locale.ROOT, "%.0f GiB", kb / (1024.0 * 1024));
        } catch (NumberFormatException e) {
            return total;
        }
    }

    /** The value of the first {@code key: value} line of a /proc file, or null. */
    private static String field(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
