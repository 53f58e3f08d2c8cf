package io.qwen3vl.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.checkpoint.Checkpoint;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.config.ModelConfig;
import io.qwen3vl.models.text.DeepStackInjection;
import io.qwen3vl.models.text.KvCache;
import io.qwen3vl.models.text.TextDecoder;
import io.qwen3vl.models.vision.VisionEncoder;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded Qwen3-VL checkpoint: the language model and (when present) the vision tower, with their
 * weights in one native scope that {@link #close()} frees. Per-request state (KV cache, activations)
 * lives in managers the caller creates with {@link #newRequestManager()}.
 */
public final class Qwen3VL implements AutoCloseable {
    private final ModelConfig config;
    private final WeightSource source;
    private final NDManager weights;
    private final TextDecoder text;
    private final VisionEncoder vision;
    private final Precision precision;

    private Qwen3VL(ModelConfig config, WeightSource source, NDManager weights, TextDecoder text,
                    VisionEncoder vision, Precision precision) {
        this.config = config;
        this.source = source;
        this.weights = weights;
        this.text = text;
        this.vision = vision;
        this.precision = precision;
    }

    /**
     * Loads the model folder onto {@code device} ("cpu" or "cuda"/"gpu", optionally "cuda:N") with
     * weights and activations in {@code dtype} (FLOAT32 or FLOAT16).
     */
    public static Qwen3VL load(Path modelDir, String device, DataType dtype) {
        return load(modelDir, device, Precision.of(dtype));
    }

    /** Loads the model folder onto {@code device} in {@code precision}. */
    public static Qwen3VL load(Path modelDir, String device, Precision precision) {
        ModelConfig config = ModelConfig.load(modelDir);
        Device dev = resolveDevice(device);
        return load(Checkpoint.open(modelDir), config, dev, precision);
    }

    /**
     * Builds the model of {@code config} from any weight source (a checkpoint, or synthetic weights
     * for benchmarks) on {@code device}. The model owns the source from here on: closing the model
     * closes it, and so does a failed load.
     */
    public static Qwen3VL load(WeightSource source, ModelConfig config, Device device, DataType dtype) {
        return load(source, config, device, Precision.of(dtype));
    }

    /** {@link #load(WeightSource, ModelConfig, Device, DataType)} in any {@code precision}. */
    public static Qwen3VL load(WeightSource source, ModelConfig config, Device device, Precision precision) {
        DataType dtype = precision.dtype();
        NDManager weights;
        try {
            weights = NDManager.newBaseManager(device, "PyTorch");
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        try {
            TextDecoder text = TextDecoder.load(source, config.text(), weights, dtype, precision.textWeights(),
                    precision.kvCacheType());
            // A text-only export of the checkpoint may lack the tower; images then fail clearly on use.
            VisionEncoder vision = config.vision() != null && source.contains(VisionEncoder.PREFIX + "merger.norm.weight")
                    ? VisionEncoder.load(source, config.vision(), weights, dtype) : null;
            return new Qwen3VL(config, source, weights, text, vision, precision);
        } catch (RuntimeException e) {
            weights.close();
            source.close();
            throw e;
        }
    }

    /** Maps the CLI's device names onto DJL devices, failing clearly when CUDA is not available. */
    public static Device resolveDevice(String device) {
        String d = device == null ? "cpu" : device.trim().toLowerCase(java.util.Locale.ROOT);
        if (d.equals("cpu")) {
            return Device.cpu();
        }
        if (d.startsWith("cuda") || d.startsWith("gpu")) {
            int index = d.contains(":") ? Integer.parseInt(d.substring(d.indexOf(':') + 1)) : 0;
            int gpus = Engine.getEngine("PyTorch").getGpuCount();
            if (gpus == 0) {
                throw new IllegalArgumentException("--device " + device + ": no CUDA device is visible to the "
                        + "PyTorch engine (the bundled natives are CPU-only: on a machine with a GPU set "
                        + "PYTORCH_LIBRARY_PATH to a CUDA build of libtorch 2.7.1 with PYTORCH_VERSION=2.7.1 "
                        + "PYTORCH_FLAVOR=cu128; see the README's CUDA section)");
            }
            if (index >= gpus) {
                throw new IllegalArgumentException("--device " + device + ": only " + gpus + " CUDA device(s)");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("--device must be cpu or cuda[:N], not '" + device + "'");
    }

    public ModelConfig config() {
        return config;
    }

    public TextDecoder text() {
        return text;
    }

    /** The vision tower; fails clearly for checkpoints without one. */
    public VisionEncoder vision() {
        if (vision == null) {
            throw new IllegalStateException(source.describe() + ": this checkpoint has no vision tower "
                    + "(no " + VisionEncoder.PREFIX + "* tensors or no vision_config), so it cannot see images or videos");
        }
        return vision;
    }

    /** The dtype of activations (the KV cache's may differ: {@code text().cacheType()}). */
    public DataType dtype() {
        return precision.dtype();
    }

    public Precision precision() {
        return precision;
    }

    /** The checkpoint the weights came from; fails for models built from synthetic weights. */
    public Checkpoint checkpoint() {
        if (source instanceof Checkpoint ckpt) {
            return ckpt;
        }
        throw new IllegalStateException(source.describe() + " is not a checkpoint on disk");
    }

    /** Where the weights came from. */
    public WeightSource weightSource() {
        return source;
    }

    /** A manager for one request's KV cache and activations, on the model's device. */
    public NDManager newRequestManager() {
        return weights.newSubManager();
    }

    /**
     * Text embeddings of {@code ids} with vision embeddings written over the rows at
     * {@code visionPositions} (in order). Lives in {@code scope}.
     */
    public NDArray embed(int[] ids, long[] visionPositions, NDArray visionEmbeds, NDManager scope) {
        NDArray embeds = text.embed(ids, scope);
        if (visionPositions != null && visionPositions.length > 0) {
            if (visionEmbeds == null || visionEmbeds.getShape().get(0) != visionPositions.length) {
                throw new IllegalArgumentException("vision embeddings do not match the " + visionPositions.length
                        + " vision positions of the prompt");
            }
            NDArray v = visionEmbeds.getDataType() == embeds.getDataType()
                    ? visionEmbeds : visionEmbeds.toType(embeds.getDataType(), false);
            embeds.set(new NDIndex("{}", scope.create(visionPositions)), v);
        }
        return embeds;
    }

    /** Runs the decoder over new tokens; see {@link TextDecoder#forward}. */
    public NDArray forward(NDArray embeds, long[][] positions, KvCache cache, long[] visionPositions,
                           List<NDArray> deepStack) {
        DeepStackInjection injection = deepStack == null || deepStack.isEmpty()
                ? null : new DeepStackInjection(visionPositions, deepStack);
        return text.forward(embeds, positions, cache, injection);
    }

    @Override
    public void close() {
        weights.close();
        source.close();
    }
}
