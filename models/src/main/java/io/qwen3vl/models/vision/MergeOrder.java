package io.qwen3vl.models.vision;

/**
 * The order in which the processor lays out the patches of one frame: merge group by merge group
 * (row-major over groups), and within each {@code merge × merge} group row-major. Returns the
 * patch row and column of each position, the coordinates both position encodings need.
 */
final class MergeOrder {
    final int[] rows;
    final int[] cols;

    private MergeOrder(int[] rows, int[] cols) {
        this.rows = rows;
        this.cols = cols;
    }

    static MergeOrder of(int h, int w, int merge) {
        if (h % merge != 0 || w % merge != 0) {
            throw new IllegalArgumentException(
                    "grid " + h + "x" + w + " is not divisible by the spatial merge size " + merge);
        }
        int[] rows = new int[h * w];
        int[] cols = new int[h * w];
        int i = 0;
        for (int br = 0; br < h / merge; br++) {
            for (int bc = 0; bc < w / merge; bc++) {
                for (int ir = 0; ir < merge; ir++) {
                    for (int ic = 0; ic < merge; ic++) {
                        rows[i] = br * merge + ir;
                        cols[i] = bc * merge + ic;
                        i++;
                    }
                }
            }
        }
        return new MergeOrder(rows, cols);
    }
}
