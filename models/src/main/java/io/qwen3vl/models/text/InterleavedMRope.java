package io.qwen3vl.models.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.checkpoint.HalfFloat;
import io.qwen3vl.models.config.TextConfig;

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
     * Rotates one head vector {@code x[off, off+headDim)} in place by one token's tables:
     * {@code x·cos + rotate_half(x)·sin}, each product rounded as the reference's separate multiplies
     * (to fp16 with {@code fp16}).
     */
    static void rotate(float[] x, int off, float[] cos, float[] sin, boolean fp16) {
        int half = cos.length / 2;
        if (fp16) { // tables cast to fp16 (by the caller), every product and the sum rounded to fp16
            for (int j = 0; j < half; j++) {
                float x1 = x[off + j];
                float x2 = x[off + j + half];
                x[off + j] = HalfFloat.round(HalfFloat.round(x1 * cos[j]) + HalfFloat.round(-x2 * sin[j]));
                x[off + j + half] = HalfFloat.round(HalfFloat.round(x2 * cos[j + half])
                        + HalfFloat.round(x1 * sin[j + half]));
            }
            return;
        }
        for (int j = 0; j < half; j++) {
            float x1 = x[off + j];
            float x2 = x[off + j + half];
            x[off + j] = x1 * cos[j] + -x2 * sin[j];
            x[off + j + half] = x2 * cos[j + half] + x1 * sin[j + half];
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
