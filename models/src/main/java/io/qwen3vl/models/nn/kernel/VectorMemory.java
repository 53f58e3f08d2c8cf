package io.qwen3vl.models.nn.kernel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loads and stores at byte offsets of native memory, in whichever form the running JDK's
 * Vector API has: {@code fromByteBuffer} / {@code intoByteBuffer} on JDK 17–19, {@code
 * fromMemorySegment} / {@code intoMemorySegment} from JDK 20 on (20 removed the ByteBuffer forms).
 * On 20 and 21 {@code java.lang.foreign} is still a preview API, but only javac enforces that: a
 * segment made and read through these handles needs no {@code --enable-preview} (checked on 21).
 * Where making a segment fails all the same, {@link #available()} is false and the backend decodes.
 *
 * <p>Why method handles: the project compiles at Java 17, which has no MemorySegment. A handle held
 * in a {@code static final} field is a constant to C2, and {@code invokeExact} on it inlines down to
 * the same load intrinsic a direct call compiles to (fp16 rows read from L2 on one core, harnesses
 * outside the repository: 30 GB/s direct and 32–35 through the handle on JDK 17; 39–46 direct and
 * 35–43 through the handle on JDK 25, 50–55 in the kernel itself). A
 * kernel therefore keeps its handles in its own {@code static final} fields ({@link #loads},
 * {@link #stores}) and calls them in place, not through a helper method that C2 might not inline.
 *
 * <p>The memory is passed as an {@code Object}: the buffer itself on JDK 17–19, a MemorySegment over
 * it from 20 on ({@link #of}). Weight views are made once, with the weight ({@code WeightView}):
 * made per call of a row kernel, the segment was a heap object on JDK 21 and 25 (72 bytes per call
 * of the fp16 and fp32 kernels, whose row loops C2 compiles apart, and 144 per 8-bit call), about
 * 210 KB per pass over the 2B decoder's 28 layers of products against 16 KB after (harness outside
 * the repository); made per row instead, it was scalar-replaced on JDK 25 but allocated per row on
 * JDK 21. Kernels called many times in a row on one buffer, whose loops also run apart, take it
 * from {@link #reused}.
 *
 * <p>Load this class only when the JVM has the {@code jdk.incubator.vector} module.
 */
public final class VectorMemory {
    private static final String SEGMENT_CLASS = "java.lang.foreign.MemorySegment";
    /** The class a handle takes as memory: ByteBuffer, or MemorySegment; null when neither form is here. */
    private static final Class<?> MEMORY = memoryClass();
    private static final MethodHandle OF = MEMORY == null ? null : viewHandle();
    /** Per thread, the buffer last given to {@link #reused} and its view. */
    private static final ThreadLocal<Object[]> LAST_VIEW = ThreadLocal.withInitial(() -> new Object[2]);

    private VectorMemory() {
    }

    /** Whether this JVM's Vector API can read native memory in one of the two forms. */
    public static boolean available() {
        return MEMORY != null;
    }

    /** The form in use, for logs: "ByteBuffer" or "MemorySegment". */
    public static String form() {
        return MEMORY == null ? "none" : MEMORY.getSimpleName();
    }

    /** {@code buffer} as the handles read it (the buffer itself, or a MemorySegment over its bytes). */
    public static Object of(ByteBuffer buffer) {
        try {
            return (Object) OF.invokeExact(buffer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@link #of}, made once per buffer object on each thread: for kernels called many times in a
     * row on one buffer (decode attention: per cache block, head and layer) whose loops C2 compiles
     * as methods of their own. There the view escapes into the call and is a heap object each time:
     * about 1 MB per token at 8K positions on JDK 21 and 25, against 8 KB with views reused (a
     * harness over 28 layers' attention, outside the repository). The thread keeps the last buffer
     * it was given (not its memory) until it is given another one.
     */
    public static Object reused(ByteBuffer buffer) {
        if (MEMORY == ByteBuffer.class) {
            return buffer;
        }
        Object[] last = LAST_VIEW.get();
        if (last[0] != buffer) {
            last[1] = of(buffer);
            last[0] = buffer;
        }
        return last[1];
    }

    /**
     * A handle {@code (Object memory, int byteOffset) -> V} loading a vector of {@code species} in
     * {@code order}; {@code vectorType} is the species' abstract vector class (IntVector, FloatVector).
     */
    public static MethodHandle loads(Class<?> vectorType, VectorSpecies<?> species, ByteOrder order) {
        boolean segments = MEMORY != ByteBuffer.class;
        try {
            MethodHandle h = MethodHandles.publicLookup().findStatic(vectorType,
                    segments ? "fromMemorySegment" : "fromByteBuffer",
                    MethodType.methodType(vectorType, VectorSpecies.class, MEMORY, segments ? long.class : int.class,
                            ByteOrder.class));
            h = MethodHandles.insertArguments(h, 3, order);
            h = MethodHandles.insertArguments(h, 0, species);
            return h.asType(MethodType.methodType(vectorType, Object.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no vector loads for " + vectorType.getSimpleName() + " from " + form(), e);
        }
    }

    /** A handle {@code (V vector, Object memory, int byteOffset) -> void} storing the vector in {@code order}. */
    public static MethodHandle stores(Class<?> vectorType, ByteOrder order) {
        boolean segments = MEMORY != ByteBuffer.class;
        try {
            MethodHandle h = MethodHandles.publicLookup().findVirtual(vectorType,
                    segments ? "intoMemorySegment" : "intoByteBuffer",
                    MethodType.methodType(void.class, MEMORY, segments ? long.class : int.class, ByteOrder.class));
            h = MethodHandles.insertArguments(h, 3, order);
            return h.asType(MethodType.methodType(void.class, vectorType, Object.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no vector stores for " + vectorType.getSimpleName() + " to " + form(), e);
        }
    }

    /** What a kernel's {@code catch (Throwable)} around {@code invokeExact} throws: the handles throw no checked exceptions. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }

    private static Class<?> memoryClass() {
        Class<?> vectors = jdk.incubator.vector.IntVector.class;
        if (hasStatic(vectors, "fromByteBuffer", VectorSpecies.class, ByteBuffer.class, int.class, ByteOrder.class)) {
            return ByteBuffer.class;
        }
        try {
            Class<?> segment = Class.forName(SEGMENT_CLASS);
            if (!hasStatic(vectors, "fromMemorySegment", VectorSpecies.class, segment, long.class, ByteOrder.class)) {
                return null;
            }
            // A JDK that gated its preview API at run time would refuse here, once, rather than in a kernel.
            segment.getMethod("ofBuffer", Buffer.class).invoke(null, ByteBuffer.allocateDirect(Long.BYTES));
            return segment;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static boolean hasStatic(Class<?> type, String name, Class<?>... parameters) {
        try {
            type.getMethod(name, parameters);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static MethodHandle viewHandle() {
        MethodType type = MethodType.methodType(Object.class, ByteBuffer.class);
        if (MEMORY == ByteBuffer.class) {
            return MethodHandles.identity(ByteBuffer.class).asType(type);
        }
        try {
            return MethodHandles.publicLookup()
                    .findStatic(MEMORY, "ofBuffer", MethodType.methodType(MEMORY, Buffer.class)).asType(type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no " + SEGMENT_CLASS + ".ofBuffer", e);
        }
    }
}
