package io.qwen3vl.models.nn.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The decode kernel: {@code y = x·Wᵀ + b} for one input row {@code x [1, K]}, reading fp32 or fp16
 * weights {@code W [N, K]} straight from their native memory with the Vector API on every core.
 *
 * <p>Why: decoding reads every weight once per token, so its speed is the memory bandwidth, and the
 * backend's own vector×matrix reaches about half of it on CPU (fp16 even less). This kernel streams
 * the rows at the memory's pace, in fp32 FMA accumulation, and gives back an NDArray in {@code x}'s
 * manager and dtype (fp16 results are rounded once, to nearest-even, after adding the bias, as torch
 * does).
 *
 * <p>Availability: the Vector API is the incubator module {@code jdk.incubator.vector}, resolved
 * only when the JVM starts with {@code --add-modules jdk.incubator.vector}. Without it, or with
 * {@code -Dqwen3vl.kernel=djl}, {@link #enabled()} is false and callers use the backend, so the
 * project runs either way; only {@link VectorRowDots} refers to the module, and it is loaded by name
 * only when the module is present.
 */
public final class MatVec {
    /** System property choosing the decode path: {@code java} (default when available) or {@code djl}. */
    public static final String MODE_PROPERTY = "qwen3vl.kernel";
    /** System property: threads per product, the caller included (default: available processors). */
    public static final String THREADS_PROPERTY = "qwen3vl.kernel.threads";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** Per-thread sums of one panel of a task's rows, before they are added (see {@link ColumnPanels}). */
    private static final ThreadLocal<float[]> PARTIAL = ThreadLocal.withInitial(() -> new float[0]);

    private MatVec() {
    }

    /** Whether the JVM has the Vector API module (started with {@code --add-modules jdk.incubator.vector}). */
    public static boolean vectorApiPresent() {
        return Backend.DOTS != null;
    }

    /** Whether single-row products go through this kernel now: the module is there and the mode is java. */
    public static boolean enabled() {
        String mode = System.getProperty(MODE_PROPERTY, "java");
        if (!mode.equals("java") && !mode.equals("djl")) {
            throw new IllegalArgumentException("-D" + MODE_PROPERTY + " must be java or djl, got '" + mode + "'");
        }
        return mode.equals("java") && Backend.DOTS != null;
    }

    /** A short description for reports: which path decodes, and how. */
    public static String describe() {
        if (!enabled()) {
            if (Backend.DOTS != null) {
                return "djl (forced by -D" + MODE_PROPERTY + ")";
            }
            return ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty() ? "djl (no " + VECTOR_MODULE + " module)"
                    : "djl (no Vector API loads from native memory on JDK " + Runtime.version().feature() + ")";
        }
        return "java vector " + Backend.DOTS + " (" + VectorMemory.form() + " loads), " + Backend.pool().threads() + " threads";
    }

    /**
     * A new instance of this package's class {@code simpleName}, one that refers to the Vector API and
     * so is loaded by name, once the caller has checked that the module is there; null when it cannot
     * load or link on this JVM (the caller then runs without it). Installs the {@link InliningDirective}
     * first, before any of the vector code is compiled.
     */
    static <T> T vectorImplementation(String simpleName, Class<T> type) {
        InliningDirective.install();
        try {
            return type.cast(Class.forName(MatVec.class.getPackageName() + "." + simpleName)
                    .getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** The vector kernels, for the other kernels of this package (only when {@link #enabled()}). */
    static RowDots rowDots() {
        return Backend.DOTS;
    }

    /** The threads products run on, shared by the kernels of this package. */
    static WorkerPool pool() {
        return Backend.pool();
    }

    /** A zero-copy view of {@code weight [N, K]} (+ {@code bias [N]} or null), or null when the kernel cannot use it. */
    public static WeightView view(NDArray weight, NDArray bias) {
        return view(weight, 1, bias);
    }

    /**
     * A zero-copy view of a weight {@code [N, K]} stored in {@code panels} {@link ColumnPanels} as
     * {@code weight [P·N, K/P]} (+ {@code bias [N]} or null), or null when the kernel cannot use it.
     */
    public static WeightView view(NDArray weight, int panels, NDArray bias) {
        if (Backend.DOTS == null) {
            return null;
        }
        return WeightView.of(weight, panels, bias, Backend.DOTS, Backend.pool(), WeightView.MAX_CHUNK_BYTES);
    }

    /**
     * A zero-copy view of 8-bit weights {@code quants [N, K]}, each row's bytes in {@code layout}'s
     * order, with their block scales {@code [N, K/BLOCK]}: {@link #viewInt8(NDArray, int, NDArray,
     * Int8Layout, NDArray)} in the plain layout.
     */
    public static WeightView viewInt8(NDArray quants, NDArray scales, Int8Layout layout, NDArray bias) {
        return viewInt8(quants, 1, scales, layout, bias);
    }

    /**
     * A zero-copy view of 8-bit weights {@code quants [N, K]} stored in {@code panels}
     * {@link ColumnPanels} ({@code [P·N, K/P]}), each stored row's bytes in {@code layout}'s order,
     * with their block scales stored alike ({@code [P·N, K/P/BLOCK]}, see {@link Int8Blocks}), or null
     * when the kernel cannot use them (it reads only {@link #int8Layout()}); inputs and outputs are fp32.
     */
    public static WeightView viewInt8(NDArray quants, int panels, NDArray scales, Int8Layout layout, NDArray bias) {
        if (Backend.DOTS == null) {
            return null;
        }
        return WeightView.ofInt8(quants, panels, scales, layout, bias, Backend.DOTS, WeightView.MAX_CHUNK_BYTES);
    }

    /**
     * The byte order 8-bit weights should be stored in on this JVM: the one the kernel reads where
     * it can run (the Vector API module is present, whichever path {@code -D}{@value #MODE_PROPERTY}
     * picks), the natural order elsewhere.
     */
    public static Int8Layout int8Layout() {
        Int8Layout kernel = Backend.DOTS == null ? null : Backend.DOTS.int8Layout();
        return kernel == null ? Int8Layout.NATURAL : kernel;
    }

    /**
     * Rows {@code [from, to)} of 8-bit weights {@code quants [N, K]} (each row in {@code layout}'s
     * order) with their block scales {@code [N, K/BLOCK]}, widened to fp32 {@code [to - from, K]} in
     * natural order, in {@code scope}, on every core; null where that cannot be done here (no Vector
     * API, weights in another order than the kernel's, not on the CPU), and the caller widens with
     * the backend.
     *
     * <p>Why: products of many rows (prefill) multiply widened weights. The backend would first put
     * the interleaved bytes back in order, a strided copy it runs at about 1.5 GB/s (over a second
     * per prefill pass over the 2B model), then widen, then scale; this is one pass that writes each
     * float once. A block of 1,024 rows × 2,048 (48 MB of fp32), measured here: 1.1 ms, against 2.2
     * for the backend's widening of natural-order bytes and 8.7 with the reordering first.
     */
    public static NDArray dequantizeInt8(NDArray quants, NDArray scales, Int8Layout layout, long from, long to,
                                         NDManager scope) {
        RowDots dots = Backend.DOTS;
        Shape q = quants.getShape();
        if (dots == null || !layout.equals(dots.int8Layout()) || q.dimension() != 2 || from < 0 || to > q.get(0)
                || from >= to || quants.getDataType() != DataType.INT8 || scales.getDataType() != DataType.FLOAT32
                || q.size() > Integer.MAX_VALUE || (to - from) * q.get(1) * Float.BYTES > Integer.MAX_VALUE
                || !Device.cpu().equals(quants.getDevice()) || !Device.cpu().equals(scales.getDevice())
                || !Device.cpu().equals(scope.getDevice())) {
            return null;
        }
        ByteBuffer w = quants.toByteBuffer(true);
        ByteBuffer s = scales.toByteBuffer(true);
        if (!w.isDirect() || !s.isDirect()) {
            return null;
        }
        int k = (int) q.get(1);
        int rows = (int) (to - from);
        NDArray out = scope.create(new Shape(rows, k), DataType.FLOAT32);
        ByteBuffer dst = out.toByteBuffer(true).order(ByteOrder.nativeOrder());
        if (!dst.isDirect()) {
            out.close();
            return null;
        }
        ByteBuffer scaleBytes = s.order(ByteOrder.nativeOrder());
        int blocks = k / Int8Blocks.BLOCK;
        int first = (int) from;
        int perTask = Math.max(1, (1 << 20) / k); // about 1 MB of weights per task
        int tasks = (rows + perTask - 1) / perTask;
        Backend.pool().run(tasks, t -> {
            int r = t * perTask;
            int n = Math.min(perTask, rows - r);
            dots.dequantizeInt8(w, (first + r) * k, k, scaleBytes, (first + r) * blocks * Float.BYTES, n, dst,
                    r * k * Float.BYTES);
        });
        return out;
    }

    /** For tests: a view split into row slices of at most {@code maxChunkBytes}. */
    static WeightView view(NDArray weight, NDArray bias, long maxChunkBytes) {
        return view(weight, 1, bias, maxChunkBytes);
    }

    /** For tests: a view of a weight in {@code panels} column panels, split into row slices of at most {@code maxChunkBytes}. */
    static WeightView view(NDArray weight, int panels, NDArray bias, long maxChunkBytes) {
        return WeightView.of(weight, panels, bias, Backend.DOTS, Backend.pool(), maxChunkBytes);
    }

    /** Whether {@code x} is one CPU row {@code [1, K]} of {@code view}'s input dtype and width. */
    public static boolean accepts(NDArray x, WeightView view) {
        Shape s = x.getShape();
        return s.dimension() == 2 && s.get(0) == 1 && s.get(1) == view.cols && x.getDataType() == view.inputType
                && Device.cpu().equals(x.getDevice());
    }

    /**
     * {@code x·Wᵀ + b} for each view, all sharing the input row {@code x [1, K]} (e.g. the query, key
     * and value projections in one pass over the cores). Every view must {@link #accepts accept} x.
     *
     * @return one {@code [1, N_i]} array per view, in {@code x}'s manager and dtype
     */
    public static NDArray[] multiply(NDArray x, WeightView... views) {
        if (views.length == 0) {
            throw new IllegalArgumentException("no weights to multiply");
        }
        for (WeightView v : views) {
            if (!accepts(x, v)) {
                throw new IllegalArgumentException("input " + x.getShape() + " " + x.getDataType()
                        + " does not fit weights [" + v.rows + ", " + v.cols + "] " + v.dtype);
            }
        }
        int k = views[0].cols;
        Scratch s = SCRATCH.get();
        s.ensure(k);
        FloatRows.read(x, k, s.x);
        float[][] results = s.results(views);
        multiply(s.x, results, views);
        NDArray[] outs = new NDArray[views.length];
        for (int m = 0; m < views.length; m++) {
            // fp16 results are rounded once, after the bias, as torch's fp16 linear does
            outs[m] = FloatRows.create(x.getManager(), results[m], views[m].rows, views[m].inputType);
        }
        return outs;
    }

    /**
     * {@code outs[i] = x·Wᵢᵀ + bᵢ} in fp32 for each view, all sharing the input {@code x} (its first
     * K elements; the views may mix fp32 and 8-bit weights, which both take fp32 inputs); fp16 and
     * 8-bit weights are widened exactly. The Java-side entry for code that keeps a token's
     * activations in float arrays (see {@code DecodeStep}).
     */
    public static void multiply(float[] x, float[][] outs, WeightView... views) {
        if (views.length == 0 || outs.length != views.length) {
            throw new IllegalArgumentException(views.length + " weights for " + outs.length + " outputs");
        }
        int k = views[0].cols;
        for (int m = 0; m < views.length; m++) {
            WeightView v = views[m];
            if (v.cols != k || v.inputType != views[0].inputType || outs[m].length < v.rows || x.length < k) {
                throw new IllegalArgumentException("weights [" + v.rows + ", " + v.cols + "] " + v.dtype
                        + " do not fit an input of " + x.length + " and an output of " + outs[m].length);
            }
        }
        RowDots dots = Backend.DOTS;
        WorkerPool pool = Backend.pool();
        Scratch scratch = SCRATCH.get();
        boolean half = views[0].dtype == DataType.FLOAT16; // then all are (same input dtype)
        float[] prepared = null;
        int panelCols = 0;
        int totalRows = 0;
        for (WeightView v : views) {
            totalRows += v.rows;
            if (v.panels == 1 && half && prepared == null) {
                prepared = scratch.prepared(k);
                dots.prepareHalfInput(x, k, prepared);
            } else if (v.panels > 1) {
                if (panelCols != 0 && v.panelCols != panelCols) {
                    throw new IllegalArgumentException("weights in panels of " + panelCols + " and of " + v.panelCols
                            + " columns share an input");
                }
                panelCols = v.panelCols;
            }
        }
        InputSlices slices = panelCols == 0 ? null : scratch.slices(x, k, panelCols, half, dots);
        int[] firstTask = new int[views.length + 1];
        int perTask = rowsPerTask(totalRows, k * views[0].dtype.getNumOfBytes(), pool.threads());
        for (int m = 0; m < views.length; m++) {
            firstTask[m + 1] = firstTask[m] + (views[m].rows + perTask - 1) / perTask;
        }
        float[] in = x;
        float[] preparedIn = prepared;
        pool.run(firstTask[views.length], t -> {
            int m = 0;
            while (t >= firstTask[m + 1]) {
                m++;
            }
            WeightView v = views[m];
            float[] y = outs[m];
            int from = (t - firstTask[m]) * perTask;
            int to = Math.min(v.rows, from + perTask);
            if (v.panels == 1) {
                storedRows(dots, v, from, to, in, preparedIn, y, from);
            } else {
                // panel 0 writes the sums, the others' are added: ((p0 + p1) + p2) …, the same order every call
                float[] part = PARTIAL.get();
                if (part.length < to - from) {
                    part = new float[perTask];
                    PARTIAL.set(part);
                }
                storedRows(dots, v, from, to, slices.x[0], slices.prepared[0], y, from);
                for (int p = 1; p < v.panels; p++) {
                    int first = p * v.rows;
                    storedRows(dots, v, first + from, first + to, slices.x[p], slices.prepared[p], part, 0);
                    for (int r = from; r < to; r++) {
                        y[r] += part[r - from];
                    }
                }
            }
            if (v.bias != null) {
                for (int r = from; r < to; r++) {
                    y[r] += v.bias[r];
                }
            }
        });
    }

    /**
     * Dot products of {@code v}'s stored rows {@code [from, to)} (rows of one panel when in panels)
     * with {@code x} (and its {@code prepared} form for fp16) into {@code dst[dstOff ..]}.
     */
    private static void storedRows(RowDots dots, WeightView v, int from, int to, float[] x, float[] prepared,
                                   float[] dst, int dstOff) {
        int k = v.panelCols;
        for (int r = from; r < to; ) {
            int c = r / v.rowsPerChunk;
            int end = Math.min(to, (c + 1) * v.rowsPerChunk);
            int base = (r - c * v.rowsPerChunk) * v.rowBytes;
            int out = dstOff + (r - from);
            if (v.dtype == DataType.FLOAT16) {
                dots.f16(v.chunks[c], v.views[c], base, k, x, prepared, end - r, dst, out);
            } else if (v.dtype == DataType.INT8) {
                int scaleBase = r * (k / Int8Blocks.BLOCK) * Float.BYTES;
                dots.int8(v.chunks[c], v.views[c], base, k, v.scales, v.scalesView, scaleBase, x, end - r, dst, out);
            } else {
                dots.f32(v.chunks[c], v.views[c], base, k, x, end - r, dst, out);
            }
            r = end;
        }
    }

    /**
     * Rows per task: about eight tasks per thread so a thread slowed by something else is evened out,
     * in whole 4-row blocks, but at least 64 KiB and at most 2 MiB of weights per task so the
     * counter is not hammered and a task stays short.
     */
    static int rowsPerTask(int rows, int rowBytes, int threads) {
        int even = roundUp4((rows + threads * 8 - 1) / (threads * 8));
        int least = roundUp4((65536 + rowBytes - 1) / rowBytes);
        int most = Math.max(4, ((2 << 20) / rowBytes) & ~3);
        return Math.min(Math.min(Math.max(even, least), most), roundUp4(rows));
    }

    private static int roundUp4(int n) {
        return (n + 3) & ~3;
    }

    /** The input cut at the panels' columns, and each piece as the fp16 kernel wants it. */
    private static final class InputSlices {
        float[][] x = new float[0][];
        float[][] prepared = new float[0][];
    }

    /** Per-thread buffers reused across calls: the input, and the input as the fp16 kernel wants it. */
    private static final class Scratch {
        float[] x = new float[0];
        private float[] prepared = new float[0];
        private float[][] rows = new float[0][];
        private final InputSlices slices = new InputSlices();

        InputSlices slices(float[] input, int k, int width, boolean half, RowDots dots) {
            int count = k / width;
            if (slices.x.length != count || slices.x[0].length != width) {
                slices.x = new float[count][width];
                slices.prepared = new float[count][width];
            }
            for (int p = 0; p < count; p++) {
                System.arraycopy(input, p * width, slices.x[p], 0, width);
                if (half) {
                    dots.prepareHalfInput(slices.x[p], width, slices.prepared[p]);
                }
            }
            return slices;
        }

        /**
         * Output rows for {@code views}, at least as long as each view's rows, kept from call to call:
         * the language-model head's output alone is a 600 KB array (151,936 floats) every decode step.
         */
        float[][] results(WeightView[] views) {
            if (rows.length < views.length) {
                rows = java.util.Arrays.copyOf(rows, views.length);
            }
            float[][] results = new float[views.length][];
            for (int m = 0; m < views.length; m++) {
                if (rows[m] == null || rows[m].length < views[m].rows) {
                    rows[m] = new float[views[m].rows];
                }
                results[m] = rows[m];
            }
            return results;
        }

        void ensure(int k) {
            if (x.length < k) {
                x = new float[k];
            }
        }

        float[] prepared(int k) {
            if (prepared.length < k) {
                prepared = new float[k];
            }
            return prepared;
        }
    }

    /** The kernel and its threads, created on first use; DOTS is null without the Vector API module. */
    private static final class Backend {
        static final RowDots DOTS = loadDots();
        private static volatile WorkerPool pool;

        private static RowDots loadDots() {
            // without it (or on a JVM whose module cannot run here) the backend path still works
            return vectorMemoryAvailable() ? vectorImplementation("VectorRowDots", RowDots.class) : null;
        }

        /**
         * Whether the Vector API can load vectors from native memory, as the kernel does: the module
         * must be present, in its JDK 17–19 form (ByteBuffer loads) or its JDK 20+ form (MemorySegment
         * loads), see {@link VectorMemory}. Otherwise the backend path serves every product.
         */
        static boolean vectorMemoryAvailable() {
            if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
                return false;
            }
            try {
                return VectorMemory.available();
            } catch (LinkageError e) {
                return false;
            }
        }

        static WorkerPool pool() {
            WorkerPool p = pool;
            if (p == null) {
                synchronized (Backend.class) {
                    p = pool;
                    if (p == null) {
                        int threads = Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors());
                        pool = p = new WorkerPool(threads);
                    }
                }
            }
            return p;
        }
    }
}
