package io.qwen3vl.models.text;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.checkpoint.HalfFloat;
import io.qwen3vl.models.nn.kernel.KeyTiles;
import io.qwen3vl.models.nn.kernel.ValueTiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Keys and values of every decoder layer, preallocated once per request for the whole sequence
 * ({@code [kvHeads, capacity, headDim]} per layer) so decoding never reallocates or concatenates.
 * An fp16 cache on the CPU keeps its keys {@link KeyTiles tiled} (positions across the lanes) and
 * its values {@link ValueTiles tiled} (column block by column block), the layouts the decode
 * kernel reads fastest; {@link #filled} gives every layout back as rows.
 * Owned by the request's NDManager; closing that manager frees it.
 */
public final class KvCache {
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;
    private final DataType dtype;
    private final boolean tiledKeys;
    private final boolean tiledValues;
    private final int kvHeads;
    private final int headDim;
    private int length;

    public KvCache(int layers, int kvHeads, int headDim, int capacity, DataType dtype, NDManager manager) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("KV cache capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.dtype = dtype;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        keys = new NDArray[layers];
        values = new NDArray[layers];
        tiledKeys = KeyTiles.wanted(dtype, manager.getDevice());
        tiledValues = ValueTiles.wanted(dtype, manager.getDevice(), headDim);
        Shape shape = new Shape(kvHeads, capacity, headDim);
        Shape keyShape = tiledKeys ? KeyTiles.shape(kvHeads, capacity, headDim) : shape;
        Shape valueShape = tiledValues ? ValueTiles.shape(kvHeads, capacity, headDim) : shape;
        for (int i = 0; i < layers; i++) {
            keys[i] = manager.zeros(keyShape, dtype);
            values[i] = manager.zeros(valueShape, dtype);
        }
    }

    /** Tokens already stored (the position the next token is written at). */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Writes {@code k, v [kvHeads, n, headDim]} of one layer at the current end; the caller
     * {@link #advance}s once all layers have written.
     */
    void append(int layer, NDArray k, NDArray v) {
        int n = (int) k.getShape().get(1);
        int end = length + n;
        if (end > capacity) {
            throw new IllegalStateException("KV cache full: " + end + " tokens > capacity " + capacity);
        }
        NDArray key = stored(k);
        putKeys(layer, key, length);
        NDArray value = stored(v);
        putValues(layer, value, length);
        closeCopy(key, k);
        closeCopy(value, v);
    }

    /** Frees {@code stored}, the cache-dtype copy of {@code original}, once written (not when it is the original). */
    private static void closeCopy(NDArray stored, NDArray original) {
        if (stored != original) {
            stored.close();
        }
    }

    /**
     * Writes keys {@code [kvHeads, n, headDim]} of the cache's dtype at positions {@code start ..} of
     * one layer, in the layer's layout (tiled or rows).
     */
    private void putKeys(int layer, NDArray k, int start) {
        if (tiledKeys) {
            KeyTiles.store(keys[layer], k, start);
        } else {
            keys[layer].set(new NDIndex(":, {}:{}, :", start, start + k.getShape().get(1)), k);
        }
    }

    /** Writes values like {@link #putKeys}. */
    private void putValues(int layer, NDArray v, int start) {
        if (tiledValues) {
            ValueTiles.store(values[layer], v, start);
        } else {
            values[layer].set(new NDIndex(":, {}:{}, :", start, start + v.getShape().get(1)), v);
        }
    }

    /**
     * Keys and values of one layer's first {@code end} positions, {@code [kvHeads, end, headDim]}
     * each, owned by {@code owner}: views of the cache, or for tiles a copy in rows.
     */
    NDArray[] filled(int layer, int end, NDManager owner) {
        NDIndex first = new NDIndex(":, :{}, :", end);
        NDArray keyView = tiledKeys ? KeyTiles.natural(keys[layer], end) : keys[layer].get(first);
        NDArray valueView = tiledValues ? ValueTiles.natural(values[layer], end) : values[layer].get(first);
        keyView.attach(owner);
        valueView.attach(owner);
        return new NDArray[] {keyView, valueView};
    }

    /** {@code a} in the cache's dtype (an fp16 cache of an fp32 model rounds to nearest, as the decode step's writes do). */
    private NDArray stored(NDArray a) {
        return a.getDataType() == dtype ? a : a.toType(dtype, false);
    }

    /**
     * Writes one token's keys and values ({@code [kvHeads·headDim]} each; rounded to nearest for an
     * fp16 cache) of one layer at the current end, straight into the cache's memory; the
     * caller {@link #advance}s once all layers have written. For the decode step, which holds a
     * token's activations in float arrays.
     */
    void write(int layer, float[] k, float[] v) {
        if (length >= capacity) {
            throw new IllegalStateException("KV cache full: " + (length + 1) + " tokens > capacity " + capacity);
        }
        int heads = kvHeads;
        int d = headDim;
        ByteBuffer kb = keys[layer].toByteBuffer(true).order(ByteOrder.nativeOrder());
        ByteBuffer vb = values[layer].toByteBuffer(true).order(ByteOrder.nativeOrder());
        if (keys[layer].getDataType() == DataType.FLOAT16) {
            int tiles = KeyTiles.tiles(capacity);
            for (int h = 0; h < heads; h++) {
                int at = (h * capacity + length) * d;
                for (int i = 0; i < d; i++) {
                    int key = tiledKeys ? (int) KeyTiles.offset(h, length, i, tiles, d) : at + i;
                    int value = tiledValues ? (int) ValueTiles.offset(h, length, i, tiles, d) : at + i;
                    kb.putShort(2 * key, HalfFloat.fromFloat(k[h * d + i]));
                    vb.putShort(2 * value, HalfFloat.fromFloat(v[h * d + i]));
                }
            }
            return;
        }
        FloatBuffer kf = kb.asFloatBuffer();
        FloatBuffer vf = vb.asFloatBuffer();
        for (int h = 0; h < heads; h++) {
            int at = (h * capacity + length) * d;
            kf.put(at, k, h * d, d);
            vf.put(at, v, h * d, d);
        }
    }

    /** Whether {@link #write} can store into this cache (fp32 or fp16, on the CPU). */
    boolean writable() {
        return (dtype == DataType.FLOAT32 || dtype == DataType.FLOAT16) && keys.length > 0
                && keys[0].getDevice().getDeviceType().equals(Device.Type.CPU);
    }

    /**
     * The whole key cache of one layer {@code [kvHeads, capacity, headDim]}, or {@link KeyTiles
     * tiled}, for kernels that read it in place.
     */
    NDArray keys(int layer) {
        return keys[layer];
    }

    /** The whole value cache of one layer, like {@link #keys} ({@link ValueTiles tiled} or not). */
    NDArray values(int layer) {
        return values[layer];
    }

    /**
     * Pretends that {@code tokens} tokens are already cached by writing random keys and values
     * (standard normal) into the first slots of every layer. For benchmarks that need a long
     * context without paying for its prefill: attention cost depends on the length, not the values.
     */
    public void fillRandom(int tokens) {
        if (tokens < 0 || tokens > capacity) {
            throw new IllegalArgumentException("cannot fill " + tokens + " tokens into a cache of capacity " + capacity);
        }
        if (tokens > 0) {
            Shape shape = new Shape(kvHeads, tokens, headDim);
            try (NDManager scratch = values[0].getManager().newSubManager()) {
                NDArray noise = scratch.randomNormal(0f, 1f, shape, DataType.FLOAT32).toType(dtype, false);
                // Every layer's keys and values differ (scaled copies of one draw): pages of equal
                // content can be merged by the hypervisor and then read from cache, which made
                // decoding at 8K context look faster than the memory allows.
                for (int i = 0; i < keys.length; i++) {
                    float scale = 1 + i / 64f;
                    try (NDArray k = noise.mul(scale); NDArray v = noise.mul(-scale)) {
                        putKeys(i, k, 0);
                        putValues(i, v, 0);
                    }
                }
            }
        }
        length = tokens;
    }

    /** Called once all layers have appended a step's tokens. */
    void advance(int n) {
        length += n;
    }

    /** Forgets everything after {@code newLength} tokens (e.g. to reuse a prompt prefix). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate cache of " + length + " tokens to " + newLength);
        }
        length = newLength;
    }
}
