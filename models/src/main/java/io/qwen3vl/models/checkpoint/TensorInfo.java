package io.qwen3vl.models.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;

/** Where one tensor lives: its file, dtype, shape and byte range inside the file's data section. */
public record TensorInfo(String name, Path file, DType dtype, long[] shape, long begin, long end) {
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
