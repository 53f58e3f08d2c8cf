package io.qwen3vl.engine.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.engine.sequence.VisionSpan;
import io.qwen3vl.models.vision.VisionOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * Vision-encoder outputs rearranged into prompt order: row {@code i} belongs to the i-th vision pad
 * token of the sequence, whether it comes from an image or a video, so embeddings can be scattered
 * into the pad rows and DeepStack features added at the same rows.
 *
 * @param embeds    {@code [visionTokens, hidden]}
 * @param deepStack one {@code [visionTokens, hidden]} array per DeepStack level
 */
public record VisionFeatures(NDArray embeds, List<NDArray> deepStack) {

    /**
     * @param images encoder output of each image, in prompt order
     * @param videos encoder output of each video, in prompt order (rows of all its temporal patches)
     */
    public static VisionFeatures assemble(TokenSequence sequence, List<VisionOutput> images,
                                          List<VisionOutput> videos) {
        List<VisionSpan> spans = sequence.spans();
        if (spans.isEmpty()) {
            return null;
        }
        int levels = -1;
        NDList embedRows = new NDList();
        List<NDList> deepRows = new ArrayList<>();
        for (VisionSpan span : spans) {
            VisionOutput out = span.kind() == VisionSpan.Kind.IMAGE
                    ? images.get(span.mediaIndex()) : videos.get(span.mediaIndex());
            if (levels < 0) {
                levels = out.deepstack().size();
                for (int l = 0; l < levels; l++) {
                    deepRows.add(new NDList());
                }
            }
            long from = (long) span.temporalIndex() * span.length();
            long to = from + span.length();
            if (to > out.embeds().getShape().get(0)) {
                throw new IllegalArgumentException(span.kind() + " " + span.mediaIndex() + " has "
                        + out.embeds().getShape().get(0) + " vision tokens, the prompt needs rows " + from + ".." + to);
            }
            embedRows.add(out.embeds().get("{}:{}", from, to));
            for (int l = 0; l < levels; l++) {
                deepRows.get(l).add(out.deepstack().get(l).get("{}:{}", from, to));
            }
        }
        List<NDArray> deep = new ArrayList<>();
        for (NDList rows : deepRows) {
            deep.add(concat(rows));
        }
        return new VisionFeatures(concat(embedRows), deep);
    }

    private static NDArray concat(NDList rows) {
        return rows.size() == 1 ? rows.singletonOrThrow() : NDArrays.concat(rows, 0);
    }
}
