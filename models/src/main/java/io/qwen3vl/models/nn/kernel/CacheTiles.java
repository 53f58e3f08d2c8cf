package io.qwen3vl.models.nn.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/** Writing rows into a cache kept in tiles of {@link KeyTiles#POSITIONS} positions ({@link KeyTiles}, {@link ValueTiles}). */
final class CacheTiles {
    private CacheTiles() {
    }

    /**
     * Writes {@code rows [kvHeads, n, d]} (in the tiles' dtype) at positions {@code start ..
     * start+n} of {@code tiles} (tile axis 1). The tiles they touch are rewritten whole: taken back
     * as rows with {@code natural}, updated, and laid out again with {@code tiled}; the first may
     * hold earlier positions, which are carried over.
     */
    static void store(NDArray tiles, NDArray rows, int start, BiFunction<NDArray, Integer, NDArray> natural,
                      UnaryOperator<NDArray> tiled) {
        int n = (int) rows.getShape().get(1);
        int first = start / KeyTiles.POSITIONS;
        int last = KeyTiles.tiles(start + n);
        NDIndex region = new NDIndex(":, {}:{}", first, last);
        try (NDManager scope = tiles.getManager().newSubManager()) {
            NDArray touched = tiles.get(region);
            touched.attach(scope);
            NDArray positions = natural.apply(touched, (last - first) * KeyTiles.POSITIONS);
            positions.attach(scope);
            int at = start - first * KeyTiles.POSITIONS;
            positions.set(new NDIndex(":, {}:{}, :", at, at + n), rows);
            NDArray laidOut = tiled.apply(positions);
            laidOut.attach(scope);
            tiles.set(region, laidOut);
        }
    }

    /**
     * The first {@code length} positions of a tiled cache as rows {@code [kvHeads, length, d]}: a new
     * array in the tiles' manager. {@code rows} turns the used tiles (tile axis 1) into rows; what it
     * makes on the way belongs to a scope closed here.
     */
    static NDArray natural(NDArray tiles, int length, UnaryOperator<NDArray> rows) {
        int used = KeyTiles.tiles(length);
        try (NDManager scope = tiles.getManager().newSubManager()) {
            NDArray region = tiles.get(new NDIndex(":, :{}", used));
            region.attach(scope);
            NDArray all = rows.apply(region);
            all.attach(scope);
            NDArray out = all.get(new NDIndex(":, :{}, :", length)).duplicate();
            out.attach(tiles.getManager());
            return out;
        }
    }
}
