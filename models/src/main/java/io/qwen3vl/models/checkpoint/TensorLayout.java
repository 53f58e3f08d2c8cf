package io.qwen3vl.models.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Checks that the tensors of one file tile its data section: sorted, non-overlapping, in bounds. */
final class TensorLayout {
    private TensorLayout() {
    }

    static void checkRanges(Path path, Collection<TensorInfo> tensors, long dataLength) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long cursor = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < cursor) {
                throw new CheckpointException(path + ": tensor '" + t.name() + "' overlaps tensor '"
                        + previous.name() + "'");
            }
            if (t.end() > dataLength) {
                throw new CheckpointException(path + ": tensor '" + t.name() + "' ends past the end of the file");
            }
            cursor = t.end();
            previous = t;
        }
    }
}
