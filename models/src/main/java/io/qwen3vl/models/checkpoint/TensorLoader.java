package io.qwen3vl.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * Turns one stored tensor into an NDArray of the compute dtype.
 *
 * <ul>
 *   <li>Stored dtype equals the target and the bytes fit one mapping: the NDArray wraps the
 *       read-only mapping, no copy (DJL keeps the buffer reachable while the array lives).</li>
 *   <li>Otherwise the destination is allocated natively and filled through a direct view (through
 *       host memory on a GPU, see {@link HostStaging}).</li>
 *   <li>When source or destination exceeds {@code maxChunkBytes} (one ByteBuffer holds at most
 *       2 GiB; the 8B model's embedding is 2.5 GB in fp32) the tensor is converted in element
 *       ranges, each into a scratch array that is copied into its slice of the destination.</li>
 * </ul>
 */
final class TensorLoader {
    /** 1 GiB: far inside one ByteBuffer, and bounds the scratch memory of a chunked load. */
    static final long DEFAULT_MAX_CHUNK_BYTES = 1L << 30;

    private final long maxChunkBytes;

    TensorLoader(long maxChunkBytes) {
        if (maxChunkBytes < 4 || maxChunkBytes > SafetensorsFile.MAX_MAPPING) {
            throw new IllegalArgumentException("chunk size " + maxChunkBytes + " outside 4.." + SafetensorsFile.MAX_MAPPING);
        }
        this.maxChunkBytes = maxChunkBytes;
    }

    NDArray load(SafetensorsFile file, TensorInfo info, NDManager manager, DataType targetType) {
        DType target = targetDType(targetType);
        if (!FloatConversion.supports(info.dtype(), target)) {
            throw new CheckpointException(file.path() + ": tensor '" + info.name() + "' has dtype " + info.dtype()
                    + ", which cannot be loaded as " + targetType + " (only F32, F16 and BF16 weights can)");
        }
        Shape shape = new Shape(info.shape());
        long n = info.elementCount();
        long widest = n * Math.max(info.dtype().bytes(), target.bytes());
        if (n == 0) {
            return manager.create(shape, targetType);
        }
        if (info.dtype() == target && info.byteLength() <= maxChunkBytes) {
            return manager.create(file.bytes(info), shape, targetType);
        }
        if (widest <= maxChunkBytes) {
            return HostStaging.filled(manager, shape, targetType,
                    dst -> FloatConversion.convert(info.dtype(), file.bytes(info), target, dst));
        }
        return loadChunked(file, info, manager, targetType, target, shape);
    }

    private NDArray loadChunked(SafetensorsFile file, TensorInfo info, NDManager manager, DataType targetType,
                                DType target, Shape shape) {
        long n = info.elementCount();
        long perChunk = maxChunkBytes / Math.max(info.dtype().bytes(), target.bytes());
        NDArray flat = manager.create(new Shape(n), targetType);
        try {
            for (long from = 0; from < n; from += perChunk) {
                long count = Math.min(perChunk, n - from);
                ByteBuffer src = file.bytes(info, from * info.dtype().bytes(), count * info.dtype().bytes());
                try (NDArray part = HostStaging.filled(manager, new Shape(count), targetType,
                        dst -> FloatConversion.convert(info.dtype(), src, target, dst))) {
                    flat.set(new NDIndex("{}:{}", from, from + count), part);
                }
            }
            // A contiguous reshape is a view of the same storage: no second copy of the tensor.
            return flat.reshape(shape);
        } finally {
            flat.close();
        }
    }

    static DType targetDType(DataType type) {
        if (type == DataType.FLOAT32) {
            return DType.F32;
        }
        if (type == DataType.FLOAT16) {
            return DType.F16;
        }
        throw new IllegalArgumentException("compute dtype must be FLOAT32 or FLOAT16, not " + type);
    }
}
