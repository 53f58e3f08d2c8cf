package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.NativeFixture;
import io.qwen3vl.models.checkpoint.HalfFloat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The decode kernel against a double-precision reference, at sizes that exercise every tail. */
class MatVecTest {
    @RegisterExtension
    static final NativeFixture NATIVE = new NativeFixture();

    private static final double REL_TOL = 1e-5;
    /** Widths around the vector lengths (8, 16, 32 floats/halves): tails of every length, and none. */
    private static final int[] KS = {1, 3, 15, 16, 17, 31, 33, 64, 65, 100, 513, 2051};
    private static final int[] NS = {1, 3, 4, 5, 7, 9, 130};

    /** The kernel loads vectors from native memory on every JDK the project runs on (see VectorMemory). */
    @Test
    void kernelIsOnWheneverTheModuleIsThere() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "tests must run with --add-modules jdk.incubator.vector");
        assertTrue(MatVec.vectorApiPresent(), "JDK " + Runtime.version().feature() + ": " + MatVec.describe());
        assertTrue(MatVec.enabled());
    }

    @Test
    void fp32ProductsMatchDoubleReferenceAtAwkwardSizes() {
        Random random = new Random(1);
        for (int k : KS) {
            for (int n : NS) {
                for (boolean withBias : new boolean[] {false, true}) {
                    float[] w = gaussian(random, n * k);
                    float[] x = gaussian(random, k);
                    float[] b = withBias ? gaussian(random, n) : null;
                    try (NDManager scope = NATIVE.manager().newSubManager()) {
                        NDArray weight = scope.create(w, new Shape(n, k));
                        NDArray bias = b == null ? null : scope.create(b);
                        WeightView view = MatVec.view(weight, bias);
                        assertNotNull(view);
                        NDArray y = MatVec.multiply(scope.create(x, new Shape(1, k)), view)[0];
                        assertEquals(new Shape(1, n), y.getShape());
                        assertEquals(DataType.FLOAT32, y.getDataType());
                        assertClose(w, x, b, n, k, y.toFloatArray(), false, "fp32 n=" + n + " k=" + k);
                    }
                }
            }
        }
    }

    @Test
    void fp16ProductsMatchDoubleReferenceIncludingSubnormalWeights() {
        Random random = new Random(2);
        for (int k : KS) {
            for (int n : NS) {
                for (boolean withBias : new boolean[] {false, true}) {
                    short[] w = halves(random, n * k, true);
                    short[] x = halves(random, k, false);
                    short[] b = withBias ? halves(random, n, false) : null;
                    try (NDManager scope = NATIVE.manager().newSubManager()) {
                        NDArray weight = half(scope, w, new Shape(n, k));
                        NDArray bias = b == null ? null : half(scope, b, new Shape(n));
                        WeightView view = MatVec.view(weight, bias);
                        assertNotNull(view);
                        NDArray y = MatVec.multiply(half(scope, x, new Shape(1, k)), view)[0];
                        assertEquals(DataType.FLOAT16, y.getDataType());
                        float[] got = toFloats(y);
                        assertClose(floats(w), floats(x), b == null ? null : floats(b), n, k, got, true,
                                "fp16 n=" + n + " k=" + k);
                    }
                }
            }
        }
    }

    /**
     * Every finite fp16 pattern, in an even lane, an odd lane and the scalar tail: with inputs 1, 2
     * and 4 the fp32 sum 7·h is exact, so the kernel must return exactly fp16(7·h).
     */
    @Test
    void everyFiniteHalfIsWidenedExactly() {
        int k = 65; // one or more whole vectors at any width up to 512 bits, plus a one-element tail
        int n = 1 << 16;
        short[] w = new short[n * k];
        for (int h = 0; h < n; h++) {
            short bits = (h & 0x7C00) == 0x7C00 ? 0 : (short) h;
            w[h * k] = bits;
            w[h * k + 1] = bits;
            w[h * k + 64] = bits;
        }
        short[] x = new short[k];
        x[0] = HalfFloat.fromFloat(1f);
        x[1] = HalfFloat.fromFloat(2f);
        x[64] = HalfFloat.fromFloat(4f);
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            WeightView view = MatVec.view(half(scope, w, new Shape(n, k)), null);
            ByteBuffer y = MatVec.multiply(half(scope, x, new Shape(1, k)), view)[0].toByteBuffer();
            for (int h = 0; h < n; h++) {
                float value = HalfFloat.toFloat(w[h * k]);
                // A dot product is a sum that starts from +0, so -0 weights give +0.
                short expected = HalfFloat.fromFloat(0f + 7 * value);
                short got = y.getShort(2 * h);
                if (got != expected) {
                    fail(String.format("fp16 0x%04x: got 0x%04x, expected 0x%04x", h, got, expected));
                }
            }
        }
    }

    @Test
    void slicedViewsOfLargeWeightsGiveTheSameProducts() {
        Random random = new Random(3);
        int n = 37;
        int k = 70;
        float[] w = gaussian(random, n * k);
        float[] x = gaussian(random, k);
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NDArray weight = scope.create(w, new Shape(n, k));
            NDArray in = scope.create(x, new Shape(1, k));
            float[] whole = MatVec.multiply(in, MatVec.view(weight, null))[0].toFloatArray();
            // 3 rows per slice: slices end inside the kernel's 4-row blocks and inside tasks.
            WeightView sliced = MatVec.view(weight, null, 3L * k * Float.BYTES);
            assertEquals(13, sliced.chunks.length);
            assertArrayEquals(whole, MatVec.multiply(in, sliced)[0].toFloatArray());
        }
    }

    @Test
    void fusedProductsEqualSeparateOnes() {
        Random random = new Random(4);
        int k = 96;
        int[] ns = {64, 8, 33};
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NDArray in = scope.create(gaussian(random, k), new Shape(1, k));
            WeightView[] views = new WeightView[ns.length];
            for (int i = 0; i < ns.length; i++) {
                views[i] = MatVec.view(scope.create(gaussian(random, ns[i] * k), new Shape(ns[i], k)),
                        scope.create(gaussian(random, ns[i])));
            }
            NDArray[] fused = MatVec.multiply(in, views);
            for (int i = 0; i < ns.length; i++) {
                assertArrayEquals(MatVec.multiply(in, views[i])[0].toFloatArray(), fused[i].toFloatArray());
            }
        }
    }

    /**
     * 8-bit weights of every byte value (−128 included, which the quantizer never writes but the
     * kernel must still widen right), per-block scales spanning zero to large, at widths of one
     * block, several, and many of the kernel's groups (one or two blocks each, two groups per step)
     * with none, an odd block or a whole odd group left for its scalar tail; the bytes are stored in
     * the order the kernel reads ({@link Int8Layout}), the tail's included.
     */
    @Test
    void int8ProductsMatchDoubleReference() {
        Random random = new Random(5);
        for (int k : new int[] {32, 64, 96, 160, 192, 256, 2080}) {
            for (int n : NS) {
                int blocks = k / Int8Blocks.BLOCK;
                byte[] q = new byte[n * k];
                random.nextBytes(q);
                float[] scales = new float[n * blocks];
                for (int i = 0; i < scales.length; i++) {
                    scales[i] = i % 7 == 3 ? 0f : (float) Math.scalb(random.nextFloat(), random.nextInt(20) - 10);
                }
                float[] x = gaussian(random, k);
                float[] b = gaussian(random, n);
                float[] w = new float[n * k]; // the weights q·scale the product stands for
                for (int i = 0; i < w.length; i++) {
                    w[i] = q[i] * scales[i / Int8Blocks.BLOCK];
                }
                try (NDManager scope = NATIVE.manager().newSubManager()) {
                    Int8Layout layout = MatVec.int8Layout();
                    NDArray quants = layout.stored(scope.create(ByteBuffer.wrap(q), new Shape(n, k), DataType.INT8));
                    WeightView view = MatVec.viewInt8(quants, scope.create(scales, new Shape(n, blocks)), layout,
                            scope.create(b));
                    assertNotNull(view);
                    assertEquals((long) n * k + 4L * n * blocks, view.bytes());
                    NDArray y = MatVec.multiply(scope.create(x, new Shape(1, k)), view)[0];
                    assertEquals(DataType.FLOAT32, y.getDataType());
                    assertClose(w, x, b, n, k, y.toFloatArray(), false, "int8 n=" + n + " k=" + k);
                }
            }
        }
    }

    /**
     * Widening for products of many rows: every byte value, widths with and without a tail past the
     * last whole group, a range of rows from the middle; each weight exactly {@code (float) q · scale}.
     */
    @Test
    void int8RowsWidenExactlyIntoNaturalOrder() {
        Random random = new Random(8);
        Int8Layout layout = MatVec.int8Layout();
        for (int k : new int[] {32, 64, 96, 160, 2080}) {
            int n = 300;
            int blocks = k / Int8Blocks.BLOCK;
            byte[] q = new byte[n * k];
            random.nextBytes(q);
            float[] scales = new float[n * blocks];
            for (int i = 0; i < scales.length; i++) {
                scales[i] = (float) Math.scalb(random.nextFloat(), random.nextInt(40) - 20);
            }
            try (NDManager scope = NATIVE.manager().newSubManager()) {
                NDArray quants = layout.stored(scope.create(ByteBuffer.wrap(q), new Shape(n, k), DataType.INT8));
                NDArray widened = MatVec.dequantizeInt8(quants, scope.create(scales, new Shape(n, blocks)), layout,
                        17, 290, scope);
                assertNotNull(widened);
                assertEquals(new Shape(273, k), widened.getShape());
                float[] got = widened.toFloatArray();
                for (int r = 17; r < 290; r++) {
                    for (int i = 0; i < k; i++) {
                        int at = r * k + i;
                        assertEquals(q[at] * scales[at / Int8Blocks.BLOCK], got[(r - 17) * k + i], 0f,
                                "k " + k + " row " + r + " element " + i);
                    }
                }
                Int8Layout other = layout.equals(Int8Layout.NATURAL) ? Int8Layout.interleaved(8) : Int8Layout.NATURAL;
                assertNull(MatVec.dequantizeInt8(quants, scope.create(scales, new Shape(n, blocks)), other, 0, 1,
                        scope), "bytes in another order are left to the backend");
            }
        }
    }

    @Test
    void int8AndFp32WeightsFuseInOneProduct() {
        Random random = new Random(6);
        int k = 64;
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NDArray in = scope.create(gaussian(random, k), new Shape(1, k));
            byte[] q = new byte[9 * k];
            random.nextBytes(q);
            WeightView int8 = MatVec.viewInt8(scope.create(ByteBuffer.wrap(q), new Shape(9, k), DataType.INT8),
                    scope.create(gaussian(random, 9 * 2), new Shape(9, 2)), MatVec.int8Layout(), null);
            WeightView dense = MatVec.view(scope.create(gaussian(random, 5 * k), new Shape(5, k)), null);
            NDArray[] fused = MatVec.multiply(in, int8, dense);
            assertArrayEquals(MatVec.multiply(in, int8)[0].toFloatArray(), fused[0].toFloatArray());
            assertArrayEquals(MatVec.multiply(in, dense)[0].toFloatArray(), fused[1].toFloatArray());
        }
    }

    @Test
    void int8ViewsNeedWholeBlocksMatchingScalesAndTheKernelsLayout() {
        Int8Layout layout = MatVec.int8Layout();
        try (NDManager scope = NATIVE.manager().newSubManager()) {
            NDArray ragged = scope.create(ByteBuffer.wrap(new byte[2 * 40]), new Shape(2, 40), DataType.INT8);
            assertNull(MatVec.viewInt8(ragged, scope.zeros(new Shape(2, 1)), layout, null));
            NDArray quants = scope.create(ByteBuffer.wrap(new byte[2 * 64]), new Shape(2, 64), DataType.INT8);
            assertNull(MatVec.viewInt8(quants, scope.zeros(new Shape(2, 1)), layout, null));
            assertNotNull(MatVec.viewInt8(quants, scope.zeros(new Shape(2, 2)), layout, null));
            Int8Layout other = layout.equals(Int8Layout.NATURAL) ? Int8Layout.interleaved(8) : Int8Layout.NATURAL;
            assertNull(MatVec.viewInt8(quants, scope.zeros(new Shape(2, 2)), other, null),
                    "bytes in another order than the kernel reads");
        }
    }

    @Test
    void halfWeightsWithInfOrNanAreLeftToTheBackend() {
        for (short bad : new short[] {(short) 0x7C00, (short) 0xFC00, (short) 0x7E00}) {
            short[] w = new short[5 * 40];
            w[123] = bad;
            try (NDManager scope = NATIVE.manager().newSubManager()) {
                assertNull(MatVec.view(half(scope, w, new Shape(5, 40)), null));
            }
        }
    }

    @Test
    void rowsPerTaskAreWholeBlocksWithinBounds() {
        assertEquals(64, MatVec.rowsPerTask(1024, 2048 * 4, 2));
        assertEquals(256, MatVec.rowsPerTask(151936, 2048 * 4, 2));
        assertEquals(4, MatVec.rowsPerTask(3, 8, 2)); // never below one block
        assertEquals(4, MatVec.rowsPerTask(100, 4 << 20, 2)); // rows above 2 MiB: one block
    }

    // ---- helpers

    static void assertClose(float[] w, float[] x, float[] b, int n, int k, float[] got, boolean halfOut, String what) {
        for (int r = 0; r < n; r++) {
            double sum = b == null ? 0 : b[r];
            double scale = b == null ? 0 : Math.abs(b[r]);
            for (int i = 0; i < k; i++) {
                sum += (double) w[r * k + i] * x[i];
                scale += Math.abs((double) w[r * k + i] * x[i]);
            }
            // fp16 results are rounded once: up to half an fp16 ulp of the exact value on top.
            double allowed = REL_TOL * scale + (halfOut ? halfUlp(sum) : 0);
            if (Math.abs(got[r] - sum) > allowed) {
                fail(String.format("%s row %d: got %.9g, reference %.9g (allowed %.3g)", what, r, got[r], sum, allowed));
            }
        }
    }

    private static double halfUlp(double v) {
        float f = (float) Math.abs(v);
        float h = HalfFloat.toFloat(HalfFloat.fromFloat(f));
        int bits = HalfFloat.fromFloat(Math.max(f, h)) & 0x7FFF;
        double up = HalfFloat.toFloat((short) (bits + 1));
        double down = HalfFloat.toFloat((short) bits);
        return (up - down) / 2 * 1.0001;
    }

    static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    /** Random halves; with {@code subnormals}, about one in eight is a random subnormal. */
    static short[] halves(Random random, int n, boolean subnormals) {
        short[] a = new short[n];
        for (int i = 0; i < n; i++) {
            if (subnormals && random.nextInt(8) == 0) {
                a[i] = (short) ((random.nextBoolean() ? 0x8000 : 0) | (1 + random.nextInt(0x3FF)));
            } else {
                a[i] = HalfFloat.fromFloat((float) random.nextGaussian());
            }
        }
        return a;
    }

    static NDArray half(NDManager scope, short[] bits, Shape shape) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bits.length * 2).order(ByteOrder.nativeOrder());
        buffer.asShortBuffer().put(bits);
        NDArray direct = scope.create(buffer, shape, DataType.FLOAT16);
        NDArray own = scope.create(shape, DataType.FLOAT16); // native memory of its own, not the Java buffer
        own.toByteBuffer(true).put(buffer.duplicate().rewind());
        direct.close();
        return own;
    }

    static float[] floats(short[] bits) {
        float[] f = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            f[i] = HalfFloat.toFloat(bits[i]);
        }
        return f;
    }

    static float[] toFloats(NDArray half) {
        ByteBuffer b = half.toByteBuffer();
        float[] f = new float[(int) half.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = HalfFloat.toFloat(b.getShort(2 * i));
        }
        return f;
    }
}
