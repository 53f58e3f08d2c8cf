package io.qwen3vl.engine.sequence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A fully expanded prompt: token ids plus where each vision span sits in them. This is what the
 * position-id computation and the embedding fusion walk; they never search tokens themselves.
 */
public final class TokenSequence {
    private final int[] ids;
    private final List<VisionSpan> spans;

    public TokenSequence(int[] ids, List<VisionSpan> spans) {
        this.ids = ids;
        this.spans = Collections.unmodifiableList(new ArrayList<>(spans));
    }

    /**
     * Locates the vision spans of already-expanded token ids.
     *
     * @param imageGrids merged (t, h, w) of each image, in prompt order
     * @param videoGrids merged (t, h, w) of each video, in prompt order; each temporal patch of a video
     *                   is its own {@code <|vision_start|> pads <|vision_end|>} block
     */
    public static TokenSequence locate(int[] ids, SpecialTokens special, List<int[]> imageGrids,
                                       List<int[]> videoGrids) {
        List<VisionSpan> spans = new ArrayList<>();
        int image = 0;
        int video = 0;
        int videoPatch = 0;
        int i = 0;
        while (i < ids.length) {
            if (ids[i] != special.imagePad() && ids[i] != special.videoPad()) {
                i++;
                continue;
            }
            int pad = ids[i];
            int start = i;
            while (i < ids.length && ids[i] == pad) {
                i++;
            }
            int count = i - start;
            if (pad == special.imagePad()) {
                if (image >= imageGrids.size()) {
                    throw new IllegalArgumentException("prompt has more image blocks than images (" + imageGrids.size() + ")");
                }
                int[] g = imageGrids.get(image);
                VisionSpan span = new VisionSpan(VisionSpan.Kind.IMAGE, image, 0, start, g[0], g[1], g[2]);
                check(span, count);
                spans.add(span);
                image++;
            } else {
                if (video >= videoGrids.size()) {
                    throw new IllegalArgumentException("prompt has more video blocks than videos (" + videoGrids.size() + ")");
                }
                int[] g = videoGrids.get(video);
                VisionSpan span = new VisionSpan(VisionSpan.Kind.VIDEO, video, videoPatch, start, 1, g[1], g[2]);
                check(span, count);
                spans.add(span);
                if (++videoPatch == g[0]) {
                    video++;
                    videoPatch = 0;
                }
            }
        }
        if (image != imageGrids.size() || video != videoGrids.size() || videoPatch != 0) {
            throw new IllegalArgumentException("prompt holds " + image + " image(s) and " + video
                    + " complete video(s), but " + imageGrids.size() + " image(s) and " + videoGrids.size()
                    + " video(s) were given");
        }
        return new TokenSequence(ids, spans);
    }

    private static void check(VisionSpan span, int count) {
        if (span.length() != count) {
            throw new IllegalArgumentException(span.kind() + " " + span.mediaIndex() + " block has " + count
                    + " pad tokens but its grid needs " + span.length());
        }
    }

    public int[] ids() {
        return ids;
    }

    public int length() {
        return ids.length;
    }

    public List<VisionSpan> spans() {
        return spans;
    }

    /** Indices of all vision pad tokens in sequence order (where vision embeddings are scattered). */
    public long[] visionPositions() {
        int n = spans.stream().mapToInt(VisionSpan::length).sum();
        long[] out = new long[n];
        int k = 0;
        for (VisionSpan s : spans) {
            for (int j = 0; j < s.length(); j++) {
                out[k++] = s.start() + j;
            }
        }
        return out;
    }
}
