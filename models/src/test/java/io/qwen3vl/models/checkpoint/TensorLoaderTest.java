package io.qwen3vl.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading F32, F16 and BF16 tensors into FLOAT32/FLOAT16 NDArrays: values, zero-copy, and chunking. */
class TensorLoaderTest {
    @TempDir
    Path dir;
    private NDManager manager;

    @BeforeEach
    void createManager() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Deterministic bf16 bit patterns: finite values of both signs and a spread of exponents. */
    private static short[] bf16Pattern(int n) {
        short[] bits = new short[n];
        for (int i = 0; i < n; i++) {
            float v = (float) Math.sin(i * 0.37) * (float) Math.pow(2, (i % 40) - 20);
            bits[i] = (short) (Float.floatToRawIntBits(v) >>> 16);
        }
        return bits;
    }

    private static byte[] le(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(values);
        return b.array();
    }

    private static byte[] le(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private static float[] widen(short[] bf16) {
        float[] out = new float[bf16.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.intBitsToFloat(bf16[i] << 16);
        }
        return out;
    }

    private static short[] halves(NDArray a) {
        var s = a.toByteBuffer().order(ByteOrder.nativeOrder()).asShortBuffer();
        short[] out = new short[s.remaining()];
        s.get(out);
        return out;
    }

    private Checkpoint open(SafetensorsWriter w) throws IOException {
        w.write(dir.resolve(Checkpoint.SINGLE_FILE));
        return Checkpoint.open(dir);
    }

    @Test
    void f32TensorLoadsAsFloat32WithoutCopying() throws IOException {
        try (Checkpoint ckpt = open(new SafetensorsWriter().addFloats("w", new long[] {2, 2}, 1f, 2f, 3f, 4f))) {
            NDArray w = ckpt.load("w", manager, DataType.FLOAT32);
            assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, w.toFloatArray());
            // Write through a second, writable mapping of the same file: a zero-copy array sees it.
            overwriteFloat(dir.resolve(Checkpoint.SINGLE_FILE), ckpt.info("w"), 2, 42f);
            assertEquals(42f, w.toFloatArray()[2], "the NDArray should be backed by the file mapping");
        }
    }

    @Test
    void f16TensorLoadsAsFloat16WithoutCopying() throws IOException {
        short[] h = {HalfFloat.fromFloat(0.5f), HalfFloat.fromFloat(-2f), HalfFloat.fromFloat(3.25f)};
        try (Checkpoint ckpt = open(new SafetensorsWriter().add("h", "F16", new long[] {3}, le(h)))) {
            NDArray a = ckpt.load("h", manager, DataType.FLOAT16);
            assertEquals(DataType.FLOAT16, a.getDataType());
            assertArrayEquals(h, halves(a));
            overwriteShort(dir.resolve(Checkpoint.SINGLE_FILE), ckpt.info("h"), 1, HalfFloat.fromFloat(7f));
            assertEquals(HalfFloat.fromFloat(7f), halves(a)[1], "the NDArray should be backed by the file mapping");
        }
    }

