package io.qwen3vl.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.qwen3vl.engine.fusion.VisionFeatures;
import io.qwen3vl.engine.sequence.RopeIndex;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.models.Qwen3VL;
import io.qwen3vl.models.text.KvCache;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The native side of one request: a request NDManager holding a KV cache preallocated for the
 * whole request, one prefill over the prompt, then one decode step per token. Every step's
 * activations live in their own sub-manager that is closed when the step ends, so native memory
 * stays flat however long the answer gets. Logits are copied into a caller-owned {@code float[vocab]}
 * (only the last row, straight from native memory on CPU).
 */
public final class DecodeSession implements AutoCloseable {
    private final Qwen3VL model;
    private final RopeIndex rope;
    private final NDManager request;
    private final KvCache cache;
    private final int prefillChunk;
    private boolean prefilled;

    private DecodeSession(Qwen3VL model, RopeIndex rope, int capacity, int prefillChunk) {
        if (prefillChunk < 1) {
            throw new IllegalArgumentException("prefill chunk must be at least 1 token, got " + prefillChunk);
        }
        this.model = model;
        this.rope = rope;
        this.prefillChunk = prefillChunk;
        request = model.newRequestManager();
        try {
            cache = model.text().newCache(capacity, request);
        } catch (RuntimeException e) {
            request.close();
            throw e;
        }
    }

    /** Opens a session whose cache holds exactly {@code capacity} tokens (prompt + new tokens). */
    public static DecodeSession open(Qwen3VL model, RopeIndex rope, int capacity) {
        return open(model, rope, capacity, ChunkedPrefill.DEFAULT_CHUNK);
    }

    /** As {@link #open(Qwen3VL, RopeIndex, int)}, prefilling at most {@code prefillChunk} tokens per pass. */
    public static DecodeSession open(Qwen3VL model, RopeIndex rope, int capacity, int prefillChunk) {
        return new DecodeSession(model, rope, capacity, prefillChunk);
    }

    public int vocabSize() {
        return model.text().config().vocabSize();
    }

    /** Tokens in the cache so far. */
    public int length() {
        return cache.length();
    }

    public int capacity() {
        return cache.capacity();
    }

    /**
     * Runs the prompt through the model: vision features scattered into the pad rows, DeepStack added
     * after the first decoder layers. Long prompts go through in chunks ({@link ChunkedPrefill}) so
     * attention scores stay small. Writes the logits predicting the first new token.
     *
     * @param vision the prompt's vision features (owned by the caller and left open), or null for text
     */
    public void prefill(TokenSequence prompt, VisionFeatures vision, float[] logitsOut) {
        if (prefilled) {
            throw new IllegalStateException("prefill runs once per session");
        }
        long[] visionRows = prompt.visionPositions();
        if (visionRows.length > 0 && vision == null) {
            throw new IllegalArgumentException("the prompt has " + visionRows.length
                    + " vision tokens but no vision features were given");
        }
        if (rope.positions()[0].length != prompt.length()) {
            throw new IllegalArgumentException("rope index covers " + rope.positions()[0].length
                    + " tokens, the prompt has " + prompt.length());
        }
        NDArray embedsIn = visionRows.length > 0 ? vision.embeds() : null;
        List<NDArray> deepStack = visionRows.length > 0 ? vision.deepStack() : null;
        try (NDManager step = request.newSubManager()) {
            NDArray embeds = model.embed(prompt.ids(), visionRows, embedsIn, step);
            NDArray last = ChunkedPrefill.run(model, embeds, rope.positions(), cache, visionRows,
                    deepStack == null ? List.of() : deepStack, prefillChunk, step);
            readLogits(last, logitsOut);
        }
        prefilled = true;
    }

    /** Feeds one generated token and writes the logits predicting the next one. */
    public void step(int token, float[] logitsOut) {
        if (!prefilled) {
            throw new IllegalStateException("decode step before prefill");
        }
        try (NDManager step = request.newSubManager()) {
            long[][] positions = rope.decodePositions(cache.length(), 1);
            NDArray hidden = model.forward(model.embed(new int[] {token}, null, null, step), positions, cache,
                    null, null);
            readLogits(hidden, logitsOut);
        }
    }

    private void readLogits(NDArray lastHidden, float[] out) {
        NDArray logits = model.text().logits(lastHidden);
        if (logits.size() != out.length) {
            throw new IllegalArgumentException("logits buffer holds " + out.length + " values, the model gives "
                    + logits.size());
        }
        // A direct view of native memory on CPU (a copy on other devices); read before the step closes.
        FloatBuffer view = logits.toByteBuffer(true).asFloatBuffer();
        view.get(out);
        for (float x : out) {
            if (Float.isNaN(x)) {
                throw new IllegalStateException("the model produced NaN logits after " + cache.length()
                        + " tokens; in fp16 this usually means an overflow: try --dtype fp32");
            }
        }
    }

    /** The request's manager, for tests that watch native memory. */
    NDManager manager() {
        return request;
    }

    /** Frees the cache and everything else of the request. */
    @Override
    public void close() {
        request.close();
    }
}
