package io.qwen3vl.cli;

import ai.djl.ndarray.types.DataType;
import io.qwen3vl.engine.Qwen3VLEngine;
import io.qwen3vl.models.Precision;
import io.qwen3vl.models.checkpoint.ModelLocator;
import java.nio.file.Path;
import java.util.Locale;
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

    @Option(names = "--dtype", paramLabel = "fp32|fp16|int8", defaultValue = "fp32",
            description = "Precision of weights and activations (default: ${DEFAULT-VALUE}); int8 holds the "
                    + "language model's matrices in 8 bits (blocks of 32 with a scale) and computes in fp32: "
                    + "the fewest weight bytes, with approximated weights.")
    String dtype;

    @Option(names = "--kv-cache", paramLabel = "fp16|fp32",
            description = "Dtype of the KV cache's keys and values (default: fp16 with --dtype int8, else the "
                    + "--dtype's own). fp16 halves the cache's memory and its reads per token; fp32 keeps an fp32 "
                    + "or int8 model's keys and values exact.")
    String kvCache;

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

    /** The model folder: --model or $QWEN3VL_MODEL, as a folder or a repo id in the local HF cache. */
    Path modelDir() {
        return ModelLocator.resolve(modelOrEnv());
    }

    /** The --dtype and --kv-cache values as a precision; fails with a usage message naming the choices. */
    Precision precision() {
        Precision p = precision(dtype);
        if (kvCache == null) {
            return p;
        }
        try {
            return p.withKvCache(kvCacheType(kvCache));
        } catch (IllegalArgumentException e) {
            throw new UsageError("--kv-cache " + kvCache.trim() + " with --dtype " + p.label() + ": " + e.getMessage());
        }
    }

    static DataType kvCacheType(String name) {
        DataType type = denseType(name);
        if (type == null) {
            throw new UsageError("--kv-cache must be fp16 or fp32, not '" + name + "'");
        }
        return type;
    }

    static Precision precision(String name) {
        DataType dense = denseType(name);
        if (dense != null) {
            return Precision.of(dense);
        }
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "int8": case "q8": return Precision.INT8;
            case "bf16": case "bfloat16":
                throw new UsageError("--dtype bf16 is not supported (DJL cannot hold bfloat16 arrays); "
                        + "bf16 checkpoints are converted to fp32 or fp16: use --dtype fp32, fp16 or int8");
            default: throw new UsageError("--dtype must be fp32, fp16 or int8, not '" + name + "'");
        }
    }

    /** FLOAT32 or FLOAT16 by any name users write for them (--dtype and --kv-cache alike), else null. */
    private static DataType denseType(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "fp32": case "float32": return DataType.FLOAT32;
            case "fp16": case "float16": case "half": return DataType.FLOAT16;
            default: return null;
        }
    }

    /** Loads the engine for these options. */
    Qwen3VLEngine load() {
        return Qwen3VLEngine.load(modelDir(), device, precision());
    }
}
