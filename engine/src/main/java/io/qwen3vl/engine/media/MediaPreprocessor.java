package io.qwen3vl.engine.media;

import io.qwen3vl.vision.FrameFolderSource;
import io.qwen3vl.vision.FrameSource;
import io.qwen3vl.vision.ImageProcessor;
import io.qwen3vl.vision.MediaException;
import io.qwen3vl.vision.PreprocessorConfig;
import io.qwen3vl.vision.ProcessedImage;
import io.qwen3vl.vision.SamplingOptions;
import io.qwen3vl.vision.VideoOptions;
import io.qwen3vl.vision.VideoPlan;
import io.qwen3vl.vision.VideoProcessor;
import io.qwen3vl.vision.VideoReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a message's image or video into patches with the checkpoint's processors, applying the
 * request's options and then the item's own qwen-vl-utils style keys ({@code min_pixels},
 * {@code max_pixels}, {@code fps}, {@code nframes}, {@code total_pixels}, ...). Images are
 * processed at once; a video is only planned from its metadata and stays open, its frames decoded
 * on demand (close the result). Stateless and thread-safe; every failure is a
 * {@link MediaException} naming the file.
 */
public final class MediaPreprocessor {
    private final ImageProcessor images;
    private final VideoProcessor videos;

    public MediaPreprocessor(PreprocessorConfig config) {
        this.images = new ImageProcessor(config);
        PreprocessorConfig.VideoSettings v = config.video();
        this.videos = new VideoProcessor(v.patching().patchifier(), v.patching().temporalPatchSize(),
                v.minPixels(), v.maxPixels());
    }

    public PreparedMedia prepare(MediaItem item, MediaOptions options) {
        try {
            return item.kind() == MediaItem.Kind.IMAGE ? image(item, options) : video(item, options);
        } catch (IllegalArgumentException e) {
            // Budget or option errors raised without the file's name.
            throw new MediaException(item.source(), e.getMessage(), e);
        }
    }

    private PreparedMedia image(MediaItem item, MediaOptions options) {
        Long min = longOr(item, "min_pixels", options.minPixels());
        Long max = longOr(item, "max_pixels", options.maxPixels());
        ProcessedImage p = images.process(item.source(), options.alpha(), min, max);
        return new PreparedMedia(item, p.patches().grid(), p.original(), p.resized(), null, Pixels.of(p.patches()));
    }

    private PreparedMedia video(MediaItem item, MediaOptions options) {
        VideoOptions vo = videoOptions(item, options.video());
        double framesFps = item.number("fps") != null && item.isFrameList() ? item.number("fps") : options.framesFps();
        FrameSource source = item.isFrameList()
                ? FrameFolderSource.of(item.files(), framesFps)
                : VideoReader.open(item.source(), framesFps);
        try {
            // Metadata only: frames are decoded when the encoder asks for them (see Pixels).
            VideoPlan p = videos.plan(source, vo);
            List<String> texts = new ArrayList<>();
            for (int t = 0; t < p.grid().t(); t++) {
                texts.add(p.timestampText(t, options.timestampFormat()));
            }
            PreparedMedia.VideoSampling sampling = new PreparedMedia.VideoSampling(p.frameIndices(), p.timestamps(),
                    texts, p.videoFps(), p.totalFrames());
            return new PreparedMedia(item, p.grid(), p.original(), p.resized(), sampling, Pixels.of(videos, source, p));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** The request's video options with the item's own keys applied. */
    private static VideoOptions videoOptions(MediaItem item, VideoOptions base) {
        SamplingOptions s = base.sampling();
        Double nframes = item.number("nframes");
        Double fps = item.number("fps");
        if (nframes != null) {
            s = s.withNumFrames(nframes.intValue());
        } else if (fps != null && !item.isFrameList()) {
            s = s.withFps(fps);
        }
        Double minFrames = item.number("min_frames");
        Double maxFrames = item.number("max_frames");
        if (minFrames != null || maxFrames != null) {
            s = s.withFrameRange(minFrames != null ? minFrames.intValue() : s.minFrames(),
                    maxFrames != null ? maxFrames.intValue() : s.maxFrames());
        }
        return new VideoOptions(s, longOr(item, "max_pixels", base.maxPixels()),
                longOr(item, "total_pixels", base.totalPixels()), longOr(item, "min_pixels", base.minPixels()));
    }

    private static Long longOr(MediaItem item, String key, Long fallback) {
        Double v = item.number(key);
        return v != null ? Long.valueOf(v.longValue()) : fallback;
    }
}
