package io.qwen3vl.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes sure libtorch's OpenMP threads sleep instead of spinning between parallel regions, and that
 * the Vector API module the decode kernel needs is there.
 *
 * <p>Why: with GNU OpenMP's default (spin-wait) policy, the worker threads of libtorch's intra-op
 * pool burn the cores the JVM thread issuing the next operator needs; on a 2-core machine decoding
 * the bundled tiny model ran at 12.5 tokens/s with the default and at 79 tokens/s with
 * {@code OMP_WAIT_POLICY=PASSIVE} (same machine, same command). libgomp reads the variable once,
 * when libtorch is loaded, and Java cannot set its own environment, so when the variable is missing
 * the command re-runs itself in a child JVM that has it (a one-time cost of a JVM start). Setting
 * {@code OMP_WAIT_POLICY} yourself (any value) skips this; so does {@code -Dqwen3vl.reexec=false}.
 * The child ends itself if the parent dies, so killing the command (even with SIGKILL) stops the
 * work, as a user expects.
 *
 * <p>The same re-run adds {@code --add-modules jdk.incubator.vector} when this JVM lacks it: the
 * decode kernel (models' {@code nn.kernel.MatVec}) is written with the Vector API, an incubator
 * module that Java resolves only on request, and a jar manifest cannot request it. Without the
 * module decoding falls back to the backend at about half the speed. The child JVM prints
 * "WARNING: Using incubator modules: jdk.incubator.vector" on stderr; that line is the JVM's own.
 * The child also gets a small young generation and the serial collector unless the command line
 * chooses its own (see {@link JavaHeap}).
 */
final class NativeThreading {
    static final String POLICY = "OMP_WAIT_POLICY";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String CHILD_FLAG = "qwen3vl.child";
    /** Commands that load libtorch; the others never pay for the re-run. */
    private static final Set<String> NATIVE_COMMANDS = Set.of("ask", "caption", "eval", "bench");

    private NativeThreading() {
    }

    /** The exit code of the re-run child, or empty when this JVM should run the command itself. */
    static Optional<Integer> rerunIfNeeded(String[] args) {
        boolean policySet = System.getenv(POLICY) != null;
        boolean vectorModule = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        if ((policySet && vectorModule) || Boolean.getBoolean(CHILD_FLAG)
                || "false".equals(System.getProperty("qwen3vl.reexec"))
                || args.length == 0 || !NATIVE_COMMANDS.contains(args[0])) {
            return Optional.empty();
        }
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(java.get());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(JavaHeap.flags(command));
        if (!vectorModule) {
            command.add("--add-modules");
            command.add(VECTOR_MODULE);
        }
        // The jar's manifest grants native access to `java -jar` only; the child runs from the class path.
        boolean nativeAccessGiven = command.stream().anyMatch(a -> a.startsWith("--enable-native-access"));
        if (!nativeAccessGiven) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-D" + CHILD_FLAG + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = pb.environment();
        env.putIfAbsent(POLICY, "PASSIVE"); // a value the user chose stays
        try {
            Process child = pb.start();
            // Ctrl-C reaches the whole process group; on other exits of this JVM, take the child along.
            Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
            return Optional.of(child.waitFor());
        } catch (java.io.IOException e) {
            return Optional.empty(); // cannot start a child: run here, only slower
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(130);
        }
    }

    /** In the child: exit at once when the parent is gone (killed), so no orphan keeps working. */
    static void followParent() {
        if (!Boolean.getBoolean(CHILD_FLAG)) {
            return;
        }
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(137)));
    }

}
