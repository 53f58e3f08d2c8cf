package io.qwen3vl.cli;

import io.qwen3vl.engine.Answer;
import io.qwen3vl.engine.Qwen3VLEngine;
import io.qwen3vl.engine.generate.SamplingSettings;
import io.qwen3vl.engine.generate.TokenListener;
import io.qwen3vl.engine.request.PreparedPrompt;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qwen3vl ask}: one question about images, videos or text, answered on stdout as it is generated. */
@Command(name = "ask", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Ask the model a question about images, videos or plain text.",
        footer = {"", "Examples:",
                "  qwen3vl ask --model testdata/qwen3vl-tiny --image photo.jpg \"What is in the picture?\"",
                "  qwen3vl ask --model Qwen/Qwen3-VL-2B-Instruct --video clip.mp4 \"When does the cat jump on the table?\"",
                "  qwen3vl ask --model DIR --messages chat.json --json --logprobs 5"})
public final class AskCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    PromptOptions prompt;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    VisionOptions vision;

    @Option(names = "--json", description = "Print one JSON object (text, token ids, logprobs, usage, timings) instead of streaming text.")
    boolean json;

    @Option(names = "--logprobs", paramLabel = "N", description = "Report each token's log-probability and its N most likely alternatives (with --json).")
    Integer logprobs;

    @Option(names = "--stats", description = "Print token counts and timings to stderr after the answer.")
    boolean stats;

    @Override
    public Integer call() {
        PromptOptions.Request request = prompt.request();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Qwen3VLEngine engine = model.load();
             PreparedPrompt prepared = engine.prompts().build(request.messages(), request.baseDir(),
                     vision.toMediaOptions())) {
            SamplingSettings settings = sampling.toSettings(engine.generationDefaults(), logprobs);
            TokenListener stream = json ? TokenListener.NONE : piece -> {
                out.print(piece);
                out.flush();
            };
            Answer answer = engine.generate(prepared, settings, stream);
            answer.timings().merge(engine.loadTimings());
            if (json) {
                out.println(AnswerJson.of(answer, engine.tokenizer()));
            } else {
                out.println();
            }
            if (stats) {
                System.err.println(AnswerJson.stats(answer));
            }
        }
        return 0;
    }
}
