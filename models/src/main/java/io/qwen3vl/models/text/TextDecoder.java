package io.qwen3vl.models.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.config.TextConfig;
import io.qwen3vl.models.nn.Int8Weight;
import io.qwen3vl.models.nn.Linear;
import io.qwen3vl.models.nn.RmsNorm;
import io.qwen3vl.models.nn.WeightFormat;

/**
 * The Qwen3 language model of Qwen3-VL: token embeddings, decoder layers with Interleaved-MRoPE,
 * the final norm and the LM head (tied to the embeddings or separate).
 *
 * <p>Weights live in the manager given to {@link #load}; every activation lives in the manager of
 * the arrays passed to {@link #forward}, so a caller that runs each step in its own sub-manager
 * frees all of that step's native memory when the sub-manager closes.
 */
public final class TextDecoder {
    public static final String PREFIX = "model.language_model.";

    private final TextConfig config;
    private final DataType dtype;
    private final DataType cacheType;
    private final NDArray embedTokens; // null when the embeddings are held in 8 bits
    private final Int8Weight embedInt8; // null when dense
    private final DecoderLayer[] layers;
    private final RmsNorm norm;
    private final Linear lmHead;
    private final InterleavedMRope rope;
    private volatile DecodeStep decodeStep; // made on the first single-token call (needs the kernel's views)
    private volatile boolean decodeStepChecked;

    private TextDecoder(TextConfig config, DataType dtype, DataType cacheType, NDArray embedTokens,
                        Int8Weight embedInt8, DecoderLayer[] layers, RmsNorm norm, Linear lmHead) {
        this.config = config;
        this.dtype = dtype;
        this.cacheType = cacheType;
        this.embedTokens = embedTokens;
        this.embedInt8 = embedInt8;
        this.layers = layers;
        this.norm = norm;
        this.lmHead = lmHead;
        this.rope = new InterleavedMRope(config);
    }

    /** Loads the language model with dense weights in {@code dtype}, its KV cache in {@code dtype} too. */
    public static TextDecoder load(WeightSource source, TextConfig config, NDManager manager, DataType dtype) {
        return load(source, config, manager, dtype, WeightFormat.DENSE, dtype);
    }

    /**
     * Loads the language model computing in {@code dtype}, its projections, embeddings and LM head
     * held in {@code format} (in 8 bits, a lookup dequantizes the rows it reads, and a tied head is
     * the same 8-bit matrix); norms stay in {@code dtype}. Its caches hold keys and values in
     * {@code cacheType} unless a caller asks otherwise ({@link #supportsCache}).
     */
    public static TextDecoder load(WeightSource source, TextConfig config, NDManager manager, DataType dtype,
                                   WeightFormat format, DataType cacheType) {
        if (format == WeightFormat.INT8 && dtype != DataType.FLOAT32) {
            throw new IllegalArgumentException("8-bit weights compute in fp32, not " + dtype);
        }
        checkCache(dtype, cacheType);
        NDArray embed = source.load(PREFIX + "embed_tokens.weight", manager, dtype);
        Int8Weight embed8 = null;
        if (format == WeightFormat.INT8 && Int8Weight.fits(embed)) {
            embed8 = Int8Weight.quantize(embed, manager);
            embed.close();
            embed = null;
        }
        DecoderLayer[] layers = new DecoderLayer[config.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new DecoderLayer(source, PREFIX + "layers." + i + ".", i, config, manager, dtype, format);
        }
        RmsNorm norm = new RmsNorm(source.load(PREFIX + "norm.weight", manager, dtype), config.rmsNormEps());
        Linear head;
        if (source.contains("lm_head.weight") && !config.tieWordEmbeddings()) {
            head = Linear.loadForDecoding(source, "lm_head", manager, dtype, format);
        } else if (embed8 != null) {
            head = Linear.of(embed8);
        } else {
            head = new Linear(embed, null);
        }
        return new TextDecoder(config, dtype, cacheType, embed, embed8, layers, norm, head);
    }

    public TextConfig config() {
        return config;
    }

    public DataType dtype() {
        return dtype;
    }

    /** The dtype of this model's KV cache unless a caller asks for another (see {@link #newCache}). */
    public DataType cacheType() {
        return cacheType;
    }

    /** A cache able to hold {@code capacity} tokens of this model, owned by {@code manager}. */
    public KvCache newCache(int capacity, NDManager manager) {
        return newCache(capacity, cacheType, manager);
    }

    /** The same with keys and values stored in {@code type} ({@link #supportsCache}). */
    public KvCache newCache(int capacity, DataType type, NDManager manager) {
        checkCache(dtype, type);
        return new KvCache(config.numHiddenLayers(), config.numKeyValueHeads(), config.headDim(), capacity, type,
                manager);
    }

