package io.qwen3vl.engine.batch;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Recognises images and videos by their content. The default is {@link MagicBytes}; the engine may
 * plug in the vision module's loaders ({@code ImageLoader.looksLikeImage}, {@code looksLikeVideo})
 * so that "recognised" means exactly "the decoder will try it".
 */
@FunctionalInterface
public interface MediaSniffer {
    /**
     * The kind the content announces, or {@link MediaKind#OTHER} when it announces neither an image
     * nor a video. Never trusts the file name.
     */
    MediaKind sniff(Path file) throws IOException;
}
