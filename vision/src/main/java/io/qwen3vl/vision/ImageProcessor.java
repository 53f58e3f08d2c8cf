package io.qwen3vl.vision;

import java.nio.file.Path;
import java.util.List;

/**
 * The image half of the reference processor: smart-resize within the pixel budget, bicubic
 * antialiased resampling, normalisation and patchifying (one frame repeated to fill the temporal
 * patch). Equal to transformers' Qwen2-VL fast image processor as used by Qwen3-VL.
 *
 * <p>Budget overrides each work alone: a lone {@code maxPixels} override is honoured (upstream
 * ignores it unless {@code min_pixels} is also given). When an override makes min exceed max, the
 * max wins, as in the reference rule (the over-budget branch is checked first).
 */
public final class ImageProcessor {
    private final PreprocessorConfig.ImageSettings settings;
    private final Patchifier patchifier;

    public ImageProcessor(PreprocessorConfig config) {
        this.settings = config.image();
        this.patchifier = settings.patchifier();
    }

    public PreprocessorConfig.ImageSettings settings() {
        return settings;
    }

    /**
     * Processes an in-memory picture.
     *
     * @param minPixelsOverride null for the configured minimum
     * @param maxPixelsOverride null for the configured maximum
     * @throws IllegalArgumentException when the picture cannot be resized (a side below the factor,
     *                                  aspect ratio above 200) or an override is not positive
     */
    public ProcessedImage process(RgbImage img, Long minPixelsOverride, Long maxPixelsOverride) {
        long min = budget(minPixelsOverride, settings.minPixels(), "min pixels");
        long max = budget(maxPixelsOverride, settings.maxPixels(), "max pixels");
        ImageSize original = new ImageSize(img.width(), img.height());
        ImageSize target = SmartResize.image(img.width(), img.height(), settings.factor(), min, max);
        RgbImage resized = BicubicResampler.resize(img, target.width(), target.height());
        return new ProcessedImage(patchifier.patchify(List.of(resized)), original, target);
    }

    /**
     * Loads and processes a picture file; every problem becomes a {@link MediaException} naming the
     * file.
     */
    public ProcessedImage process(Path file, AlphaMode alpha, Long minPixelsOverride, Long maxPixelsOverride) {
        RgbImage img = ImageLoader.load(file, alpha);
        try {
            return process(img, minPixelsOverride, maxPixelsOverride);
        } catch (IllegalArgumentException e) {
            throw new MediaException(file, e.getMessage(), e);
        }
    }

    private static long budget(Long override, long configured, String what) {
        if (override == null) {
            return configured;
        }
        if (override <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + override);
        }
        return override;
    }
}
