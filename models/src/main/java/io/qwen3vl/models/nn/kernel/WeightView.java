package io.qwen3vl.models.nn.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A weight matrix {@code [rows, cols]} (torch's Linear layout) seen from Java without a copy: direct
 * {@link ByteBuffer}s over the NDArray's own native memory, plus its bias as a float array (small).
 * fp32 and fp16 weights are read as they are; 8-bit weights come with a second array, their block
 * scales (see {@link Int8Blocks}), seen the same way.
 *
 * <p>A wide weight may be stored in {@link ColumnPanels}: the array is then {@code [P·rows, cols/P]},
 * and {@link #rows}, {@link #cols} are the matrix's own, while the buffers, {@link #rowBytes} and
 * {@link #rowsPerChunk} are of the stored rows.
 *
 * <p>A direct buffer is indexed with an {@code int}, so a matrix larger than {@link #MAX_CHUNK_BYTES}
 * (e.g. an untied 8B LM head, 2.5 GB in fp32) is seen through several row slices, each a view of the
 * same memory. The slices and the weight stay referenced here: the buffers are valid exactly as long
 * as the weight's NDManager is open, which is as long as the layer that owns this view can be used.
 */
public final class WeightView {
    /** Largest buffer per slice: 1 GiB keeps every byte offset far from 2^31. */
    static final long MAX_CHUNK_BYTES = 1L << 30;

    final DataType dtype;
    /** The dtype of the inputs and outputs: the weights' own, fp32 for 8-bit weights. */
    final DataType inputType;
    final int rows;
    final int cols;
    /** Column panels the matrix is stored in (1: the plain layout), and each one's width. */
    final int panels;
    final int panelCols;
    /** Bytes of a stored row (a panel's row when in panels). */
    final int rowBytes;
    /** Stored rows per buffer. */
    final int rowsPerChunk;
    final ByteBuffer[] chunks;
    /**
     * The chunks as the kernel reads them ({@link RowDots#view}), made once: made per product on
     * JDK 21 and 25 they were heap objects, about 210 KB a decode step of the 2B model.
     */
    final Object[] views;
    final float[] bias;
    /** 8-bit weights only: each row's block scales, fp32 in native order, rows after one another. */
    final ByteBuffer scales;
    /** 8-bit weights only: {@link #scales} as the kernel reads it. */
    final Object scalesView;
    @SuppressWarnings("unused") // keeps the slices (and so the buffers' memory owners) reachable
    private final NDArray[] owners;

    private WeightView(DataType dtype, int rows, int cols, int panels, int rowsPerChunk, ByteBuffer[] chunks,
                       float[] bias, ByteBuffer scales, NDArray[] owners, RowDots dots) {
        this.dtype = dtype;
        this.inputType = dtype == DataType.INT8 ? DataType.FLOAT32 : dtype;
        this.rows = rows;
        this.cols = cols;
        this.panels = panels;
        this.panelCols = cols / panels;
        this.rowBytes = panelCols * dtype.getNumOfBytes();
        this.rowsPerChunk = rowsPerChunk;
        this.chunks = chunks;
        this.views = new Object[chunks.length];
        for (int c = 0; c < chunks.length; c++) {
            views[c] = dots.view(chunks[c]);
        }
        this.bias = bias;
        this.scales = scales;
        this.scalesView = scales == null ? null : dots.view(scales);
        this.owners = owners;
    }

    /**
     * A view of {@code weight [rows, cols]} (stored in {@code panels} column panels) with an optional
     * {@code bias [rows]}, or null when the kernel cannot read this weight: not on the CPU, not
     * fp32/fp16, not 2-D, or fp16 holding an inf or NaN (the kernel's exact fp16 widening assumes
     * finite halves).
     */
    static WeightView of(NDArray weight, int panels, NDArray bias, RowDots dots, WorkerPool pool,
                         long maxChunkBytes) {
        DataType dtype = weight.getDataType();
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
            return null;
        }
        WeightView view = of(weight, panels, bias, null, dots, maxChunkBytes);
        if (view != null && dtype == DataType.FLOAT16 && view.hasNonFiniteHalf(dots, pool)) {
            return null;
        }
        return view;
    }

    /**
     * A view of 8-bit weights {@code quants [rows, cols]} (INT8, stored rows in {@code layout}'s
     * order, in {@code panels} column panels) with their block scales {@code scales [rows, cols / BLOCK]}
     * (fp32, stored alike), or null when the kernel cannot read them (the layout included).
     */
    static WeightView ofInt8(NDArray quants, int panels, NDArray scales, Int8Layout layout, NDArray bias,
                             RowDots dots, long maxChunkBytes) {
        Shape q = quants.getShape();
        if (!layout.equals(dots.int8Layout()) || quants.getDataType() != DataType.INT8 || q.dimension() != 2
                || q.get(1) % Int8Blocks.BLOCK != 0 || scales.getDataType() != DataType.FLOAT32
                || !scales.getShape().equals(new Shape(q.get(0), q.get(1) / Int8Blocks.BLOCK))
                || scales.getShape().size() * Float.BYTES > Integer.MAX_VALUE
                || !Device.cpu().equals(scales.getDevice())) {
            return null;
        }
        ByteBuffer s = scales.toByteBuffer(true);
        if (!s.isDirect()) {
            return null;
        }
        return of(quants, panels, bias, s.order(ByteOrder.nativeOrder()), dots, maxChunkBytes);
    }

    private static WeightView of(NDArray weight, int panels, NDArray bias, ByteBuffer scales, RowDots dots,
                                 long maxChunkBytes) {
        Shape shape = weight.getShape();
        DataType dtype = weight.getDataType();
        if (shape.dimension() != 2 || !Device.cpu().equals(weight.getDevice()) || panels < 1
                || shape.get(0) < 1 || shape.get(1) < 1 || shape.get(0) > Integer.MAX_VALUE
                || shape.get(0) % panels != 0 || shape.get(1) * panels > Integer.MAX_VALUE
                || shape.get(1) * dtype.getNumOfBytes() > maxChunkBytes) {
            return null;
        }
        int storedRows = (int) shape.get(0);
        int rows = storedRows / panels;
        if (bias != null && (bias.getShape().size() != rows || !Device.cpu().equals(bias.getDevice()))) {
            return null;
        }
        long rowBytes = shape.get(1) * dtype.getNumOfBytes();
        int rowsPerChunk = (int) Math.min(storedRows, maxChunkBytes / rowBytes);
        int count = (storedRows + rowsPerChunk - 1) / rowsPerChunk;
        ByteBuffer[] chunks = new ByteBuffer[count];
        NDArray[] owners = new NDArray[count];
        for (int c = 0; c < count; c++) {
            int from = c * rowsPerChunk;
            int to = Math.min(storedRows, from + rowsPerChunk);
            // A row range of a contiguous tensor is a contiguous view: its buffer is the same memory.
            NDArray slice = count == 1 ? weight : weight.get(new NDIndex("{}:{}", from, to));
            ByteBuffer buffer = slice.toByteBuffer(true);
            if (!buffer.isDirect() || buffer.capacity() != (to - from) * rowBytes) {
                return null;
            }
            chunks[c] = buffer;
            owners[c] = slice;
        }
        float[] b = null;
        if (bias != null) {
            NDArray f = bias.toType(DataType.FLOAT32, false);
            b = f.toFloatArray();
            if (f != bias) {
                f.close();
            }
        }
        return new WeightView(dtype, rows, (int) shape.get(1) * panels, panels, rowsPerChunk, chunks, b, scales, owners,
                dots);
    }

    private boolean hasNonFiniteHalf(RowDots dots, WorkerPool pool) {
        int storedRows = rows * panels;
        int perTask = Math.max(1, (4 << 20) / rowBytes);
        int tasks = (storedRows + perTask - 1) / perTask;
        boolean[] found = new boolean[tasks];
        pool.run(tasks, t -> {
            int from = t * perTask;
            int to = Math.min(storedRows, from + perTask);
            for (int r = from; r < to; ) {
                int c = r / rowsPerChunk;
                int end = Math.min(to, (c + 1) * rowsPerChunk);
                found[t] |= dots.hasNonFiniteHalf(chunks[c], (r - c * rowsPerChunk) * rowBytes, (end - r) * panelCols);
                r = end;
            }
        });
        for (boolean f : found) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public DataType dtype() {
        return dtype;
    }

    /** Column panels the weight is stored in (1: the plain layout; see {@link ColumnPanels}). */
    public int panels() {
        return panels;
    }

    /** Bytes read per product: the weights, and the block scales of 8-bit weights. */
    public long bytes() {
        return (long) rows * panels * rowBytes + (scales == null ? 0 : scales.capacity());
    }
}
