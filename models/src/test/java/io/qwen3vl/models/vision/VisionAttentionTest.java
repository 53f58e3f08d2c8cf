package io.qwen3vl.models.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import io.qwen3vl.models.nn.Linear;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Segment structure of the vision attention, on block 0 of the tiny checkpoint with random inputs. */
class VisionAttentionTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    private static Linear qkv;
    private static Linear proj;

    @BeforeAll
    static void load() {
        qkv = Linear.load(NATIVE.tinyCheckpoint(), "model.visual.blocks.0.attn.qkv", NATIVE.manager(), DataType.FLOAT32);
        proj = Linear.load(NATIVE.tinyCheckpoint(), "model.visual.blocks.0.attn.proj", NATIVE.manager(),
                DataType.FLOAT32);
    }

    @Test
    void consecutiveSegmentsOfEqualLengthFormOneRun() {
        List<VisionAttention.Run> runs = VisionAttention.runs(List.of(
                new GridThw(1, 14, 20), new GridThw(1, 14, 20), new GridThw(4, 6, 8), new GridThw(1, 6, 8),
                new GridThw(1, 14, 20)));
        assertEquals(List.of(new VisionAttention.Run(2, 280), new VisionAttention.Run(5, 48),
                new VisionAttention.Run(1, 280)), runs);
    }

    @Test
    void segmentsDoNotAttendToEachOther() {
        try (NDManager m = NATIVE.manager().newSubManager()) {
            m.getEngine().setRandomSeed(7);
            NDArray x = m.randomNormal(new Shape(192, 64));
            GridThw video = new GridThw(4, 6, 8);
            VisionRotary.Table rot = new VisionRotary(16).forward(List.of(video), 2, m, DataType.FLOAT32);
            VisionAttention attn = new VisionAttention(qkv, proj, 4);
            NDArray batched = attn.forward(x, rot.cos(), rot.sin(), VisionAttention.runs(List.of(video)));
            // Each temporal patch alone, one call per segment: the reference's per-chunk loop.
            for (int f = 0; f < 4; f++) {
                String rows = (48 * f) + ":" + (48 * (f + 1));
                NDArray alone = attn.forward(x.get(rows), rot.cos().get(rows), rot.sin().get(rows),
                        List.of(new VisionAttention.Run(1, 48)));
                Closeness.assertClose("temporal patch " + f, alone.getShape().getShape(), alone.toFloatArray(),
                        batched.get(rows), 1e-5);
            }
            // Sensitivity: one segment spanning all four temporal patches gives a different answer.
            NDArray crossing = attn.forward(x, rot.cos(), rot.sin(), List.of(new VisionAttention.Run(1, 192)));
            float maxDiff = crossing.sub(batched).abs().max().getFloat();
            assertTrue(maxDiff > 1e-3, "attention across temporal patches should change the output, max diff " + maxDiff);
        }
    }

    @Test
    void queryChunkedAttentionEqualsOneShot() {
        try (NDManager m = NATIVE.manager().newSubManager()) {
            m.getEngine().setRandomSeed(11);
            NDArray x = m.randomNormal(new Shape(192, 64));
            GridThw video = new GridThw(4, 6, 8);
            VisionRotary.Table rot = new VisionRotary(16).forward(List.of(video), 2, m, DataType.FLOAT32);
            List<VisionAttention.Run> runs = VisionAttention.runs(List.of(video));
            NDArray oneShot = new VisionAttention(qkv, proj, 4).forward(x, rot.cos(), rot.sin(), runs);
            // one score row of a segment is 4 heads × 48 keys × 4 bytes; 20 rows per chunk
            long budget = 5L * 4 * 4 * 48 * Float.BYTES;
            NDArray chunked = new VisionAttention(qkv, proj, 4, budget).forward(x, rot.cos(), rot.sin(), runs);
            Closeness.assertClose("chunked", oneShot.getShape().getShape(), oneShot.toFloatArray(), chunked, 1e-6);
        }
    }

    /** fp16 attention (products on widened operands, rounded to fp16) stays within fp16 precision of fp32. */
    @Test
    void fp16AttentionFollowsFp32WithinHalfPrecision() {
        try (NDManager m = NATIVE.manager().newSubManager()) {
            m.getEngine().setRandomSeed(5);
            DataType f16 = DataType.FLOAT16;
            NDArray x16 = m.randomNormal(new Shape(192, 64)).toType(f16, false);
            GridThw video = new GridThw(4, 6, 8);
            List<VisionAttention.Run> runs = VisionAttention.runs(List.of(video));
            VisionRotary rotary = new VisionRotary(16);
            VisionRotary.Table rot32 = rotary.forward(List.of(video), 2, m, DataType.FLOAT32);
            VisionRotary.Table rot16 = rotary.forward(List.of(video), 2, m, f16);
            Linear qkv16 = new Linear(half(qkv.weight(), m), half(qkv.bias(), m));
            Linear proj16 = new Linear(half(proj.weight(), m), half(proj.bias(), m));
            float[] expected = new VisionAttention(qkv, proj, 4)
                    .forward(x16.toType(DataType.FLOAT32, false), rot32.cos(), rot32.sin(), runs).toFloatArray();
            NDArray out = new VisionAttention(qkv16, proj16, 4).forward(x16, rot16.cos(), rot16.sin(), runs);
            assertEquals(f16, out.getDataType());
            float[] actual = out.toType(DataType.FLOAT32, false).toFloatArray();
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                scale = Math.max(scale, Math.abs(expected[i]));
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            System.out.printf("vision attention fp16 vs fp32: max abs error %.3g of max |value| %.3g%n", worst, scale);
            // fp16 keeps 11 significant bits (relative step 2^-11 ≈ 4.9e-4); a few roundings per value
            assertTrue(worst <= 4e-3 * scale, "fp16 error " + worst + " for values up to " + scale);
        }
    }

    private static NDArray half(NDArray a, NDManager m) {
        if (a == null) {
            return null;
        }
        NDArray h = a.toType(DataType.FLOAT16, false);
        h.attach(m);
        return h;
    }

    @Test
    void mergeOrderVisitsEachTwoByTwoGroupContiguously() {
        MergeOrder o = MergeOrder.of(2, 4, 2);
        assertArrayEquals(new int[] {0, 0, 1, 1, 0, 0, 1, 1}, o.rows);
        assertArrayEquals(new int[] {0, 1, 0, 1, 2, 3, 2, 3}, o.cols);
    }

    @Test
    void linspaceHitsBothEndsExactlyAndIsSymmetric() {
        float[] v = VisionPositionEmbedding.linspace(47f, 14);
        assertEquals(0f, v[0]);
        assertEquals(47f, v[13]);
        for (int i = 0; i < 14; i++) {
            assertEquals(47f - v[13 - i], v[i], 1e-5f, "index " + i);
        }
        assertArrayEquals(new float[] {0f}, VisionPositionEmbedding.linspace(47f, 1));
    }
}
