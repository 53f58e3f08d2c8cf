package io.qwen3vl.models.nn;

/** How a layer holds its weight matrix. */
public enum WeightFormat {
    /** As the model's dtype (fp32 or fp16). */
    DENSE,
    /** In 8 bits with a scale per block of weights ({@link Int8Weight}); computed in fp32. */
    INT8
}
