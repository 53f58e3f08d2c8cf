package io.qwen3vl.cli;

import picocli.CommandLine.Option;

/** Which checkpoint to run, where, and in which precision: shared by every command that loads a model. */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR|REPO",
            description = "Model folder, or a Hugging Face repo id found in the local HF cache "
                    + "(default: $QWEN3VL_MODEL).")
    String model;

    @Option(names = "--device", paramLabel = "cpu|cuda[:N]", defaultValue = "cpu",
            description = "Where to run (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--dtype", paramLabel = "fp32|fp16", defaultValue = "fp32",
            description = "Compute precision of weights and activations (default: ${DEFAULT-VALUE}).")
    String dtype;

    /** The --model value, falling back to QWEN3VL_MODEL; fails with a usage message when neither is set. */
    String modelOrEnv() {
        if (model != null && !model.isBlank()) {
            return model;
        }
        String env = System.getenv("QWEN3VL_MODEL");
        if (env != null && !env.isBlank()) {
            return env;
        }
        throw new UsageError("no model given: pass --model DIR (or a Hugging Face repo id) or set QWEN3VL_MODEL");
    }
}
