package io.qwen3vl.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Where the model's loaders get their tensors, by checkpoint name
 * ({@code model.language_model.layers.3.mlp.up_proj.weight}): a {@link Checkpoint} on disk, or
 * synthetic weights of a real configuration for benchmarks ({@code RandomWeights}).
 */
public interface WeightSource extends AutoCloseable {
    /** The tensor called {@code name} as an NDArray of {@code dtype} owned by {@code manager}. */
    NDArray load(String name, NDManager manager, DataType dtype);

    boolean contains(String name);

    /** Names the source in messages: the model folder, or what the synthetic weights stand for. */
    String describe();

    /** Releases files or mappings held by the source (not the arrays already loaded from it). */
    @Override
    void close();
}
