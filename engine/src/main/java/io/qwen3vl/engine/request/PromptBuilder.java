package io.qwen3vl.engine.request;

import io.qwen3vl.engine.Timings;
import io.qwen3vl.engine.media.MediaItem;
import io.qwen3vl.engine.media.MediaOptions;
import io.qwen3vl.engine.media.MediaPreprocessor;
import io.qwen3vl.engine.media.MessageMedia;
import io.qwen3vl.engine.media.PreparedMedia;
import io.qwen3vl.engine.sequence.PromptExpander;
import io.qwen3vl.engine.sequence.RopeIndex;
import io.qwen3vl.engine.sequence.SpecialTokens;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.models.config.ModelConfig;
import io.qwen3vl.tokenizer.ChatTemplate;
import io.qwen3vl.tokenizer.QwenTokenizer;
import io.qwen3vl.vision.PatchGrid;
import io.qwen3vl.vision.PreprocessorConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chat messages to a {@link PreparedPrompt}, the way the official processor does it: load and
 * preprocess each image and video, render the checkpoint's chat template, expand each placeholder
 * into pads (videos: one timestamped block per temporal patch), tokenize the whole text once, then
 * locate the vision spans and compute 3-D positions. Pure CPU work that never touches the model, so
 * the next request can be prepared while the model answers the current one; safe to call from
 * several threads.
 */
public final class PromptBuilder implements AutoCloseable {
    private final ChatTemplate template;
    private final QwenTokenizer tokenizer;
    private final MediaPreprocessor media;
    private final SpecialTokens special;
    private final int mergeSize;

    public PromptBuilder(ChatTemplate template, QwenTokenizer tokenizer, MediaPreprocessor media,
                         SpecialTokens special, int mergeSize) {
        this.template = template;
        this.tokenizer = tokenizer;
        this.media = media;
        this.special = special;
        this.mergeSize = mergeSize;
    }

    /**
     * Everything a checkpoint folder says about building prompts: {@code config.json} (special
     * tokens), the tokenizer, the chat template and the image / video preprocessor configs. Loads no
     * weights, so {@code qwen3vl prepare} is instant even for large checkpoints.
     */
    public static PromptBuilder load(Path modelDir) {
        ModelConfig config = ModelConfig.load(modelDir);
        ChatTemplate template = ChatTemplate.load(modelDir);
        PreprocessorConfig processing = PreprocessorConfig.load(modelDir);
        SpecialTokens special = new SpecialTokens(config.visionStartTokenId(), config.visionEndTokenId(),
                config.imageTokenId(), config.videoTokenId());
        QwenTokenizer tokenizer = QwenTokenizer.load(modelDir);
        return new PromptBuilder(template, tokenizer, new MediaPreprocessor(processing), special,
                processing.image().mergeSize());
    }

    public QwenTokenizer tokenizer() {
        return tokenizer;
    }

    /** The 2-D merge factor: a grid of h×w patches becomes h·w / merge² language-model tokens. */
    public int mergeSize() {
        return mergeSize;
    }

    /**
     * @param messages Hugging Face chat messages (generic JSON values)
     * @param baseDir  folder relative media paths are resolved against, or null for the working directory
     */
    public PreparedPrompt build(List<Object> messages, Path baseDir, MediaOptions options) {
        Timings timings = new Timings();
        List<PreparedMedia> prepared = new ArrayList<>();
        try (Timings.Phase p = timings.phase("preprocess")) {
            for (MediaItem item : MessageMedia.find(messages, baseDir)) {
                prepared.add(media.prepare(item, options));
            }
            String rendered = template.render(messages, true, Map.of("add_vision_id", options.addVisionId()));
            List<Integer> imageTokens = new ArrayList<>();
            List<PromptExpander.VideoBlocks> videoBlocks = new ArrayList<>();
            List<int[]> imageGrids = new ArrayList<>();
            List<int[]> videoGrids = new ArrayList<>();
            for (PreparedMedia m : prepared) {
                PatchGrid g = m.grid();
                int[] merged = {g.t(), g.h() / mergeSize, g.w() / mergeSize};
                if (m.isVideo()) {
                    videoBlocks.add(new PromptExpander.VideoBlocks(m.video().timestampTexts(), merged[1] * merged[2]));
                    videoGrids.add(merged);
                } else {
                    imageTokens.add(m.tokens(mergeSize));
                    imageGrids.add(merged);
                }
            }
            String expanded = PromptExpander.expand(rendered, imageTokens, videoBlocks);
            int[] ids = tokenizer.encode(expanded);
            TokenSequence sequence = TokenSequence.locate(ids, special, imageGrids, videoGrids);
            return new PreparedPrompt(rendered, expanded, sequence, RopeIndex.of(sequence), prepared, timings);
        } catch (RuntimeException e) {
            prepared.forEach(PreparedMedia::close);
            throw e;
        }
    }

    /** One user turn: the images, then the videos, then the question; optionally after a system message. */
    public static List<Object> userTurn(String system, List<Path> images, List<Path> videos, String text) {
        List<Object> content = new ArrayList<>();
        for (Path image : images) {
            content.add(Map.of("type", "image", "image", image.toString()));
        }
        for (Path video : videos) {
            content.add(Map.of("type", "video", "video", video.toString()));
        }
        if (text != null && !text.isEmpty()) {
            content.add(Map.of("type", "text", "text", text));
        }
        List<Object> messages = new ArrayList<>();
        if (system != null && !system.isBlank()) {
            messages.add(Map.of("role", "system", "content", system));
        }
        messages.add(Map.of("role", "user", "content", content));
        return messages;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
