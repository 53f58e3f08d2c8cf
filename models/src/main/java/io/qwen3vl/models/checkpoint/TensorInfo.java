package io.qwen3vl.models.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where one tensor lives: its file, dtype, shape and byte range {@code [begin, end)} inside the
 * file's data section (offsets are relative to the end of the header, as in the format).
 */
public record TensorInfo(String name, Path file, DType dtype, long[] shape, long begin, long end) {
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteLength() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
