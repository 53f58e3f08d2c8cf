package io.qwen3vl.models.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.config.TextConfig;
import io.qwen3vl.models.nn.Activations;
import io.qwen3vl.models.nn.Linear;
import io.qwen3vl.models.nn.WeightFormat;
import io.qwen3vl.models.nn.RowChunks;
import io.qwen3vl.models.nn.kernel.Elementwise;
import io.qwen3vl.models.nn.kernel.MatVec;

/** The SwiGLU feed-forward block: {@code down(act(gate(x)) · up(x))}. */
final class Mlp {
    private final Linear gate;
    private final Linear up;
    private final Linear down;
    private final String act;

    Mlp(WeightSource source, String prefix, TextConfig config, NDManager manager, DataType dtype, WeightFormat format) {
        gate = Linear.loadForDecoding(source, prefix + "gate_proj", manager, dtype, format);
        up = Linear.loadForDecoding(source, prefix + "up_proj", manager, dtype, format);
        down = Linear.loadForDecoding(source, prefix + "down_proj", manager, dtype, format);
        act = config.hiddenAct();
    }

    NDArray forward(NDArray x) {
        // Prompt rows in blocks whose [rows, intermediate] activations stay small (see RowChunks).
        long rows = RowChunks.rowsPerBlock(gate.outFeatures(), x.getDataType().getNumOfBytes());
        return RowChunks.apply(x, rows, part -> {
            NDArray[] gateUp = Linear.forwardAll(part, gate, up); // one pass over both weights when decoding
            return down.forward(Activations.apply(act, gateUp[0]).mul(gateUp[1]));
        });
    }

    /**
     * The single-token path of {@link #forward} on float arrays (SiLU only; see {@link DecodeStep}).
     * SiLU is rounded once, as torch's own kernel computes it ({@code x / (1 + e^-x)} in fp32).
     */
    void decode(float[] x, DecodeStep.Buffers b, float[] out) {
        MatVec.multiply(x, new float[][] {b.gate, b.up}, gate.kernelView(), up.kernelView());
        b.round(b.gate);
        b.round(b.up);
        Elementwise.siluTimes(b.gate, b.up, b.gate.length, b.half, b.activation);
        MatVec.multiply(b.gate, new float[][] {out}, down.kernelView());
        b.round(out);
    }

    boolean decodable() {
        return (act.equals("silu") || act.equals("swish")) && gate.kernelView() != null && up.kernelView() != null
                && down.kernelView() != null;
    }
}
