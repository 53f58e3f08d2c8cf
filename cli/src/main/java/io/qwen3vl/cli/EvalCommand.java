package io.qwen3vl.cli;

import io.qwen3vl.engine.Qwen3VLEngine;
import io.qwen3vl.engine.batch.BatchRunner;
import io.qwen3vl.engine.batch.Progress;
import io.qwen3vl.engine.batch.ResultLog;
import io.qwen3vl.engine.eval.EvalDataset;
import io.qwen3vl.engine.eval.EvalItem;
import io.qwen3vl.engine.eval.EvalReport;
import io.qwen3vl.engine.eval.EvalResult;
import io.qwen3vl.engine.eval.EvalTask;
import io.qwen3vl.engine.eval.needle.ClipHaystack;
import io.qwen3vl.engine.eval.needle.Haystack;
import io.qwen3vl.engine.eval.needle.NeedleGrid;
import io.qwen3vl.engine.eval.needle.SyntheticHaystack;
import io.qwen3vl.engine.generate.SamplingSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qwen3vl eval}: scores a checkpoint on a JSONL data set (exact match, multiple choice,
 * temporal grounding) or on a generated needle-in-a-haystack video grid, writing per-item result
 * lines (resumable) and a report as JSON and Markdown.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Evaluate the model on a JSONL data set or on the built-in needle-in-a-video self-test.",
        footer = {"", "Data lines: {\"messages\": [...]} or {\"image\"|\"video\": path, \"question\": ...}, plus "
                + "\"answer\" (text, a letter with \"choices\", seconds, or [start, end]).", "",
                "Examples:",
                "  qwen3vl eval --model DIR --data qa.jsonl --output results.jsonl",
                "  qwen3vl eval --model DIR --needle --output needle-results.jsonl",
                "  qwen3vl eval --model DIR --needle --haystack my-clip.mp4 --needle-lengths 30,120 --output n.jsonl"})
public final class EvalCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--data", paramLabel = "FILE.jsonl", description = "Evaluation items, one JSON object per line.")
        Path data;

        @Option(names = "--needle", description = "Generate the temporal-grounding self-test (needle frames in haystack videos) and run it.")
        boolean needle;
    }

    @Option(names = "--needle-dir", paramLabel = "DIR", description = "Where the needle videos go (default: beside --output, in <name>-needle/).")
    Path needleDir;

    @Option(names = "--needle-lengths", paramLabel = "SECONDS", split = ",", description = "Haystack lengths (default: 30,60,120).")
    List<Double> needleLengths;

    @Option(names = "--needle-depths", paramLabel = "FRACTION", split = ",", description = "Needle positions as fractions of the length (default: 0,0.25,0.5,0.75,1).")
    List<Double> needleDepths;

    @Option(names = "--haystack", paramLabel = "VIDEO", description = "Build haystacks from this clip instead of synthetic frames.")
    Path haystack;

    @Mixin
    BatchOutputOptions output;

    @Option(names = "--report", paramLabel = "PREFIX", description = "Report files PREFIX.json and PREFIX.md (default: beside --output, <name>-report).")
    Path report;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Evaluate only the first N items (after --shuffle).")
    int limit;

    @Option(names = "--shuffle", description = "Shuffle the items (with --seed for a reproducible order).")
    boolean shuffle;

    @Option(names = "--sample", description = "Decode with the checkpoint's sampling defaults instead of greedily.")
    boolean sample;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    VisionOptions vision;

    @Override
    public Integer call() throws Exception {
        ResultLog.Mode mode = output.mode();
        Path data = source.needle ? generateNeedles() : source.data;
        Long shuffleSeed = null;
        if (shuffle) {
            shuffleSeed = sampling.seed != null ? sampling.seed : System.nanoTime();
            if (sampling.seed == null) {
                System.err.println("qwen3vl: shuffling with seed " + shuffleSeed + " (give --seed to repeat it)");
            }
        }
        List<EvalItem> items = EvalDataset.select(EvalDataset.read(data), limit, shuffleSeed);
        try (Qwen3VLEngine engine = model.load();
             ResultLog log = ResultLog.open(output.output, "id", mode)) {
            SamplingSettings settings = sampling.toSettings(engine.generationDefaults(), null, !sample);
            EvalTask task = new EvalTask(engine, vision.toMediaOptions(), settings);
            BatchRunner.of(task).prefetch(output.prefetch).retryErrors(output.retryErrors)
                    .listener(Progress.forConsole(System.err)).run(items, log);
        }
        EvalReport result = EvalReport.of(ResultLog.readRecords(output.output).stream().map(EvalResult::fromJson).toList());
        Path prefix = report != null ? report : sibling(output.output, "-report");
        Files.writeString(Path.of(prefix + ".json"), result.toJsonText(), StandardCharsets.UTF_8);
        String markdown = result.toMarkdown();
        Files.writeString(Path.of(prefix + ".md"), markdown, StandardCharsets.UTF_8);
        System.out.print(markdown);
        return result.errors() > 0 ? CaptionCommand.FINISHED_WITH_ERRORS : 0;
    }

    private Path generateNeedles() throws IOException {
        NeedleGrid.Options d = NeedleGrid.Options.defaults();
        NeedleGrid.Options options = new NeedleGrid.Options(needleLengths != null ? needleLengths : d.lengths(),
                needleDepths != null ? needleDepths : d.depths(), d.template(), d.tolerance(),
                sampling.seed != null ? sampling.seed : d.seed());
        Path dir = needleDir != null ? needleDir : sibling(output.output, "-needle");
        Supplier<Haystack> haystacks = haystack != null ? () -> new ClipHaystack(haystack)
                : () -> new SyntheticHaystack(options.seed());
        System.err.println("qwen3vl: writing needle videos to " + dir);
        return NeedleGrid.write(dir, options, haystacks);
    }

    /** {@code out.jsonl} → {@code out<suffix>} in the same folder. */
    static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
        return file.toAbsolutePath().getParent().resolve(name + suffix);
    }
}