    /**
     * Whether a model computing in {@code dtype} can cache keys and values in {@code cacheType}: in
     * its own dtype, or in fp16, which an fp32 model's attention widens exactly (half the bytes to
     * read per token, keys and values rounded to fp16).
     */
    public static boolean supportsCache(DataType dtype, DataType cacheType) {
        return cacheType == dtype || cacheType == DataType.FLOAT16;
    }

    private static void checkCache(DataType dtype, DataType cacheType) {
        if (!supportsCache(dtype, cacheType)) {
            throw new IllegalArgumentException("a model computing in " + dtype + " cannot cache keys and values in "
                    + cacheType + " (only " + dtype + " or float16)");
        }
    }

    /** Token embeddings {@code [L, hidden]} in {@code scope}. */
    public NDArray embed(int[] ids, NDManager scope) {
        long[] idx = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + ids[i] + " outside the vocabulary of "
                        + config.vocabSize());
            }
            idx[i] = ids[i];
        }
        if (embedInt8 != null) {
            return embedInt8.gather(scope.create(idx));
        }
        NDArray rows = embedTokens.get(scope.create(idx));
        rows.attach(scope); // gathered rows would otherwise belong to the weights' manager
        return rows;
    }

    /**
     * Runs the decoder over new tokens appended to {@code cache}.
     *
     * @param embeds    input embeddings {@code [L, hidden]} (text embeddings with vision features scattered in)
     * @param positions 3-D position ids {@code [3][L]} (temporal, height, width)
     * @param deepStack features to add after the first decoder layers, or null
     * @return the final-normed hidden states {@code [L, hidden]}
     */
    public NDArray forward(NDArray embeds, long[][] positions, KvCache cache, DeepStackInjection deepStack) {
        NDManager scope = embeds.getManager();
        int len = (int) embeds.getShape().get(0);
        if (positions.length != 3 || positions[0].length != len) {
            throw new IllegalArgumentException("positions must be [3][" + len + "]");
        }
        if (len == 1 && deepStack == null) {
            DecodeStep step = decodeStep();
            if (step != null && step.accepts(embeds, cache)) {
                return step.forward(embeds, positions[0][0], positions[1][0], positions[2][0], cache);
            }
        }
        NDList cosSin = rope.cosSin(positions, scope);
        NDArray cos = cosSin.get(0);
        NDArray sin = cosSin.get(1);
        NDArray mask = len > 1 ? causalMask(cache.length(), len, scope) : null;
        NDArray h = embeds.getDataType() == dtype ? embeds : embeds.toType(dtype, false);
        boolean owned = h != embeds;
        for (int i = 0; i < layers.length; i++) {
            // One scope per layer: its intermediates (and the previous hidden states) are freed as soon
            // as the layer is done, so memory holds one layer's activations instead of all of them.
            try (NDManager layerScope = scope.newSubManager()) {
                if (owned) {
                    h.attach(layerScope);
                } else {
                    h.tempAttach(layerScope); // the caller's embeddings go back to the caller
                }
                NDArray out = layers[i].forward(h, cos, sin, mask, cache);
                if (deepStack != null) {
                    out = deepStack.inject(i, out);
                }
                out.attach(scope);
                h = out;
                owned = true;
            }
        }
        cache.advance(len);
        return norm.forward(h);
    }

    DecodeStep decodeStep() {
        if (!decodeStepChecked) {
            synchronized (this) {
                if (!decodeStepChecked) {
                    decodeStep = DecodeStep.of(config, dtype, layers, norm, rope);
                    decodeStepChecked = true;
                }
            }
        }
        return decodeStep;
    }

    /** Float32 logits {@code [rows, vocab]} for final hidden states {@code [rows, hidden]}. */
    public NDArray logits(NDArray hidden) {
        NDArray logits = lmHead.forward(hidden);
        return logits.getDataType() == DataType.FLOAT32 ? logits : logits.toType(DataType.FLOAT32, false);
    }

    /**
     * Additive mask letting new token i (absolute position past+i) see positions 0..past+i: 0 where
     * visible, -inf above the diagonal. Built by the backend from two position ranges rather than
     * in a Java array: a 512-token chunk over a 12K-token context would be a 24 MB Java array per
     * chunk, garbage that made the JVM's young generation, and so the process's resident memory, grow.
     */
    private static NDArray causalMask(int past, int len, NDManager scope) {
        int total = past + len;
        NDArray query = scope.arange(past, total, 1, DataType.INT32).reshape(len, 1);
        NDArray key = scope.arange(0, total, 1, DataType.INT32).reshape(1, total);
        NDArray blocked = key.gt(query); // [len, total], by broadcasting
        Shape shape = new Shape(len, total);
        return NDArrays.where(blocked, scope.full(shape, Float.NEGATIVE_INFINITY), scope.zeros(shape));
    }
}
