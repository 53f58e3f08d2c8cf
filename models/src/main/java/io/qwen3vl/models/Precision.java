package io.qwen3vl.models;

import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.nn.WeightFormat;

/**
 * How a loaded model holds and computes its numbers: the dtype of activations and dense weights, and
 * the format of the language model's matrices.
 */
public enum Precision {
    /** Everything in fp32: the reference's numbers. */
    FP32("fp32", DataType.FLOAT32, WeightFormat.DENSE),
    /** Everything in fp16, rounded where torch's fp16 operations round. */
    FP16("fp16", DataType.FLOAT16, WeightFormat.DENSE),
    /**
     * The language model's matrices (projections, embeddings, LM head) in 8 bits (blocks of 32 with
     * an fp32 scale), the KV cache in fp16, everything else, activations included, in fp32: the
     * fewest bytes per decoded token, at an approximation of the weights (see {@code Int8Weight} and
     * {@code TextDecoder.cacheType}).
     */
    INT8("int8", DataType.FLOAT32, WeightFormat.INT8);

    private final String label;
    private final DataType dtype;
    private final WeightFormat textWeights;

    Precision(String label, DataType dtype, WeightFormat textWeights) {
        this.label = label;
        this.dtype = dtype;
        this.textWeights = textWeights;
    }

    /** The dense precision of {@code dtype} (FLOAT32 or FLOAT16). */
    public static Precision of(DataType dtype) {
        if (dtype == DataType.FLOAT32) {
            return FP32;
        }
        if (dtype == DataType.FLOAT16) {
            return FP16;
        }
        throw new IllegalArgumentException("models compute in fp32 or fp16, not " + dtype);
    }

    /** The dtype of activations and of the weights not held otherwise (and of the KV cache, except in int8). */
    public DataType dtype() {
        return dtype;
    }

    /** How the language model's matrices (projections, embeddings, LM head) are held. */
    public WeightFormat textWeights() {
        return textWeights;
    }

    /** The name users write ({@code --dtype}) and reports show. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
