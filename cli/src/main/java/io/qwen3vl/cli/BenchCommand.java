package io.qwen3vl.cli;

import io.qwen3vl.engine.bench.BenchOptions;
import io.qwen3vl.engine.bench.BenchReport;
import io.qwen3vl.engine.bench.Benchmark;
import io.qwen3vl.models.checkpoint.ModelLocator;
import io.qwen3vl.models.config.RealConfigs;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qwen3vl bench}: measures this machine's limits (memory bandwidth, GEMM peak) and the
 * model's phases against them (load, vision encoder, prefill, decode, time to first token of a
 * video question), on a checkpoint or on random weights of a released configuration.
 */
@Command(name = "bench",
        description = {
            "Measure memory bandwidth and GEMM peak, then load, vision, prefill, decode and video "
                    + "time-to-first-token of a model, with each figure's share of the machine limit.",
            "Medians over --repeats runs after a warm-up. Inputs are synthetic; long decode contexts are "
                    + "reached by writing random keys/values into the KV cache."},
        footer = {"", "Examples:",
            "  qwen3vl bench --random 2B                      # full run, fp32, random 2B weights",
            "  qwen3vl bench --random 2B --dtype fp16 --quick  # a few minutes",
            "  qwen3vl bench --model Qwen/Qwen3-VL-2B-Instruct --json > bench.json"},
        mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--random", paramLabel = "2B|4B|8B",
            description = "Random weights of a released configuration, generated in memory (no download).")
    String random;

    @Option(names = "--json", description = "Print the results as one JSON object instead of a table.")
    boolean json;

    @Option(names = "--markdown", description = "Print the table in Markdown, headed by the machine (the README's results table).")
    boolean markdown;

    @Option(names = "--quick", description = "A short run: 1 repeat, prefill 512, decode at 1K, a 4 s 640x360 video.")
    boolean quick;

    @Option(names = "--repeats", paramLabel = "N", description = "Timed runs per phase (default: 3, --quick: 1).")
    Integer repeats;

    @Option(names = "--prefill", paramLabel = "N[,N...]", split = ",",
            description = "Prompt lengths to prefill (default: 512,2048).")
    int[] prefill;

    @Option(names = "--context", paramLabel = "N[,N...]", split = ",",
            description = "KV-cache lengths to decode at (default: 1024,8192).")
    int[] contexts;

    @Option(names = "--decode-steps", paramLabel = "N", description = "Timed decode steps per context (default: 16).")
    Integer decodeSteps;

    @Option(names = "--video-seconds", paramLabel = "S", description = "Length of the test video (default: 30).")
    Double videoSeconds;

    @Option(names = "--video-size", paramLabel = "WxH", description = "Frame size of the test video (default: 1280x720).")
    String videoSize;

    @Option(names = "--bandwidth-mib", paramLabel = "MIB",
            description = "Bytes each bandwidth probe reads per pass, in MiB (default: 1024).")
    Long bandwidthMib;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the Java bandwidth probe (default: all cores).")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BenchOptions options = options();
        PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        BenchReport report = Benchmark.run(options, phase -> {
            err.println("bench: " + phase);
            err.flush();
        });
        out.println(json ? report.toJsonString() : markdown ? report.toMarkdown() : report.toTable());
        out.flush();
        return 0;
    }

    BenchOptions options() {
        try {
            return buildOptions();
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private BenchOptions buildOptions() {
        BenchOptions.Builder b = BenchOptions.builder();
        if (quick) {
            b.quick();
        }
        boolean modelGiven = model.model != null && !model.model.isBlank();
        if (random != null && modelGiven) {
            throw new UsageError("give either --random SIZE or --model DIR, not both");
        }
        if (random != null) {
            RealConfigs.of(random); // an unknown size fails here, before anything is measured
            b.random(random);
        } else {
            b.model(ModelLocator.resolve(model.modelOrEnv()));
        }
        b.precision(model.precision()).device(model.device);
        if (repeats != null) {
            b.repeats(repeats);
        }
        if (prefill != null) {
            b.prefillLengths(prefill);
        }
        if (contexts != null) {
            b.decodeContexts(contexts);
        }
        if (decodeSteps != null) {
            b.decodeSteps(decodeSteps);
        }
        if (videoSeconds != null || videoSize != null) {
            BenchOptions defaults = b.build(); // current video settings, quick or not
            int[] size = videoSize != null ? size(videoSize)
                    : new int[] {defaults.videoWidth(), defaults.videoHeight()};
            b.video(videoSeconds != null ? videoSeconds : defaults.videoSeconds(), defaults.videoFps(), size[0], size[1]);
        }
        if (bandwidthMib != null) {
            b.bandwidthBytes(bandwidthMib << 20);
        }
        if (threads != null) {
            b.threads(threads);
        }
        return b.build();
    }

    private static int[] size(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageError("--video-size must look like 1280x720, not '" + text + "'");
    }
}
