package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.qwen3vl.models.checkpoint.HalfFloat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The row kernels add a row's vector lanes in lane order in every tier of the JIT: the order of the
 * Java fallback that runs before C2 compiles a kernel, and of C2 on JDK 17 and 21. With {@code
 * reduceLanes(ADD)}, whose order C2 on JDK 25 chooses otherwise, about half the rows of a product
 * differed in their last bits between its first calls and later ones. Here the rows' vectors
 * ({@code ROWS} of them, lane values spread over a wide range of magnitudes, so that the sums round
 * differently in another order) are checked against the sums in lane order, on the first call and
 * after enough calls for C2 to compile the kernel.
 */
class VectorRowDotsTest {
    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();
    private static final int ROWS = 64;
    private static final int CALLS = 20_000;
    private static final VectorRowDots DOTS = new VectorRowDots();

    /** A value of either sign with an exponent in [-12, 12]: an fp16 value, as all of its products here. */
    private static float spread(Random random) {
        float v = HalfFloat.toFloat(HalfFloat.fromFloat((float) Math.scalb(1 + random.nextFloat(), random.nextInt(25) - 12)));
        return random.nextBoolean() ? v : -v;
    }

    private static float inLaneOrder(float[] lanes, int from) {
        float sum = 0;
        for (int l = 0; l < LANES; l++) {
            sum += lanes[from + l];
        }
        return sum;
    }

    /** Runs {@code product} (which fills {@code dst}) once, then {@code CALLS} times, checking both against {@code expected}. */
    private static void assertColdAndWarm(String kernel, float[] expected, float[] dst, Runnable product) {
        product.run();
        assertArrayEquals(expected, dst, 0f, kernel + ", first call");
        for (int i = 0; i < CALLS; i++) {
            product.run();
        }
        assertArrayEquals(expected, dst, 0f, kernel + ", after " + CALLS + " calls");
    }

    @Test
    void fp32RowsAddLanesInOrder() {
        int k = 4 * LANES; // one step of four vectors; x is 1 in the first, 0 in the others
        Random random = new Random(1);
        ByteBuffer w = ByteBuffer.allocateDirect(4 * ROWS * k).order(ByteOrder.nativeOrder());
        float[] lanes = new float[ROWS * LANES];
        float[] expected = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < k; i++) {
                float v = spread(random);
                w.putFloat(4 * (r * k + i), v);
                if (i < LANES) {
                    lanes[r * LANES + i] = v;
                }
            }
            expected[r] = inLaneOrder(lanes, r * LANES);
        }
        float[] x = new float[k];
        java.util.Arrays.fill(x, 0, LANES, 1f);
        float[] dst = new float[ROWS];
        Object view = DOTS.view(w);
        assertColdAndWarm("fp32", expected, dst, () -> DOTS.f32(w, view, 0, k, x, ROWS, dst, 0));
    }

    @Test
    void fp16RowsAddLanesInOrder() {
        int k = 8 * LANES; // one step of four vectors of pairs; lane l of the first holds elements 2l, 2l + 1
        Random random = new Random(2);
        ByteBuffer w = ByteBuffer.allocateDirect(2 * ROWS * k).order(ByteOrder.nativeOrder());
        float[] lanes = new float[ROWS * LANES];
        float[] expected = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < k; i++) {
                float v = spread(random);
                w.putShort(2 * (r * k + i), HalfFloat.fromFloat(v));
                if (i < 2 * LANES && i % 2 == 0) {
                    lanes[r * LANES + i / 2] = v;
                }
            }
            expected[r] = inLaneOrder(lanes, r * LANES);
        }
        float[] x = new float[k];
        for (int l = 0; l < LANES; l++) {
            x[2 * l] = 1f; // the odd element of each pair and the later vectors meet 0
        }
        float[] prepared = new float[2 * k];
        DOTS.prepareHalfInput(x, k, prepared);
        float[] dst = new float[ROWS];
        Object view = DOTS.view(w);
        assertColdAndWarm("fp16", expected, dst, () -> DOTS.f16(w, view, 0, k, x, prepared, ROWS, dst, 0));
        float[] dstB = new float[ROWS];
        assertColdAndWarm("fp16 pair", expected, dst,
                () -> DOTS.f16Pair(w, 0, k, x, prepared, x, prepared, ROWS, dst, dstB, 0));
        assertArrayEquals(expected, dstB, 0f, "fp16 pair, second input");
    }

    @Test
    void int8RowsAddLanesInOrder() {
        Int8Layout layout = DOTS.int8Layout();
        assertNotNull(layout, LANES + " lanes");
        int k = 8 * LANES; // one step of two groups; x is spread over run 0 of the first, 0 elsewhere
        int blocks = k / Int8Blocks.BLOCK;
        Random random = new Random(3);
        float[] x = new float[k];
        for (int l = 0; l < LANES; l++) {
            x[l] = spread(random);
        }
        ByteBuffer w = ByteBuffer.allocateDirect(ROWS * k).order(ByteOrder.nativeOrder());
        ByteBuffer scales = ByteBuffer.allocateDirect(4 * ROWS * blocks).order(ByteOrder.nativeOrder());
        float[] lanes = new float[ROWS * LANES];
        float[] expected = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            byte[] q = new byte[k];
            random.nextBytes(q);
            for (int i = 0; i < k; i++) {
                w.put(r * k + layout.position(i, k), q[i]);
            }
            float scale = (float) Math.scalb(1.0, random.nextInt(9) - 4); // a power of two: scaling is exact
            for (int b = 0; b < blocks; b++) {
                scales.putFloat(4 * (r * blocks + b), scale);
            }
            for (int l = 0; l < LANES; l++) {
                lanes[r * LANES + l] = q[l] * x[l] * scale; // exact: 8 bits times 11
            }
            expected[r] = inLaneOrder(lanes, r * LANES);
        }
        float[] dst = new float[ROWS];
        Object view = DOTS.view(w);
        Object scalesView = DOTS.view(scales);
        assertColdAndWarm("int8", expected, dst, () -> DOTS.int8(w, view, 0, k, scales, scalesView, 0, x, ROWS, dst, 0));
    }
}
