package io.qwen3vl.models.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that a file's tensors tile its data section exactly, as the reference safetensors library
 * requires: sorted by offset they start at 0, each begins where the previous ends (no overlap, no
 * gap), and the last ends at the end of the file. Bytes that belong to no tensor, or to two, are
 * the signature of a truncated, padded or hand-edited file.
 */
final class TensorLayout {
    private TensorLayout() {
    }

    static void checkTiling(Path path, Collection<TensorInfo> tensors, long dataLength) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long cursor = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < cursor) {
                throw new CheckpointException(path + ": tensor '" + t.name() + "' [" + t.begin() + ", " + t.end()
                        + ") overlaps tensor '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + ")");
            }
            if (t.begin() > cursor) {
                throw new CheckpointException(path + ": data bytes [" + cursor + ", " + t.begin()
                        + ") belong to no tensor (gap before tensor '" + t.name() + "')");
            }
            if (t.end() > dataLength) {
                throw new CheckpointException(path + ": tensor '" + t.name() + "' ends at " + t.end()
                        + ", past the data section (" + dataLength + " bytes)");
            }
            cursor = t.end();
            previous = t;
        }
        if (cursor != dataLength) {
            throw new CheckpointException(path + ": data section is " + dataLength + " bytes but the tensors end at "
                    + cursor + " (" + (dataLength - cursor) + " trailing bytes belong to no tensor)");
        }
    }
}
