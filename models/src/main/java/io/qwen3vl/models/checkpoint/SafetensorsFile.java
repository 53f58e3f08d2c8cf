package io.qwen3vl.models.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a UTF-8 JSON
 * header, then the data section. The header is read and validated on open; tensor bytes are served
 * as read-only little-endian slices of the mapping, never copied.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Same bound as the reference implementation: a header larger than this is refused. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** One {@code FileChannel.map} (one ByteBuffer) covers at most this many bytes. */
    static final long MAX_MAPPING = Integer.MAX_VALUE;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.header = header;
    }

    public static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(path + ": file not found");
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot open: " + e.getMessage(), e);
        }
        try {
            return read(path, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CheckpointException(path + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static SafetensorsFile read(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new CheckpointException(path + ": " + size + " bytes is too short for a safetensors file"
                    + " (the header length alone takes 8)");
        }
        ByteBuffer lengthBytes = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = lengthBytes.getLong(0); // a u64: above 2^63 it reads negative here
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointException(path + ": header length " + Long.toUnsignedString(headerLength)
                    + " is outside 1.." + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > size - 8) {
            throw new CheckpointException(path + ": header length " + headerLength
                    + " runs past the end of the file (" + size + " bytes, so at most " + (size - 8) + ")");
        }
        byte[] json = readFully(channel, 8, (int) headerLength).array();
        long dataStart = 8 + headerLength;
        SafetensorsHeader header = SafetensorsHeader.parse(path, json, size - dataStart);
        return new SafetensorsFile(path, channel, dataStart, header);
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        return buf;
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return header.tensors();
    }

    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The tensor's bytes as a read-only little-endian view of the file mapping (at most 2 GiB). */
    public ByteBuffer bytes(TensorInfo info) {
        if (info.byteLength() > MAX_MAPPING) {
            throw new CheckpointException(path + ": tensor '" + info.name() + "' is " + info.byteLength()
                    + " bytes, more than one ByteBuffer can hold; load it with Checkpoint.load instead");
        }
        return bytes(info, 0, info.byteLength());
    }

    /** Bytes {@code [offset, offset + length)} of a tensor, so that tensors over 2 GiB can be read in parts. */
    ByteBuffer bytes(TensorInfo info, long offset, long length) {
        if (offset < 0 || length < 0 || length > MAX_MAPPING || offset + length > info.byteLength()) {
            throw new IllegalArgumentException("bytes [" + offset + ", +" + length + ") outside tensor '"
                    + info.name() + "' of " + info.byteLength() + " bytes");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin() + offset, length)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot map tensor '" + info.name() + "': " + e.getMessage(), e);
        }
    }

    /** Closes the file; mappings already handed out (and NDArrays wrapping them) stay valid. */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: a read-only channel loses no data
        }
    }
}
