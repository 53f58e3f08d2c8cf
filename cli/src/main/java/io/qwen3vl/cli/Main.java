package io.qwen3vl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code qwen3vl} command line: one subcommand per workflow. */
@Command(name = "qwen3vl", mixinStandardHelpOptions = true, versionProvider = Version.class, usageHelpAutoWidth = true,
        description = "Run Qwen3-VL checkpoints on images, videos and text, on CPU or CUDA.",
        subcommands = {AskCommand.class, PrepareCommand.class, CaptionCommand.class, EvalCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  qwen3vl ask --model testdata/qwen3vl-tiny \"What is in the picture?\" --image cat.png",
                "  qwen3vl ask --model Qwen/Qwen3-VL-2B-Instruct --video clip.mp4 \"When does the cat jump?\"",
                "  qwen3vl prepare --model DIR --video clip.mp4 \"Describe it.\" --json"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        java.util.Optional<Integer> rerun = NativeThreading.rerunIfNeeded(args);
        if (rerun.isPresent()) {
            System.exit(rerun.get());
        }
        NativeThreading.followParent();
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failed, 2 bad usage). */
    public static int run(String... args) {
        // Nothing in an offline engine should reach for the network; DJL honours this property.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Failures());
        cli.setParameterExceptionHandler(new Failures());
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
