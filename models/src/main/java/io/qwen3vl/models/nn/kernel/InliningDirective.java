package io.qwen3vl.models.nn.kernel;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A HotSpot compiler directive (JEP 165; what {@code jcmd <pid> Compiler.directives_add} adds) that
 * keeps C2 from inlining the element-wise passes of {@link VectorElementwise} into the methods of
 * this project: each pass is compiled on its own, one vector loop to a compiled method.
 *
 * <p>Why: on JDK 21, C2 at times inlined {@code roundToHalf} into the attention's compiled loop
 * (twice, through the softmax), and the second copy's vector operations ran as the Vector API's
 * Java fallback, every vector boxed on the heap: 88 MB allocated per token over 28 layers at 8K
 * positions, and the attention 10–30 % slower (harness outside the repository, JFR allocation
 * samples, perf). Whether it happened depended on the order in which the JIT compiled the methods:
 * four runs of four in one sitting, none with compilation logging on. Compiled on their own the
 * passes were intrinsified in every run. Java code has no way to ask for this — the JDK's
 * {@code @DontInline} is honoured for its own classes only — a directive does, installed through
 * the platform's DiagnosticCommand MBean. It applies to this project's methods only (as callers)
 * and sets nothing else; C1 is left alone. Installing it starts the platform MBean server, once:
 * 0.2–0.3 s here.
 *
 * <p>Where it cannot be installed (a runtime without {@code jdk.management}, a JVM other than
 * HotSpot) nothing changes and the kernels run as they would without it.
 */
final class InliningDirective {
    private static final String PACKAGE = MatVec.class.getPackageName().replace('.', '/');
    /** The directive, in the JSON-like syntax of compiler directives files. */
    static final String TEXT = "[{ match: \"io/qwen3vl/*.*\", c2: { inline: \"-" + PACKAGE + "/VectorElementwise.*\" } }]";

    /** Whether the one attempt succeeded; null before it (a failed attempt is not repeated). */
    private static Boolean installed;

    private InliningDirective() {
    }

    /** Tries once per JVM to install the directive; whether it is in place. */
    static synchronized boolean install() {
        if (installed == null) {
            installed = add();
        }
        return installed;
    }

    private static boolean add() {
        Path file = null;
        try {
            file = Files.createTempFile("qwen3vl-inlining", ".json");
            Files.writeString(file, TEXT, StandardCharsets.UTF_8);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object reply = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}},
                    new String[] {String[].class.getName()});
            return String.valueOf(reply).contains("1 compiler directives added");
        } catch (Exception | LinkageError e) {
            return false; // no DiagnosticCommand MBean here: run without the directive
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (java.io.IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }
}
