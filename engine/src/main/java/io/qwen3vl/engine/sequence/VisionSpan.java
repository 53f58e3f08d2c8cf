package io.qwen3vl.engine.sequence;

/**
 * A run of vision pad tokens inside the prompt: one image, or one temporal patch (two frames) of a
 * video. Grid sizes are in language-model tokens, i.e. after the 2×2 spatial merge.
 *
 * @param kind          image or video
 * @param mediaIndex    which image (or which video) of the prompt, counted per kind from 0
 * @param temporalIndex for videos, which temporal patch of that video; 0 for images
 * @param start         index of the first pad token in the token sequence
 * @param gridT         temporal extent (1 per block for videos, which are split per temporal patch)
 * @param gridH         merged rows
 * @param gridW         merged columns
 */
public record VisionSpan(Kind kind, int mediaIndex, int temporalIndex, int start, int gridT, int gridH, int gridW) {
    public enum Kind { IMAGE, VIDEO }

    public int length() {
        return gridT * gridH * gridW;
    }

    public int end() {
        return start + length();
    }
}
