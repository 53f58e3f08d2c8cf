package io.qwen3vl.models.config;

/** The Qwen3 language model's hyper-parameters ({@code text_config}). */
public record TextConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        int[] mropeSection,
        boolean mropeInterleaved,
        String hiddenAct,
        boolean attentionBias,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings) {
}
