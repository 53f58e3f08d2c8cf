package io.qwen3vl.models.config;

/** The vision transformer's hyper-parameters ({@code vision_config}). */
public record VisionConfig(
        int depth,
        int hiddenSize,
        int intermediateSize,
        int numHeads,
        int inChannels,
        int patchSize,
        int temporalPatchSize,
        int spatialMergeSize,
        int outHiddenSize,
        int numPositionEmbeddings,
        int[] deepstackVisualIndexes,
        String hiddenAct) {
}
