package io.qwen3vl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.engine.fusion.VisionFeatures;
import io.qwen3vl.engine.sequence.RopeIndex;
import io.qwen3vl.engine.sequence.SpecialTokens;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.models.Qwen3VL;
import io.qwen3vl.models.io.Npy;
import io.qwen3vl.models.vision.GridThw;
import io.qwen3vl.models.vision.VisionOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * One golden prompt ("text", "image" or "video") ready to generate from: its token sequence,
 * positions, vision features (from the reference's pixel values through our vision tower, living in
 * the caller's manager; null for text) and the reference's outputs.
 */
public record GoldenPrompt(String kind, TokenSequence sequence, RopeIndex rope, VisionFeatures vision,
                           int[] expectedIds, float[] expectedLastLogits) {
    public static final SpecialTokens SPECIAL = new SpecialTokens(151652, 151653, 151655, 151656);

    public static GoldenPrompt load(String kind, Qwen3VL model, NDManager manager) {
        try {
            int[] ids = ints(Npy.read(TestData.golden(kind + "/input_ids.npy")).longs());
            int[] expected = ints(Npy.read(TestData.golden(kind + "/generated_ids.npy")).longs());
            float[] last = Npy.read(TestData.golden(kind + "/logits_last.npy")).floats();
            if (kind.equals("text")) {
                TokenSequence seq = TokenSequence.locate(ids, SPECIAL, List.of(), List.of());
                return new GoldenPrompt(kind, seq, RopeIndex.of(seq), null, expected, last);
            }
            long[] g = Npy.read(TestData.golden("vision/" + kind + "_grid_thw.npy")).longs();
            GridThw grid = new GridThw((int) g[0], (int) g[1], (int) g[2]);
            List<int[]> merged = List.of(new int[] {grid.t(), grid.h() / 2, grid.w() / 2});
            boolean image = kind.equals("image");
            TokenSequence seq = TokenSequence.locate(ids, SPECIAL, image ? merged : List.of(),
                    image ? List.of() : merged);
            Npy pixels = Npy.read(TestData.golden("vision/" + kind + "_pixel_values.npy"));
            NDArray pv = manager.create(pixels.floats(), new Shape(pixels.shape()));
            VisionOutput out = model.vision().forward(pv, List.of(grid));
            VisionFeatures features = VisionFeatures.assemble(seq, image ? List.of(out) : List.of(),
                    image ? List.of() : List.of(out));
            return new GoldenPrompt(kind, seq, RopeIndex.of(seq), features, expected, last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(long[] v) {
        return Arrays.stream(v).mapToInt(Math::toIntExact).toArray();
    }
}
