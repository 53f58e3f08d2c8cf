package io.qwen3vl.engine.bench;

import io.qwen3vl.models.nn.kernel.VectorMemory;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The decode kernel's access pattern without its arithmetic: one sequential stream per thread of
 * vector loads from native memory (in the running JDK's form, see {@link VectorMemory}), four accumulators. The only class of
 * the bench that refers to the Vector API; {@link MemoryBandwidth} loads it by name, and only when
 * the JVM has the {@code jdk.incubator.vector} module.
 */
final class VectorReadProbe implements MemoryBandwidth.BufferReader {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    private static final MethodHandle FLOATS = VectorMemory.loads(FloatVector.class, F, ByteOrder.nativeOrder());

    @Override
    public float read(ByteBuffer block) {
        int bytes = block.capacity();
        int step = 4 * LANES * Float.BYTES;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int o = 0;
        Object memory = VectorMemory.of(block);
        try {
            for (; o <= bytes - step; o += step) {
                a0 = a0.add((FloatVector) FLOATS.invokeExact(memory, o));
                a1 = a1.add((FloatVector) FLOATS.invokeExact(memory, o + LANES * Float.BYTES));
                a2 = a2.add((FloatVector) FLOATS.invokeExact(memory, o + 2 * LANES * Float.BYTES));
                a3 = a3.add((FloatVector) FLOATS.invokeExact(memory, o + 3 * LANES * Float.BYTES));
            }
        } catch (Throwable t) {
            throw VectorMemory.rethrow(t);
        }
        float tail = 0;
        for (; o + Float.BYTES <= bytes; o += Float.BYTES) {
            tail += block.getFloat(o);
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD) + tail;
    }
}
