package io.qwen3vl.cli;

import io.qwen3vl.engine.Qwen3VLEngine;
import io.qwen3vl.engine.batch.BatchRunner;
import io.qwen3vl.engine.batch.BatchSummary;
import io.qwen3vl.engine.batch.CaptionTask;
import io.qwen3vl.engine.batch.GlobFilter;
import io.qwen3vl.engine.batch.InputFile;
import io.qwen3vl.engine.batch.InputScanner;
import io.qwen3vl.engine.batch.Progress;
import io.qwen3vl.engine.batch.ResultLog;
import io.qwen3vl.engine.generate.SamplingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qwen3vl caption}: one caption per image or video of a folder, as durable JSON lines. A
 * broken file becomes an error line and the run goes on; a killed run resumes where it stopped.
 */
@Command(name = "caption", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Caption every image and video of a folder into a JSONL file (resumable; bad files become error lines).",
        footer = {"", "Exit status: 0 all captioned, 3 finished with error lines, 1 could not run, 2 bad usage.", "",
                "Examples:",
                "  qwen3vl caption --model DIR --input photos/ --recursive --output captions.jsonl",
                "  qwen3vl caption --model DIR --input clips/ --include '*.mp4' --output c.jsonl --resume --retry-errors",
                "  qwen3vl caption --model DIR --input clips/ --output c.jsonl --format srt"})
public final class CaptionCommand implements Callable<Integer> {
    static final int FINISHED_WITH_ERRORS = 3;

    @Mixin
    ModelOptions model;

    @Option(names = "--input", paramLabel = "DIR", required = true, description = "Folder of images and videos.")
    Path input;

    @Option(names = {"-r", "--recursive"}, description = "Also caption files in sub-folders.")
    boolean recursive;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only files whose relative path matches (repeatable, e.g. '**/*.jpg').")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip files whose relative path matches (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Mixin
    BatchOutputOptions output;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt for every file (default: one for images, one for videos).")
    String prompt;

    @Option(names = "--image-prompt", paramLabel = "TEXT", description = "Prompt for images (default: \"" + CaptionTask.DEFAULT_IMAGE_PROMPT + "\").")
    String imagePrompt;

    @Option(names = "--video-prompt", paramLabel = "TEXT", description = "Prompt for videos (default: \"" + CaptionTask.DEFAULT_VIDEO_PROMPT + "\").")
    String videoPrompt;

    @Option(names = "--format", paramLabel = "jsonl|srt", defaultValue = "jsonl",
            description = "srt: also ask videos for timestamped events and write SubRip files (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--srt-dir", paramLabel = "DIR", description = "Where SubRip files go (default: beside --output, in <name>-srt/).")
    Path srtDir;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    VisionOptions vision;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(input)) {
            throw new UsageError("--input " + input + " is not a folder");
        }
        boolean srt = switch (format.toLowerCase(Locale.ROOT)) {
            case "jsonl" -> false;
            case "srt" -> true;
            default -> throw new UsageError("--format must be jsonl or srt, not '" + format + "'");
        };
        ResultLog.Mode mode = output.mode();
        InputScanner scanner = InputScanner.of(input).recursive(recursive).filter(new GlobFilter(include, exclude))
                .skipping(ResultLog.ownFiles(output.output).toArray(Path[]::new));
        List<InputFile> files = scanner.scan();
        scanner.warnings().forEach(w -> System.err.println("qwen3vl: warning: " + w));
        try (Qwen3VLEngine engine = model.load();
             ResultLog log = ResultLog.open(output.output, "path", mode)) {
            SamplingSettings settings = sampling.toSettings(engine.generationDefaults(), null);
            String image = firstNonNull(imagePrompt, prompt, CaptionTask.DEFAULT_IMAGE_PROMPT);
            String video = firstNonNull(videoPrompt, prompt, srt ? CaptionTask.SRT_VIDEO_PROMPT : CaptionTask.DEFAULT_VIDEO_PROMPT);
            Path srtFolder = srt ? (srtDir != null ? srtDir : defaultSrtDir(output.output)) : null;
            CaptionTask task = new CaptionTask(engine, vision.toMediaOptions(), settings, image, video, srtFolder);
            BatchSummary summary = BatchRunner.of(task).prefetch(output.prefetch).retryErrors(output.retryErrors)
                    .listener(Progress.forConsole(System.err)).run(files, log);
            return summary.errors() > 0 ? FINISHED_WITH_ERRORS : 0;
        }
    }

    static Path defaultSrtDir(Path output) {
        String name = output.getFileName().toString().replaceFirst("\\.jsonl?$", "");
        Path parent = output.toAbsolutePath().getParent();
        return parent.resolve(name + "-srt");
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        throw new IllegalStateException("no value");
    }
}
