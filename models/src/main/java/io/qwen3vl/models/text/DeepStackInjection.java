package io.qwen3vl.models.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/**
 * DeepStack: features taken from intermediate vision-encoder layers are added to the decoder's
 * hidden states at the visual token positions right after decoder layer {@code i}, for each
 * feature {@code i}. This feeds multi-level visual detail into the first layers of the decoder.
 *
 * @param positions row indices (within the chunk being decoded) of the visual tokens, in sequence order
 * @param features  one {@code [positions.length, hidden]} array per injected layer
 */
public record DeepStackInjection(long[] positions, List<NDArray> features) {
    public DeepStackInjection {
        for (NDArray f : features) {
            if (f.getShape().get(0) != positions.length) {
                throw new IllegalArgumentException("DeepStack feature has " + f.getShape().get(0)
                        + " rows for " + positions.length + " visual positions");
            }
        }
    }

    public int layers() {
        return features.size();
    }

    /** The hidden states after layer {@code layer} with that layer's feature added at the visual rows. */
    NDArray inject(int layer, NDArray hidden) {
        if (layer >= features.size() || positions.length == 0) {
            return hidden;
        }
        NDArray feature = features.get(layer);
        if (feature.getDataType() != hidden.getDataType()) {
            feature = feature.toType(hidden.getDataType(), false);
        }
        NDArray update = hidden.zerosLike();
        NDArray index = hidden.getManager().create(positions);
        update.set(new NDIndex("{}", index), feature);
        return hidden.add(update);
    }
}
