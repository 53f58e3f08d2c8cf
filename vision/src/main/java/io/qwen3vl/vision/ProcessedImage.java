package io.qwen3vl.vision;

/** One image ready for the vision tower: its patches, and its size before and after resizing. */
public record ProcessedImage(VisualPatches patches, ImageSize original, ImageSize resized) {
}
