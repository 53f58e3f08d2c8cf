package io.qwen3vl.models.checkpoint;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.config.ModelConfig;
import java.util.Map;

/**
 * Synthetic weights for a configuration, generated in native memory on demand: every tensor the
 * real checkpoint has, with its real shape, so that a benchmark exercises the real sizes without a
 * download. Normalisation scales are 1 and their shifts 0; everything else is N(0, std²) — small
 * enough (std 0.02, the models' initializer range) that activations stay finite through every layer.
 */
public final class RandomWeights implements WeightSource {
    public static final double DEFAULT_STD = 0.02;

    private final String label;
    private final Map<String, long[]> shapes;
    private final double std;

    /**
     * @param label what the weights stand for in messages ("random 2B")
     * @param seed  seeds the native generator, so a run is repeatable
     */
    public RandomWeights(String label, ModelConfig config, long seed) {
        this.label = label;
        this.shapes = TensorShapes.of(config);
        this.std = DEFAULT_STD;
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    }

    public Map<String, long[]> shapes() {
        return shapes;
    }

    @Override
    public NDArray load(String name, NDManager manager, DataType dtype) {
        long[] dims = shapes.get(name);
        if (dims == null) {
            throw new CheckpointException(label + ": tensor '" + name + "' is not part of this configuration");
        }
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
            throw new IllegalArgumentException(label + ": weights can be FLOAT32 or FLOAT16, not " + dtype);
        }
        Shape shape = new Shape(dims);
        boolean norm = name.contains("norm");
        if (norm && name.endsWith(".weight")) {
            return manager.ones(shape, dtype);
        }
        if (norm && name.endsWith(".bias")) {
            return manager.zeros(shape, dtype);
        }
        // Sampled in the target dtype: an fp32 draw narrowed afterwards left a gigabyte of freed
        // temporaries in the heap of a 2B fp16 load, which then counted as the model's memory.
        return manager.randomNormal(0f, (float) std, shape, dtype);
    }

    @Override
    public boolean contains(String name) {
        return shapes.containsKey(name);
    }

    @Override
    public String describe() {
        return label + " weights";
    }

    @Override
    public void close() {
        // Nothing held: every array belongs to the manager it was loaded into.
    }
}
