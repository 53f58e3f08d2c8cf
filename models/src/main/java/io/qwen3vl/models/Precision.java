package io.qwen3vl.models;

import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.nn.WeightFormat;
import io.qwen3vl.models.text.TextDecoder;
import java.util.Objects;

/**
 * How a loaded model holds and computes its numbers: the dtype of activations and dense weights, the
 * format of the language model's matrices, and the dtype of its KV cache. Three presets
 * ({@link #FP32}, {@link #FP16}, {@link #INT8}); {@link #withKvCache} changes the cache's dtype.
 */
public final class Precision {
    /** Everything in fp32: the reference's numbers. */
    public static final Precision FP32 = new Precision("fp32", DataType.FLOAT32, WeightFormat.DENSE, DataType.FLOAT32);
    /** Everything in fp16, rounded where torch's fp16 operations round. */
    public static final Precision FP16 = new Precision("fp16", DataType.FLOAT16, WeightFormat.DENSE, DataType.FLOAT16);
    /**
     * The language model's matrices (projections, embeddings, LM head) in 8 bits (blocks of 32 with
     * an fp32 scale), the KV cache in fp16, everything else, activations included, in fp32: the
     * fewest bytes per decoded token, at an approximation of the weights (see {@code Int8Weight}).
     *
     * <p>Why an fp16 cache: an fp32 one would be read at as many bytes per token as the 8-bit
     * weights themselves at 8K context (2B); fp16 halves that, as llama.cpp's default cache does.
     * 8 bits is the approximate, fast mode already; the fp16 rounding of keys and values (2^-11
     * relative) is small beside its weight steps (up to 1/254 of a block's largest weight). Keys are
     * RMS-normed, values are projections of a normed input: in practice both lie far inside fp16's
     * range. {@code withKvCache(FLOAT32)} keeps them exact.
     */
    public static final Precision INT8 = new Precision("int8", DataType.FLOAT32, WeightFormat.INT8, DataType.FLOAT16);

    private final String label;
    private final DataType dtype;
    private final WeightFormat textWeights;
    private final DataType kvCacheType;

    private Precision(String label, DataType dtype, WeightFormat textWeights, DataType kvCacheType) {
        this.label = label;
        this.dtype = dtype;
        this.textWeights = textWeights;
        this.kvCacheType = kvCacheType;
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

    /**
     * This precision with keys and values cached in {@code type}: the compute dtype, or fp16 (which
     * an fp32 model's attention widens exactly: half the cache's bytes and reads, keys and values
     * rounded to fp16). An fp16 model cannot cache in fp32: its attention computes in fp16.
     *
     * @throws IllegalArgumentException for a combination the model cannot run, naming both dtypes
     */
    public Precision withKvCache(DataType type) {
        if (!TextDecoder.supportsCache(dtype, type)) {
            throw new IllegalArgumentException("a model computing in " + dtypeLabel(dtype) + " caches keys and values in "
                    + (dtype == DataType.FLOAT16 ? "fp16 only" : "fp32 or fp16") + ", not " + dtypeLabel(type));
        }
        return type == kvCacheType ? this : new Precision(label, dtype, textWeights, type);
    }

    /** The dtype of activations and of the weights not held otherwise. */
    public DataType dtype() {
        return dtype;
    }

    /** How the language model's matrices (projections, embeddings, LM head) are held. */
    public WeightFormat textWeights() {
        return textWeights;
    }

    /** The dtype of the KV cache's keys and values. */
    public DataType kvCacheType() {
        return kvCacheType;
    }

    /** The name users write ({@code --dtype}) and reports show; it leaves out the cache's dtype. */
    public String label() {
        return label;
    }

    /** The short name users write and reports show for a dtype: fp16, fp32, else DJL's own. */
    public static String dtypeLabel(DataType type) {
        return type == DataType.FLOAT16 ? "fp16" : type == DataType.FLOAT32 ? "fp32" : type.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Precision)) {
            return false;
        }
        Precision p = (Precision) o;
        return label.equals(p.label) && kvCacheType == p.kvCacheType;
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, kvCacheType);
    }

    /** The label, and the cache's dtype where it is not the compute dtype (e.g. "int8, fp16 KV cache"). */
    @Override
    public String toString() {
        return kvCacheType == dtype ? label : label + ", " + dtypeLabel(kvCacheType) + " KV cache";
    }
}
