package io.qwen3vl.engine.media;

import io.qwen3vl.vision.FrameSource;
import io.qwen3vl.vision.VideoPlan;
import io.qwen3vl.vision.VideoProcessor;
import io.qwen3vl.vision.VisualPatches;

/**
 * The patches of one medium, produced on demand by temporal patch: an image's are computed when it
 * is prepared; a video's are decoded, resized and patchified only when the encoder asks for them,
 * chunk by chunk, so decoding overlaps encoding and the whole clip's pixels never sit in memory.
 */
public interface Pixels extends AutoCloseable {

    /** Patches of temporal patches {@code [from, to)}, in merge order. */
    VisualPatches temporal(int from, int to);

    @Override
    void close();

    /** Patches already computed (an image). */
    static Pixels of(VisualPatches patches) {
        return new Pixels() {
            @Override
            public VisualPatches temporal(int from, int to) {
                if (from != 0 || to != patches.grid().t()) {
                    throw new IllegalArgumentException("an image has " + patches.grid().t() + " temporal patch(es)");
                }
                return patches;
            }

            @Override
            public void close() {
            }
        };
    }

    /** A planned video whose frames are decoded from the open {@code source} on demand; closing closes it. */
    static Pixels of(VideoProcessor processor, FrameSource source, VideoPlan plan) {
        return new Pixels() {
            @Override
            public VisualPatches temporal(int from, int to) {
                return processor.patches(source, plan, from, to);
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }
}
