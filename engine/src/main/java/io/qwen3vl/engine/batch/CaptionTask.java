package io.qwen3vl.engine.batch;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.qwen3vl.engine.Answer;
import io.qwen3vl.engine.Qwen3VLEngine;
import io.qwen3vl.engine.generate.SamplingSettings;
import io.qwen3vl.engine.generate.TokenListener;
import io.qwen3vl.engine.media.MediaOptions;
import io.qwen3vl.engine.media.PreparedMedia;
import io.qwen3vl.engine.request.PreparedPrompt;
import io.qwen3vl.engine.request.PromptBuilder;
import java.nio.file.Path;
import java.util.List;

/**
 * Captioning one file of a folder: decode and preprocess it (stage 1, ahead of time on the
 * runner's background thread), then generate its caption (stage 2), and describe the outcome as one
 * JSON line. With an SRT folder, video answers are also written as SubRip files.
 */
public final class CaptionTask implements BatchRunner.Task<InputFile, PreparedPrompt, CaptionTask.Captioned> {
    public static final String DEFAULT_IMAGE_PROMPT = "Describe this image in detail.";
    public static final String DEFAULT_VIDEO_PROMPT = "Describe this video in detail: what happens, and when.";
    /** Asked for videos when subtitles are wanted: one timestamped event per line. */
    public static final String SRT_VIDEO_PROMPT = "List the events of this video in order, one per line, each starting "
            + "with its start time in seconds like <12.5 seconds>, followed by a short description.";

    private final Qwen3VLEngine engine;
    private final MediaOptions media;
    private final SamplingSettings sampling;
    private final String imagePrompt;
    private final String videoPrompt;
    private final Path srtDir;

    /**
     * @param srtDir folder for SubRip files of videos, or null for none
     */
    public CaptionTask(Qwen3VLEngine engine, MediaOptions media, SamplingSettings sampling, String imagePrompt,
                       String videoPrompt, Path srtDir) {
        this.engine = engine;
        this.media = media;
        this.sampling = sampling;
        this.imagePrompt = imagePrompt;
        this.videoPrompt = videoPrompt;
        this.srtDir = srtDir;
    }

    /** A generated caption with the prompt it answered (for frame and timing details). */
    public record Captioned(PreparedPrompt prompt, Answer answer) {
    }

    @Override
    public String key(InputFile item) {
        return item.relativePath();
    }

    @Override
    public PreparedPrompt prepare(InputFile item) {
        item.requireUsable();
        boolean video = item.kind() == MediaKind.VIDEO;
        List<Object> messages = PromptBuilder.userTurn(null, video ? List.of() : List.of(item.path()),
                video ? List.of(item.path()) : List.of(), video ? videoPrompt : imagePrompt);
        return engine.prompts().build(messages, null, media);
    }

    @Override
    public Captioned run(InputFile item, PreparedPrompt prepared) {
        return new Captioned(prepared, engine.generate(prepared, sampling, TokenListener.NONE));
    }

    @Override
    public JsonObject record(InputFile item, Captioned result) {
        Answer a = result.answer();
        CaptionRecord.Builder b = CaptionRecord.builder(item.relativePath(), item.kind())
                .caption(a.text())
                .tokens(a.result().promptTokens(), a.result().generatedTokens())
                .timings(a.timings().asMillis());
        PreparedMedia medium = result.prompt().media().isEmpty() ? null : result.prompt().media().get(0);
        if (medium != null && medium.isVideo()) {
            PreparedMedia.VideoSampling v = medium.video();
            b.frames(v.frameIndices()).timestamps(v.timestamps());
            if (srtDir != null) {
                try {
                    Path srt = SrtWriter.write(srtDir, item.relativePath(), a.text(), v.totalFrames() / v.fps());
                    b.extra("srt", new JsonPrimitive(srt.toString()));
                } catch (java.io.IOException e) {
                    b.extra("srt_error", new JsonPrimitive(e.getMessage()));
                }
            }
        }
        return b.toJson();
    }

    @Override
    public JsonObject errorRecord(InputFile item, Throwable error) {
        return CaptionRecord.error(item.relativePath(), item.kind(), error);
    }
}
