package io.qwen3vl.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.models.checkpoint.WeightSource;
import io.qwen3vl.models.config.VisionConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Qwen3-VL vision tower: patch embedding plus interpolated learned positions, a stack of
 * {@link VisionBlock}s with 2-D rotary attention confined to each image / temporal patch, the final
 * {@link PatchMerger}, and the DeepStack mergers that tap the hidden states after the blocks listed
 * in {@code deepstack_visual_indexes}. Weights are read from the checkpoint under
 * {@code model.visual.} and owned by this encoder's own sub-manager (closed by {@link #close()}).
 */
public final class VisionEncoder implements AutoCloseable {
    public static final String PREFIX = "model.visual.";

    private final VisionConfig config;
    private final NDManager weights;
    private final DataType dtype;
    private final PatchEmbed patchEmbed;
    private final VisionPositionEmbedding positions;
    private final VisionRotary rotary;
    private final List<VisionBlock> blocks;
    private final PatchMerger merger;
    private final List<PatchMerger> deepstackMergers;
    private final int[] deepstackIndexes;

    private VisionEncoder(VisionConfig config, NDManager weights, DataType dtype, PatchEmbed patchEmbed,
                          VisionPositionEmbedding positions, List<VisionBlock> blocks, PatchMerger merger,
                          List<PatchMerger> deepstackMergers) {
        this.config = config;
        this.weights = weights;
        this.dtype = dtype;
        this.patchEmbed = patchEmbed;
        this.positions = positions;
        this.rotary = new VisionRotary(config.hiddenSize() / config.numHeads());
        this.blocks = List.copyOf(blocks);
        this.merger = merger;
        this.deepstackMergers = List.copyOf(deepstackMergers);
        this.deepstackIndexes = config.deepstackVisualIndexes().clone();
    }

    /**
     * Loads the vision tower in {@code dtype} (FLOAT32 is the compute type the goldens are checked
     * in) into a new sub-manager of {@code parent}.
     */
    public static VisionEncoder load(WeightSource source, VisionConfig config, NDManager parent, DataType dtype) {
        validate(config);
        NDManager weights = parent.newSubManager();
        try {
            PatchEmbed patchEmbed = PatchEmbed.load(source, PREFIX + "patch_embed", weights, dtype);
            long expectedPatch = (long) config.inChannels() * config.temporalPatchSize()
                    * config.patchSize() * config.patchSize();
            if (patchEmbed.patchDim() != expectedPatch) {
                throw new IllegalArgumentException("patch_embed takes " + patchEmbed.patchDim()
                        + " values per patch, config implies " + expectedPatch);
            }
            VisionPositionEmbedding positions = VisionPositionEmbedding.load(source, PREFIX + "pos_embed", weights, dtype);
            List<VisionBlock> blocks = new ArrayList<>(config.depth());
            for (int i = 0; i < config.depth(); i++) {
                blocks.add(VisionBlock.load(source, PREFIX + "blocks." + i, config.numHeads(), config.hiddenAct(),
                        weights, dtype));
            }
            PatchMerger merger = PatchMerger.load(source, PREFIX + "merger", false, weights, dtype);
            List<PatchMerger> deepstack = new ArrayList<>();
            for (int i = 0; i < config.deepstackVisualIndexes().length; i++) {
                deepstack.add(PatchMerger.load(source, PREFIX + "deepstack_merger_list." + i, true, weights, dtype));
            }
            return new VisionEncoder(config, weights, dtype, patchEmbed, positions, blocks, merger, deepstack);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static void validate(VisionConfig c) {
        if (c.numHeads() < 1 || c.hiddenSize() % c.numHeads() != 0) {
            throw new IllegalArgumentException("vision hidden_size " + c.hiddenSize()
                    + " is not divisible by num_heads " + c.numHeads());
        }
        for (int idx : c.deepstackVisualIndexes()) {
            if (idx < 0 || idx >= c.depth()) {
                throw new IllegalArgumentException("deepstack_visual_indexes " + Arrays.toString(c.deepstackVisualIndexes())
                        + " must lie within the " + c.depth() + " vision blocks");
            }
        }
    }

    /**
     * Runs the tower on the patches of one or more images/videos.
     *
     * @param pixelValues {@code [N, C·T·P·P]} patches of all grids in order, each in merge-group
     *                    order as the processor produces them; N = Σ t·h·w
     * @param grids       the grid of each image or video, in the order of their patches
     * @return merged tokens {@code [N / merge², out_hidden]} and the DeepStack features, owned by
     *         {@code pixelValues}' manager; every intermediate array lives in a sub-manager that is
     *         closed before this returns
     */
    public VisionOutput forward(NDArray pixelValues, List<GridThw> grids) {
        if (grids.isEmpty()) {
            throw new IllegalArgumentException("no grids given");
        }
        int merge = config.spatialMergeSize();
        long total = 0;
        for (GridThw g : grids) {
            if (g.h() % merge != 0 || g.w() % merge != 0) {
                throw new IllegalArgumentException("grid " + g + " is not divisible by the spatial merge size " + merge);
            }
            total += g.patches();
        }
        Shape shape = pixelValues.getShape();
        if (shape.dimension() != 2 || shape.get(0) != total || shape.get(1) != patchEmbed.patchDim()) {
            throw new IllegalArgumentException("pixel values " + shape + " do not match the grids " + grids
                    + " (expected (" + total + ", " + patchEmbed.patchDim() + "))");
        }

        if (pixelValues.getDataType() != dtype) {
            throw new IllegalArgumentException("pixel values are " + pixelValues.getDataType()
                    + " but the vision tower was loaded in " + dtype);
        }
        NDManager caller = pixelValues.getManager();
        try (NDManager scope = caller.newSubManager()) {
            NDArray x = patchEmbed.forward(pixelValues);
            x.attach(scope); // the first result lands in the caller's manager; everything after follows x
            x = x.add(positionEmbeddings(grids, merge, scope));

            VisionRotary.Table rot = rotary.forward(grids, merge, scope, dtype);
            List<VisionAttention.Run> runs = VisionAttention.runs(grids);

            List<NDArray> deepstack = new ArrayList<>(deepstackIndexes.length);
            for (int i = 0; i < deepstackIndexes.length; i++) {
                deepstack.add(null);
            }
            for (int layer = 0; layer < blocks.size(); layer++) {
                // One scope per block: a block's intermediates are freed when it is done.
                try (NDManager blockScope = scope.newSubManager()) {
                    x.attach(blockScope);
                    x = blocks.get(layer).forward(x, rot.cos(), rot.sin(), runs);
                    for (int i = 0; i < deepstackIndexes.length; i++) {
                        if (deepstackIndexes[i] == layer) {
                            NDArray features = deepstackMergers.get(i).forward(x);
                            features.attach(scope);
                            deepstack.set(i, features);
                        }
                    }
                    x.attach(scope);
                }
            }
            NDArray embeds = merger.forward(x);
            embeds.attach(caller);
            deepstack.forEach(d -> d.attach(caller));
            return new VisionOutput(embeds, deepstack);
        }
    }

    private NDArray positionEmbeddings(List<GridThw> grids, int merge, NDManager scope) {
        if (grids.size() == 1) {
            return positions.forward(grids.get(0), merge, scope);
        }
        NDList parts = new NDList(grids.size());
        for (GridThw g : grids) {
            parts.add(positions.forward(g, merge, scope));
        }
        return NDArrays.concat(parts);
    }

    public VisionConfig config() {
        return config;
    }

    /** Frees the weights. */
    @Override
    public void close() {
        weights.close();
    }
}
