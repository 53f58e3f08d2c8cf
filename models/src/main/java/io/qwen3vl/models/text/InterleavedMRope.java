package io.qwen3vl.models.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.config.TextConfig;
import io.qwen3vl.models.nn.kernel.Elementwise;

/**
 * Qwen3-VL's Interleaved multimodal rotary embedding. Every token carries three positions
 * (temporal, height, width); rotary frequency {@code j} takes its angle from the height axis when
 * {@code j % 3 == 1}, from the width axis when {@code j % 3 == 2} (each only while
 * {@code j < 3·section}), and from the temporal axis otherwise. Interleaving spreads all three axes
 * over the whole frequency range instead of giving each a contiguous band (Qwen2-VL's layout).
 */
public final class InterleavedMRope {
    private final float[] invFreq;
    /** For each frequency index, which position axis (0 = t, 1 = h, 2 = w) drives it. */
    private final int[] axisOf;
    private final int headDim;

    public InterleavedMRope(TextConfig config) {
        this.headDim = config.headDim();
        int half = headDim / 2;
        invFreq = new float[half];
        for (int j = 0; j < half; j++) {
            // float32 like the reference: 1 / theta^(2j/d)
            float exponent = (float) (2 * j) / headDim;
            invFreq[j] = (float) (1.0 / (float) Math.pow(config.ropeTheta(), exponent));
        }
        axisOf = axisAssignment(config.mropeSection(), half, config.mropeInterleaved());
    }

    static int[] axisAssignment(int[] section, int half, boolean interleaved) {
        int[] axis = new int[half];
        if (interleaved) {
            for (int j = 0; j < half; j++) {
                int candidate = j % 3;
                axis[j] = candidate != 0 && j < 3 * section[candidate] ? candidate : 0;
            }
        } else {
            // Qwen2-VL style: contiguous bands t | h | w.
            int j = 0;
            for (int a = 0; a < 3; a++) {
                for (int k = 0; k < section[a] && j < half; k++) {
                    axis[j++] = a;
                }
            }
        }
        return axis;
    }

    /**
     * Cosine and sine tables {@code [L, headDim]} for the given positions ({@code positions[axis][i]}),
     * with the angles duplicated over both halves (rotate-half convention).
     */
    public NDList cosSin(long[][] positions, NDManager manager) {
        int len = positions[0].length;
        int half = headDim / 2;
        float[] cos = new float[len * headDim];
        float[] sin = new float[len * headDim];
        for (int i = 0; i < len; i++) {
            row(positions[0][i], positions[1][i], positions[2][i], cos, sin, i * headDim);
        }
        Shape shape = new Shape(len, headDim);
        return new NDList(manager.create(cos, shape), manager.create(sin, shape));
    }

    /** One token's tables ({@code headDim} values each) at {@code off} of {@code cos} and {@code sin}. */
    void row(long t, long h, long w, float[] cos, float[] sin, int off) {
        int half = headDim / 2;
        for (int j = 0; j < half; j++) {
            long p = axisOf[j] == 0 ? t : axisOf[j] == 1 ? h : w;
            float angle = (float) p * invFreq[j];
            float c = (float) Math.cos(angle);
            float s = (float) Math.sin(angle);
            cos[off + j] = c;
            cos[off + j + half] = c;
            sin[off + j] = s;
            sin[off + j + half] = s;
        }
    }

    /**
     * Rotates the {@code heads} consecutive head vectors at the start of {@code x} in place by one
     * token's tables: {@code x·cos + rotate_half(x)·sin}, each product and the sum rounded as the
     * reference's separate operations (to fp16 with {@code fp16}, whose tables the caller has cast
     * to fp16). {@code a} and {@code b} are scratch of at least {@code heads·headDim}: the two
     * products of every element are formed first, so the roundings run over whole arrays.
     */
    static void rotate(float[] x, int heads, float[] cos, float[] sin, boolean fp16, float[] a, float[] b) {
        int d = cos.length;
        int half = d / 2;
        int n = heads * d;
        for (int off = 0; off < n; off += d) {
            for (int j = 0; j < half; j++) {
                float x1 = x[off + j];
                float x2 = x[off + j + half];
                a[off + j] = x1 * cos[j];
                b[off + j] = -x2 * sin[j];
                a[off + j + half] = x2 * cos[j + half];
                b[off + j + half] = x1 * sin[j + half];
            }
        }
        if (fp16) {
            Elementwise.roundToHalf(a, 0, n);
            Elementwise.roundToHalf(b, 0, n);
        }
        for (int i = 0; i < n; i++) {
            x[i] = a[i] + b[i];
        }
        if (fp16) {
            Elementwise.roundToHalf(x, 0, n);
        }
    }

    public int headDim() {
        return headDim;
    }

    /** Rotates {@code x [heads, L, headDim]} by the tables from {@link #cosSin}. */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(2) / 2;
        NDArray x1 = x.get(":, :, :{}", half);
        NDArray x2 = x.get(":, :, {}:", half);
        NDArray rotated = x2.neg().concat(x1, 2);
        if (cos.getDataType() != x.getDataType()) {
            cos = cos.toType(x.getDataType(), false);
            sin = sin.toType(x.getDataType(), false);
        }
        return x.mul(cos).add(rotated.mul(sin));
    }

    public static DataType tableType() {
        return DataType.FLOAT32;
    }
}
