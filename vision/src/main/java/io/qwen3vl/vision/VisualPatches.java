package io.qwen3vl.vision;

/**
 * The flattened, normalised patches of one image or video: the reference's {@code pixel_values}.
 * {@code values} is row-major {@code [grid.patchCount(), C·T·P·P]}; rows are in merge-group order
 * (each merge×merge block of neighbouring patches is contiguous), and each row is channel-major
 * {@code (c, t, py, px)}, which is the order the patch-embedding Conv3d weight flattens to.
 */
public record VisualPatches(float[] values, PatchGrid grid) {
    public VisualPatches {
        int rows = grid.patchCount();
        if (values.length == 0 || values.length % rows != 0) {
            throw new IllegalArgumentException(
                    values.length + " values do not form " + rows + " equal patch rows for grid " + grid);
        }
    }

    /** Values per patch: channels × temporal patch × patch × patch (1536 for Qwen3-VL). */
    public int patchDim() {
        return values.length / grid.patchCount();
    }

    public int rows() {
        return grid.patchCount();
    }
}
