package io.qwen3vl.engine.eval;

import java.util.List;

/**
 * The expected answer of an evaluation item.
 *
 * @param task how answers are scored
 * @param text the reference answer (free text; the option letter for choices)
 * @param choices option texts for {@link Task#CHOICE} (empty otherwise)
 * @param letter the correct option for {@link Task#CHOICE}
 * @param time the moment or interval for {@link Task#TIME}
 */
public record Expected(Task task, String text, List<String> choices, char letter, TimeSpan time) {

    public enum Task { TEXT, CHOICE, TIME }

    public static Expected text(String answer) {
        return new Expected(Task.TEXT, answer, List.of(), '\0', null);
    }

    public static Expected choice(char letter, List<String> choices) {
        return new Expected(Task.CHOICE, String.valueOf(letter), List.copyOf(choices), letter, null);
    }

    public static Expected time(TimeSpan span) {
        return new Expected(Task.TIME, span.toString(), List.of(), '\0', span);
    }
}
