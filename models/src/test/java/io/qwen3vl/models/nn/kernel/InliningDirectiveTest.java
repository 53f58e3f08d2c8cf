package io.qwen3vl.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The compiler directive is in the JVM's stack once the vector kernels are loaded (HotSpot, as the build runs on). */
class InliningDirectiveTest {
    @Test
    void loadingTheVectorKernelsInstallsTheDirectiveOnce() throws Exception {
        MatVec.vectorImplementation("VectorElementwise", ElementwiseOps.class);
        assertTrue(InliningDirective.install(), "directive not installed");
        assertTrue(InliningDirective.install(), "a second call keeps it");
        String stack = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        assertTrue(stack.contains("matching: io/qwen3vl/*.*"), stack);
        assertTrue(stack.contains("c2 directives:\n  inline: -io/qwen3vl/models/nn/kernel/VectorElementwise.*"), stack);
        // installed once: the JVM lists one directive of ours, whatever else it holds
        int first = stack.indexOf("matching: io/qwen3vl/*.*");
        assertTrue(stack.indexOf("matching: io/qwen3vl/*.*", first + 1) < 0, stack);
    }
}
