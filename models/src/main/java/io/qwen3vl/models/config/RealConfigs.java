package io.qwen3vl.models.config;

import java.util.List;
import java.util.Locale;

/**
 * The configurations of the released Qwen3-VL Instruct checkpoints (2B, 4B, 8B), as their
 * {@code config.json} files give them, for work that needs the real shapes without the files
 * (benchmarks on synthetic weights).
 */
public final class RealConfigs {
    public static final List<String> SIZES = List.of("2B", "4B", "8B");

    private static final int VOCAB = 151936;
    private static final double ROPE_THETA = 5_000_000;
    private static final int MAX_POSITIONS = 262144;

    private RealConfigs() {
    }

    /** The configuration of size "2B", "4B" or "8B" (case-insensitive). */
    public static ModelConfig of(String size) {
        switch (size.trim().toUpperCase(Locale.ROOT)) {
            case "2B":
                return config(2048, 6144, 28, 16, true, vision(24, 1024, 4096, 2048, new int[] {5, 11, 17}));
            case "4B":
                return config(2560, 9728, 36, 32, true, vision(24, 1024, 4096, 2560, new int[] {5, 11, 17}));
            case "8B":
                return config(4096, 12288, 36, 32, false, vision(27, 1152, 4304, 4096, new int[] {8, 16, 24}));
            default:
                throw new IllegalArgumentException("unknown Qwen3-VL size '" + size + "': expected one of " + SIZES);
        }
    }

    private static ModelConfig config(int hidden, int intermediate, int layers, int heads, boolean tie,
                                      VisionConfig vision) {
        TextConfig text = new TextConfig(hidden, intermediate, layers, heads, 8, 128, VOCAB, 1e-6, ROPE_THETA,
                new int[] {24, 20, 20}, true, "silu", false, tie, MAX_POSITIONS);
        return new ModelConfig(text, vision, 151655, 151656, 151652, 151653);
    }

    private static VisionConfig vision(int depth, int hidden, int intermediate, int outHidden, int[] deepstack) {
        return new VisionConfig(depth, hidden, intermediate, 16, 3, 16, 2, 2, outHidden, 2304, deepstack,
                "gelu_pytorch_tanh");
    }
}
