package io.qwen3vl.models.vision;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What the vision tower gives the text decoder: the merged vision tokens {@code [tokens, out_hidden]}
 * in prompt order, and one DeepStack feature of the same shape per entry of
 * {@code deepstack_visual_indexes}, in that order.
 */
public record VisionOutput(NDArray embeds, List<NDArray> deepstack) implements AutoCloseable {
    public VisionOutput {
        deepstack = List.copyOf(deepstack);
    }

    /** Frees the native memory of all outputs now rather than when their manager closes. */
    @Override
    public void close() {
        embeds.close();
        deepstack.forEach(NDArray::close);
    }
}
