package io.qwen3vl.models.text;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.config.TextConfig;
import io.qwen3vl.models.nn.RmsNorm;
import io.qwen3vl.models.nn.kernel.Elementwise;
import io.qwen3vl.models.nn.kernel.FloatRows;
import io.qwen3vl.models.nn.kernel.MatVec;

/**
 * One new token through every decoder layer with its activations in float arrays: the decode
 * kernel's products ({@link MatVec}), attention over the cache in place, and norms, rotary
 * embedding, SiLU and residual sums in plain Java on vectors of a few thousand floats.
 *
 * <p>Why: decoding a token of the 2B model made about 1,400 backend calls besides the weight
 * products (norms, rotary, cache writes, activations), each creating and registering an NDArray:
 * 30 ms of a 260 ms token, with one core idle meanwhile. On float arrays the same work takes well
 * under a millisecond, and the only native objects of a step are its input and output rows.
 *
 * <p>Used on the CPU when the kernel reads every weight. The arithmetic is the reference's: in fp32
 * for an fp32 model; for an fp16 model every intermediate is rounded to fp16 where the reference's
 * fp16 operations round it (projections, norms, rotary products, attention, SiLU, residual sums),
 * with fp32 accumulation inside products as on the backend path. Only summation orders differ.
 */
final class DecodeStep {
    private final TextConfig config;
    private final DataType dtype;
    private final DecoderLayer[] layers;
    private final RmsNorm norm;
    private final InterleavedMRope rope;
    /**
     * A step's working arrays, kept per thread from step to step (about 140 KB for the 2B model): a
     * decode makes no Java garbage that grows with its length. Per thread, as requests may decode
     * on several.
     */
    private final ThreadLocal<Buffers> buffers;

    private DecodeStep(TextConfig config, DataType dtype, DecoderLayer[] layers, RmsNorm norm, InterleavedMRope rope) {
        this.config = config;
        this.dtype = dtype;
        this.layers = layers;
        this.norm = norm;
        this.rope = rope;
        boolean half = dtype == DataType.FLOAT16;
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(config, half));
    }

    /** The step for these layers, or null when they cannot all take it (kernel off, not SiLU, …). */
    static DecodeStep of(TextConfig config, DataType dtype, DecoderLayer[] layers, RmsNorm norm, InterleavedMRope rope) {
        if ((dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) || !MatVec.enabled()) {
            return null;
        }
        for (DecoderLayer layer : layers) {
            if (!layer.decodable()) {
                return null;
            }
        }
        return new DecodeStep(config, dtype, layers, norm, rope);
    }

    /** Whether this step takes {@code embeds} with {@code cache}: one row of its dtype on the CPU. */
    boolean accepts(NDArray embeds, KvCache cache) {
        Shape s = embeds.getShape();
        return MatVec.enabled() && s.dimension() == 2 && s.get(0) == 1 && embeds.getDataType() == dtype
                && Device.cpu().equals(embeds.getDevice()) && cache.writable();
    }

    /**
     * Runs the token {@code embeds [1, hidden]} at the 3-D position {@code (t, h, w)}, appends its keys
     * and values to {@code cache} and returns the final-normed hidden state {@code [1, hidden]} in
     * {@code embeds}' manager.
     */
    NDArray forward(NDArray embeds, long t, long h, long w, KvCache cache) {
        Buffers b = buffers.get();
        rope.row(t, h, w, b.cos, b.sin, 0);
        b.round(b.cos); // the reference casts its tables to the model's dtype
        b.round(b.sin);
        float[] hidden = b.hidden;
        FloatRows.read(embeds, hidden.length, hidden);
        for (DecoderLayer layer : layers) {
            layer.decode(hidden, b, cache);
        }
        cache.advance(1);
        norm.apply(hidden, 0, hidden, 0, b.half);
        return FloatRows.create(embeds.getManager(), hidden, dtype); // fp16: exact, the values are fp16 already
    }

    /** A step's working vectors, shared by all layers in turn. */
    static final class Buffers {
        final boolean half;
        final float[] hidden;
        final float[] normed;
        final float[] out;
        final float[] q;
        final float[] k;
        final float[] v;
        final float[] context;
        final float[] gate;
        final float[] up;
        final float[] activation;
        final float[] cos;
        final float[] sin;
        final float[] ropeA;
        final float[] ropeB;

        Buffers(TextConfig c, boolean half) {
            this.half = half;
            int d = c.headDim();
            hidden = new float[c.hiddenSize()];
            normed = new float[c.hiddenSize()];
            out = new float[c.hiddenSize()];
            q = new float[c.numAttentionHeads() * d];
            k = new float[c.numKeyValueHeads() * d];
            v = new float[c.numKeyValueHeads() * d];
            context = new float[c.numAttentionHeads() * d];
            gate = new float[c.intermediateSize()];
            up = new float[c.intermediateSize()];
            activation = new float[c.intermediateSize()]; // scratch of the SiLU
            cos = new float[d];
            sin = new float[d];
            ropeA = new float[q.length]; // scratch of the rotary embedding's products
            ropeB = new float[q.length];
        }

        /** Rounds {@code a} to fp16 values for an fp16 model (where the reference's op would); else nothing. */
        void round(float[] a) {
            if (half) {
                Elementwise.roundToHalf(a, 0, a.length);
            }
        }
    }
}
