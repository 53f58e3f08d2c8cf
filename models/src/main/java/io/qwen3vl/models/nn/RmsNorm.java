package io.qwen3vl.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.nn.kernel.Elementwise;

/** Root-mean-square normalisation over the last axis, computed in float32 as the reference does. */
public final class RmsNorm {
    private final NDArray weight;
    private final float eps;
    private final ScalarOperand epsOperand;
    private final ScalarOperand minusHalf;
    private volatile float[] weightValues; // for the float-array path, copied on first use

    public RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = (float) eps;
        this.epsOperand = new ScalarOperand(weight.getManager(), this.eps);
        this.minusHalf = new ScalarOperand(weight.getManager(), -0.5f);
    }

    public NDArray forward(NDArray x) {
        DataType in = x.getDataType();
        NDArray xf = in == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        // DJL has no rsqrt: pow(-0.5) is the same operation.
        NDArray scale = minusHalf.raise(epsOperand.addTo(xf.square().mean(new int[] {-1}, true)));
        NDArray normed = xf.mul(scale);
        if (in != DataType.FLOAT32) {
            normed = normed.toType(in, false);
        }
        return normed.mul(weight);
    }

    /**
     * The same normalisation of one vector {@code x[off, off+n)} (n = the weight's length) into
     * {@code out[outOff, outOff+n)}, in fp32 (the mean of squares accumulated in double); {@code out}
     * may be {@code x}. For a single token held in float arrays (the decode step). With
     * {@code half}, rounds to fp16 where the reference does for an fp16 model: the normalised value
     * (cast back to the input dtype) and its product with the weight.
     */
    public void apply(float[] x, int off, float[] out, int outOff, boolean half) {
        float[] w = weightValues();
        int n = w.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            sum += v * v;
        }
        float variance = (float) (sum / n);
        float scale = (float) (1.0 / Math.sqrt(variance + eps)); // rsqrt: correctly rounded sqrt, then 1/·
        if (half) { // normalised in fp32, cast to fp16, times the weight in fp16
            for (int i = 0; i < n; i++) {
                out[outOff + i] = x[off + i] * scale;
            }
            Elementwise.roundToHalf(out, outOff, outOff + n);
            for (int i = 0; i < n; i++) {
                out[outOff + i] = w[i] * out[outOff + i];
            }
            Elementwise.roundToHalf(out, outOff, outOff + n);
        } else {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = w[i] * (x[off + i] * scale);
            }
        }
    }

    private float[] weightValues() {
        float[] w = weightValues;
        if (w == null) {
            NDArray f = weight.getDataType() == DataType.FLOAT32 ? weight : weight.toType(DataType.FLOAT32, false);
            w = f.toFloatArray();
            if (f != weight) {
                f.close();
            }
            weightValues = w;
        }
        return w;
    }
}
