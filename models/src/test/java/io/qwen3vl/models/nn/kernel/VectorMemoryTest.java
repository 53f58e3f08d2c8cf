package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** The kernels' loads and stores of native memory, in the form the running JDK has. */
class VectorMemoryTest {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** JDK 20 removed the ByteBuffer forms; the MemorySegment ones serve from then on, preview API or not. */
    @Test
    void formFollowsTheJdk() {
        String expected = Runtime.version().feature() < 20 ? "ByteBuffer" : "MemorySegment";
        assertEquals(expected, VectorMemory.form());
        assertTrue(VectorMemory.available());
    }

    @Test
    void loadsReadEveryOffsetInEitherByteOrder() throws Throwable {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 * I.length() + 8);
        for (int b = 0; b < buffer.capacity(); b++) {
            buffer.put(b, (byte) (b * 37 + 11));
        }
        Object memory = VectorMemory.of(buffer);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            MethodHandle ints = VectorMemory.loads(IntVector.class, I, order);
            ByteBuffer view = buffer.duplicate().order(order);
            for (int offset : new int[] {0, 1, 3, 8}) { // unaligned as well
                IntVector v = (IntVector) ints.invokeExact(memory, offset);
                for (int l = 0; l < I.length(); l++) {
                    assertEquals(view.getInt(offset + 4 * l), v.lane(l), order + " offset " + offset + " lane " + l);
                }
            }
        }
    }

    @Test
    void storesWriteWhereLoadsRead() throws Throwable {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 * F.length() + 4).order(ByteOrder.nativeOrder());
        Object memory = VectorMemory.of(buffer);
        FloatVector v = FloatVector.broadcast(F, 0.5f).addIndex(1); // 0.5, 1.5, 2.5, ...
        MethodHandle store = VectorMemory.stores(FloatVector.class, ByteOrder.nativeOrder());
        store.invokeExact(v, memory, 4);
        assertEquals(0f, buffer.getFloat(0));
        for (int l = 0; l < F.length(); l++) {
            assertEquals(l + 0.5f, buffer.getFloat(4 + 4 * l));
        }
        MethodHandle floats = VectorMemory.loads(FloatVector.class, F, ByteOrder.nativeOrder());
        assertEquals(v, (FloatVector) floats.invokeExact(memory, 4));
    }

    /** One view per buffer and thread, and never one buffer's view for another's bytes. */
    @Test
    void reusedViewsBelongToTheirBuffer() throws Throwable {
        ByteBuffer a = ByteBuffer.allocateDirect(4 * I.length()).order(ByteOrder.nativeOrder());
        ByteBuffer b = ByteBuffer.allocateDirect(4 * I.length()).order(ByteOrder.nativeOrder());
        for (int l = 0; l < I.length(); l++) {
            a.putInt(4 * l, l);
            b.putInt(4 * l, -l - 1);
        }
        MethodHandle ints = VectorMemory.loads(IntVector.class, I, ByteOrder.nativeOrder());
        Object viewOfA = VectorMemory.reused(a);
        assertSame(viewOfA, VectorMemory.reused(a));
        for (ByteBuffer buffer : new ByteBuffer[] {b, a, b}) {
            IntVector v = (IntVector) ints.invokeExact(VectorMemory.reused(buffer), 0);
            for (int l = 0; l < I.length(); l++) {
                assertEquals(buffer.getInt(4 * l), v.lane(l), "lane " + l);
            }
        }
    }

    @Test
    void readsPastTheEndAreRefused() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 * I.length());
        Object memory = VectorMemory.of(buffer);
        MethodHandle ints = VectorMemory.loads(IntVector.class, I, ByteOrder.nativeOrder());
        assertThrows(IndexOutOfBoundsException.class, () -> {
            IntVector unused = (IntVector) ints.invokeExact(memory, 4);
        });
    }
}
