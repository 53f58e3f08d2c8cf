package io.qwen3vl.vision;

/** What to do with the alpha channel of an RGBA picture when turning it into RGB. */
public enum AlphaMode {
    /**
     * Drop alpha and keep the colour stored under transparent pixels: PIL {@code convert("RGB")},
     * what the transformers image processor does. The default, and what the goldens follow.
     */
    DROP,
    /**
     * Composite RGBA pictures on white with PIL's integer blending, as qwen-vl-utils' {@code to_rgb}
     * does. Like {@code to_rgb}, only pictures with colour + alpha (PIL mode RGBA) are composited;
     * palette and grey+alpha pictures lose their transparency as with {@link #DROP}.
     */
    WHITE
}
