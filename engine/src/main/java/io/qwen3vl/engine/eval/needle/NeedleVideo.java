package io.qwen3vl.engine.eval.needle;

import io.qwen3vl.engine.eval.TimeSpan;
import java.nio.file.Path;
import java.util.List;

/**
 * A written haystack video and where its needle and distractors are. Frame {@code i} is shown at
 * {@code i / fps} seconds; an appearance of frames {@code [first, first + count)} covers the
 * interval {@code [first / fps, (first + count) / fps]}.
 *
 * @param file the video
 * @param spec what was asked for
 * @param needleFirstFrame first frame showing the needle
 * @param distractorFirstFrames first frame of each distractor appearance
 */
public record NeedleVideo(Path file, NeedleSpec spec, int needleFirstFrame, List<Integer> distractorFirstFrames) {

    /** When the needle is on screen, in seconds. */
    public TimeSpan needleTime() {
        return span(needleFirstFrame);
    }

    public List<TimeSpan> distractorTimes() {
        return distractorFirstFrames.stream().map(this::span).toList();
    }

    /** True when frame {@code index} shows the needle. */
    public boolean showsNeedle(int index) {
        return index >= needleFirstFrame && index < needleFirstFrame + spec.holdFrames();
    }

    private TimeSpan span(int first) {
        return TimeSpan.interval(first / spec.fps(), (first + spec.holdFrames()) / spec.fps());
    }
}
