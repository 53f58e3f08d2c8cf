package io.qwen3vl.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
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

    /**
     * The outputs of consecutive parts of one input (e.g. a video encoded a chunk of temporal patches
     * at a time) as one output, tokens in order; owned by the first part's manager.
     */
    public static VisionOutput concat(List<VisionOutput> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        NDList embeds = new NDList();
        List<NDList> levels = new ArrayList<>();
        for (VisionOutput p : parts) {
            embeds.add(p.embeds());
            for (int l = 0; l < p.deepstack().size(); l++) {
                if (levels.size() <= l) {
                    levels.add(new NDList());
                }
                levels.get(l).add(p.deepstack().get(l));
            }
        }
        List<NDArray> deep = new ArrayList<>();
        for (NDList level : levels) {
            deep.add(NDArrays.concat(level, 0));
        }
        return new VisionOutput(NDArrays.concat(embeds, 0), deep);
    }

    /** Frees the native memory of all outputs now rather than when their manager closes. */
    @Override
    public void close() {
        embeds.close();
        deepstack.forEach(NDArray::close);
    }
}