    @Test
    void bf16TensorWidensExactlyAndRoundsToFloat16() throws IOException {
        short[] bf16 = bf16Pattern(4 * 33);
        try (Checkpoint ckpt = open(new SafetensorsWriter().add("b", "BF16", new long[] {4, 33}, le(bf16)))) {
            float[] expected = widen(bf16);
            NDArray f32 = ckpt.load("b", manager, DataType.FLOAT32);
            assertArrayEquals(new long[] {4, 33}, f32.getShape().getShape());
            assertArrayEquals(expected, f32.toFloatArray());
            short[] f16 = halves(ckpt.load("b", manager, DataType.FLOAT16));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(HalfFloat.fromFloat(expected[i]), f16[i], "element " + i);
            }
        }
    }

    @Test
    void f32TensorRoundsToFloat16AndF16WidensToFloat32() throws IOException {
        float[] values = widen(bf16Pattern(50));
        values[3] = 1f + 0x1p-11f; // a tie: rounds to even (1.0)
        short[] halfValues = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            halfValues[i] = HalfFloat.fromFloat(values[i]);
        }
        SafetensorsWriter w = new SafetensorsWriter()
                .add("f", "F32", new long[] {50}, le(values))
                .add("h", "F16", new long[] {5, 10}, le(halfValues));
        try (Checkpoint ckpt = open(w)) {
            assertArrayEquals(halfValues, halves(ckpt.load("f", manager, DataType.FLOAT16)));
            float[] widened = ckpt.load("h", manager, DataType.FLOAT32).toFloatArray();
            for (int i = 0; i < values.length; i++) {
                assertEquals(HalfFloat.toFloat(halfValues[i]), widened[i], 0f, "element " + i);
            }
        }
    }

    @Test
    void chunkedLoadEqualsWholeLoadForEveryPairOfDtypes() throws IOException {
        // 7 x 5 = 35 elements with a 24-byte chunk limit: chunks of 6 (or 12) elements, the last one short,
        // and chunk edges that fall inside rows.
        short[] bf16 = bf16Pattern(35);
        float[] f32 = widen(bf16);
        short[] f16 = new short[35];
        for (int i = 0; i < 35; i++) {
            f16[i] = HalfFloat.fromFloat(f32[i]);
        }
        SafetensorsWriter w = new SafetensorsWriter()
                .add("bf16", "BF16", new long[] {7, 5}, le(bf16))
                .add("f32", "F32", new long[] {7, 5}, le(f32))
                .add("f16", "F16", new long[] {35}, le(f16));
        TensorLoader small = new TensorLoader(24);
        try (Checkpoint ckpt = open(w)) {
            for (String name : new String[] {"bf16", "f32", "f16"}) {
                for (DataType target : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
                    TensorInfo info = ckpt.info(name);
                    NDArray whole = ckpt.load(name, manager, target);
                    NDArray chunked = small.load(ckpt.file(info), info, manager, target);
                    String what = name + " -> " + target;
                    assertArrayEquals(whole.getShape().getShape(), chunked.getShape().getShape(), what);
                    assertEquals(target, chunked.getDataType(), what);
                    assertArrayEquals(whole.toByteArray(), chunked.toByteArray(), what);
                }
            }
        }
    }

    @Test
    void chunkedLoadResultIsWritableAndIndependentOfTheFile() throws IOException {
        // Above the chunk limit even a same-dtype tensor is copied, so in-place ops are safe.
        try (Checkpoint ckpt = open(new SafetensorsWriter().addFloats("w", new long[] {8}, 1, 2, 3, 4, 5, 6, 7, 8))) {
            TensorInfo info = ckpt.info("w");
            NDArray w = new TensorLoader(16).load(ckpt.file(info), info, manager, DataType.FLOAT32);
            w.addi(1f);
            assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7, 8, 9}, w.toFloatArray());
        }
    }

    @Test
    void emptyTensorLoads() throws IOException {
        try (Checkpoint ckpt = open(new SafetensorsWriter().add("e", "BF16", new long[] {0, 4}, new byte[0]))) {
            NDArray e = ckpt.load("e", manager, DataType.FLOAT32);
            assertArrayEquals(new long[] {0, 4}, e.getShape().getShape());
        }
    }

    @Test
    void integerTensorCannotBeLoadedAsWeights() throws IOException {
        try (Checkpoint ckpt = open(new SafetensorsWriter().add("ids", "I64", new long[] {1}, new byte[8]))) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> ckpt.load("ids", manager, DataType.FLOAT32));
            assertTrue(e.getMessage().contains("tensor 'ids' has dtype I64"), e.getMessage());
        }
    }

    @Test
    void nonFloatTargetIsRefused() throws IOException {
        try (Checkpoint ckpt = open(new SafetensorsWriter().addFloats("w", new long[] {1}, 1f))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ckpt.load("w", manager, DataType.INT32));
            assertTrue(e.getMessage().contains("FLOAT32 or FLOAT16, not int32"), e.getMessage());
        }
    }

    private static void overwriteFloat(Path file, TensorInfo info, int index, float value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size());
            m.order(ByteOrder.LITTLE_ENDIAN).putFloat((int) (dataStart(m) + info.begin() + 4L * index), value);
            m.force();
        }
    }

    private static void overwriteShort(Path file, TensorInfo info, int index, short value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size());
            m.order(ByteOrder.LITTLE_ENDIAN).putShort((int) (dataStart(m) + info.begin() + 2L * index), value);
            m.force();
        }
    }

    private static long dataStart(ByteBuffer file) {
        return 8 + file.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }
}
