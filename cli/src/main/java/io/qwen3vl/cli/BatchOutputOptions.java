package io.qwen3vl.cli;

import io.qwen3vl.engine.batch.ResultLog;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a long run writes its JSON lines and what to do with an earlier run's file. */
public final class BatchOutputOptions {
    @Option(names = "--output", paramLabel = "FILE.jsonl", required = true,
            description = "Results, one JSON line per item, appended and flushed as each finishes.")
    Path output;

    @Option(names = "--resume", description = "Keep the results already in --output and do only what is missing.")
    boolean resume;

    @Option(names = "--retry-errors", description = "With --resume, run again the items whose line is an error.")
    boolean retryErrors;

    @Option(names = "--overwrite", description = "Discard an existing --output file.")
    boolean overwrite;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "1",
            description = "Items decoded and preprocessed ahead while the model works (default: ${DEFAULT-VALUE}; 0: none).")
    int prefetch;

    ResultLog.Mode mode() {
        if (resume && overwrite) {
            throw new UsageError("--resume and --overwrite contradict each other: choose one");
        }
        if (retryErrors && !resume) {
            throw new UsageError("--retry-errors needs --resume");
        }
        if (resume) {
            return ResultLog.Mode.RESUME;
        }
        if (overwrite) {
            return ResultLog.Mode.OVERWRITE;
        }
        if (Files.exists(output)) {
            throw new UsageError(output + " already exists: add --resume to continue it or --overwrite to start over");
        }
        return ResultLog.Mode.NEW;
    }
}
