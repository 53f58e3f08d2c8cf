package io.qwen3vl.models.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} (format v1/v2, little-endian, C order) array of float32 or int64 values.
 * Used to read golden tensors produced by the reference implementation and to dump our own for
 * comparison; it deliberately supports only the dtypes those files use.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private final String descr;
    private final long[] shape;
    private final ByteBuffer data;

    private Npy(String descr, long[] shape, ByteBuffer data) {
        this.descr = descr;
        this.shape = shape;
        this.data = data;
    }

    public static Npy read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length < 10 || bytes[i] != MAGIC[i]) {
                throw new IOException(file + ": not a .npy file (bad magic)");
            }
        }
        int major = bytes[6];
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(buf.getShort(8));
            headerStart = 10;
        } else {
            headerLen = buf.getInt(8);
            headerStart = 12;
        }
        String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher o = ORDER.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !o.find() || !s.find()) {
            throw new IOException(file + ": malformed .npy header: " + header.trim());
        }
        String descr = d.group(1);
        if (!descr.equals("<f4") && !descr.equals("<i8")) {
            throw new IOException(file + ": unsupported .npy dtype " + descr + " (expected <f4 or <i8)");
        }
        long[] shape = Arrays.stream(s.group(1).split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).mapToLong(Long::parseLong).toArray();
        ByteBuffer data = ByteBuffer.wrap(bytes, headerStart + headerLen, bytes.length - headerStart - headerLen)
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        long expected = Arrays.stream(shape).reduce(1, Math::multiplyExact) * 4 * (descr.equals("<i8") ? 2 : 1);
        if (data.remaining() != expected) {
            throw new IOException(file + ": .npy data is " + data.remaining() + " bytes, shape needs " + expected);
        }
        if (o.group(1).equals("True")) {
            data = toCOrder(data, shape, descr.equals("<i8") ? 8 : 4);
        }
        return new Npy(descr, shape, data);
    }

    /** Reorders a column-major (Fortran) payload into row-major order. */
    private static ByteBuffer toCOrder(ByteBuffer fortran, long[] shape, int elementBytes) {
        int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        ByteBuffer out = ByteBuffer.allocate(n * elementBytes).order(ByteOrder.LITTLE_ENDIAN);
        int[] index = new int[shape.length];
        for (int c = 0; c < n; c++) {
            // c walks row-major order; compute the column-major offset of the same element.
            int f = 0;
            int stride = 1;
            for (int d = 0; d < shape.length; d++) {
                f += index[d] * stride;
                stride *= (int) shape[d];
            }
            for (int b = 0; b < elementBytes; b++) {
                out.put(c * elementBytes + b, fortran.get(f * elementBytes + b));
            }
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }

    /** Writes a float32 array in .npy v1 format (for debugging dumps). */
    public static void writeFloats(Path file, long[] shape, float[] values) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        if (shape.length > 1) {
            dims.setLength(dims.length() - 2);
        }
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int pad = 16 - ((10 + header.length() + 1) % 16);
        header = header + " ".repeat(pad % 16) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : values) {
            out.putFloat(v);
        }
        Files.write(file, out.array());
    }

    public long[] shape() {
        return shape.clone();
    }

    public boolean isFloat() {
        return descr.equals("<f4");
    }

    public int size() {
        return Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    }

    public float[] floats() {
        if (!isFloat()) {
            throw new IllegalStateException("array is " + descr + ", not float32");
        }
        float[] out = new float[size()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    public long[] longs() {
        if (isFloat()) {
            throw new IllegalStateException("array is float32, not int64");
        }
        long[] out = new long[size()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }
}
