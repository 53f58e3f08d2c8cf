package io.qwen3vl.vision;

import java.util.ArrayList;
import java.util.List;

/**
 * Video preprocessing as the official pipelines do it: sample frame indices, decode only those
 * frames, resize them all to one size chosen by the mode's {@code smart_resize} and budget rules
 * (bicubic, antialiased, as torchvision), normalise and patchify (odd frame counts padded with
 * the last frame), and time-stamp each temporal patch.
 *
 * <p>Budgets by mode. {@link SamplerMode#TRANSFORMERS} ({@code Qwen3VLVideoProcessor}, the
 * default): one budget for all sampled frames together, {@code frames × H × W ≤ longest_edge}
 * from the checkpoint's video processor config, at least {@code shortest_edge}. Short clips thus
 * keep near-native resolution. {@link SamplerMode#QWEN_VL_UTILS} ({@code fetch_video}): each frame
 * at least {@value #QWEN_MIN_TOKENS}·32² pixels and at most
 * {@code max(min(768·32², total/frames·2), int(1.05·min))}, total 128000·32²·0.9.
 * The RGB conversion of 4-channel frames (transformers blends them on white) does not arise:
 * decoded video is 3-channel.
 */
public final class VideoProcessor {
    static final int QWEN_MIN_TOKENS = 128;
    static final int QWEN_MAX_TOKENS = 768;
    /** qwen-vl-utils' {@code MODEL_SEQ_LEN} default. */
    static final int QWEN_MODEL_SEQ_LEN = 128000;

    private final Patchifier patchifier;
    private final int temporalPatchSize;
    private final long configMinPixels;
    private final long configMaxPixels;

    /**
     * @param patchifier        patch layout and normalisation of the checkpoint
     * @param temporalPatchSize frames per temporal patch (2)
     * @param configMinPixels   video processor {@code size.shortest_edge}
     * @param configMaxPixels   video processor {@code size.longest_edge} (all frames together)
     */
    public VideoProcessor(Patchifier patchifier, int temporalPatchSize, long configMinPixels, long configMaxPixels) {
        if (temporalPatchSize < 1 || configMinPixels < 1 || configMaxPixels < configMinPixels) {
            throw new IllegalArgumentException("invalid video processor settings: temporal patch " + temporalPatchSize
                    + ", min pixels " + configMinPixels + ", max pixels " + configMaxPixels);
        }
        this.patchifier = patchifier;
        this.temporalPatchSize = temporalPatchSize;
        this.configMinPixels = configMinPixels;
        this.configMaxPixels = configMaxPixels;
    }

    /**
     * Samples, decodes, resizes and patchifies a whole clip at once.
     *
     * @throws MediaException naming the source when the clip is too short, too elongated or does not decode
     */
    public ProcessedVideo process(FrameSource source, VideoOptions options) {
        VideoPlan plan = plan(source, options);
        VisualPatches patches = patches(source, plan, 0, plan.grid().t());
        return new ProcessedVideo(patches, plan.frameIndices(), plan.timestamps(), plan.videoFps(), plan.totalFrames(),
                plan.original(), plan.resized());
    }

    /**
     * Chooses the frames and their common size from the source's metadata, decoding nothing.
     *
     * @throws MediaException naming the source when the clip is too short or too elongated
     */
    public VideoPlan plan(FrameSource source, VideoOptions options) {
        int total = source.frameCount();
        double fps = source.fps();
        ImageSize original = new ImageSize(source.width(), source.height());
        try {
            int[] indices = new FrameSampler(options.sampling()).indices(total, fps);
            ImageSize resized = targetSize(indices.length, original, options);
            int temporal = (indices.length + temporalPatchSize - 1) / temporalPatchSize;
            int patch = patchifier.patchSize();
            PatchGrid grid = new PatchGrid(temporal, resized.height() / patch, resized.width() / patch);
            double[] timestamps = VideoTimestamps.perTemporalPatch(indices, fps, temporalPatchSize);
            return new VideoPlan(indices, timestamps, fps, total, original, resized, grid);
        } catch (IllegalArgumentException e) {
            throw new MediaException(source.path(), e.getMessage(), e);
        }
    }

    /**
     * Decodes, resizes and patchifies temporal patches {@code [from, to)} of a planned clip (an odd
     * frame count pads the last patch with its last frame, as upstream). Chunks in increasing order
     * keep the decoder reading forward.
     */
    public VisualPatches patches(FrameSource source, VideoPlan plan, int from, int to) {
        int[] indices = plan.frameIndices();
        if (from < 0 || to > plan.grid().t() || from >= to) {
            throw new IllegalArgumentException("temporal patches [" + from + ", " + to + ") outside the plan's "
                    + plan.grid().t());
        }
        ImageSize resized = plan.resized();
        int first = from * temporalPatchSize;
        int last = Math.min(to * temporalPatchSize, indices.length);
        List<RgbImage> frames = new ArrayList<>(last - first);
        for (int i = first; i < last; i++) {
            RgbImage frame = source.frame(indices[i]);
            boolean sameSize = frame.width() == resized.width() && frame.height() == resized.height();
            // Same size: the antialiased bicubic resize is the identity, skip it.
            frames.add(sameSize ? frame : BicubicResampler.resize(frame, resized.width(), resized.height()));
        }
        return patchifier.patchify(frames);
    }

    /** The common frame size for {@code frames} sampled frames of this size. */
    public ImageSize targetSize(int frames, ImageSize original, VideoOptions options) {
        int factor = patchifier.factor();
        if (options.mode() == SamplerMode.TRANSFORMERS) {
            long min = options.minPixels() != null ? options.minPixels() : configMinPixels;
            long budget = options.totalPixels() != null ? options.totalPixels() : configMaxPixels;
            if (options.maxPixels() != null) {
                budget = Math.min(budget, Math.multiplyExact(options.maxPixels(), (long) frames));
            }
            return SmartResize.video(frames, original.width(), original.height(), temporalPatchSize, factor,
                    min, Math.max(budget, min));
        }
        long min = options.minPixels() != null ? options.minPixels() : (long) QWEN_MIN_TOKENS * factor * factor;
        double total = options.totalPixels() != null ? options.totalPixels()
                : QWEN_MODEL_SEQ_LEN * (double) factor * factor * 0.9;
        double perFrame = Math.max(Math.min((double) QWEN_MAX_TOKENS * factor * factor,
                total / frames * FrameSampler.FRAME_FACTOR), (long) (min * 1.05));
        if (options.maxPixels() != null) {
            perFrame = Math.min(perFrame, options.maxPixels());
        }
        // Budgets are compared with whole pixel counts, so flooring a fractional share changes nothing
        // there; only the scale factor of an over-budget frame can move by a hair.
        long max = Math.max((long) Math.floor(perFrame), min);
        return SmartResize.qwenVlUtils(original.width(), original.height(), factor, min, max);
    }
}
