package io.qwen3vl.engine.eval;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds which option letter a multiple-choice answer picks. Tried in order, first hit wins:
 * <ol>
 *   <li>an announced answer: "The answer is (B).", "Answer: C. because...", "option d";</li>
 *   <li>the whole answer is a letter, maybe wrapped: "B", "(D)", "b)", "C.";</li>
 *   <li>the answer starts with a letter and a separator: "C. A red star", "B) the cat";</li>
 *   <li>a letter in parentheses anywhere: "... so (B) fits";</li>
 *   <li>the answer repeats an option's text instead of its letter (normalised equality, then the
 *       longest option text the answer contains, when that option is the only one it contains);</li>
 *   <li>a capital letter standing alone: "I think it's A" (the pronoun "I" and the article "A"
 *       before a lower-case word are not read as letters).</li>
 * </ol>
 * Only letters of existing options count.
 */
public final class ChoiceParser {
    private static final Pattern ANNOUNCED = Pattern.compile(
            "(?i)\\b(?:answer|option|choice)(?:\\s+is)?\\s*[:\\-]?\\s*(?:option\\s+)?[(\\[]?([a-z])[)\\]]?(?![a-z])");
    private static final Pattern WHOLE = Pattern.compile("^[\\s(\\[*]*([A-Za-z])[\\s)\\].:*]*$");
    private static final Pattern LEADING = Pattern.compile("^[\\s*]*[(\\[]?([A-Za-z])[)\\].:](?:\\s|$)");
    private static final Pattern PARENTHESISED = Pattern.compile("[(\\[]([A-Z])[)\\]]");
    private static final Pattern STANDALONE = Pattern.compile("(?<![A-Za-z'’])([A-Z])(?![A-Za-z'’])");

    private ChoiceParser() {
    }

    /** The letter for option {@code index} (0 → A). */
    public static char letter(int index) {
        if (index < 0 || index >= 26) {
            throw new IllegalArgumentException("option index out of range: " + index);
        }
        return (char) ('A' + index);
    }

    /** The option letter the answer picks, if any. */
    public static Optional<Character> parse(String answer, List<String> choices) {
        int n = choices.size();
        Optional<Character> hit = first(ANNOUNCED, answer, n);
        if (hit.isEmpty()) {
            hit = first(WHOLE, answer, n);
        }
        if (hit.isEmpty()) {
            hit = first(LEADING, answer, n);
        }
        if (hit.isEmpty()) {
            hit = first(PARENTHESISED, answer, n);
        }
        if (hit.isEmpty()) {
            hit = byText(answer, choices);
        }
        if (hit.isEmpty()) {
            hit = standalone(answer, n);
        }
        return hit;
    }

    /** The option whose text the answer gives, by normalised equality or unique containment. */
    public static Optional<Character> byText(String answer, List<String> choices) {
        String a = ExactMatch.normalize(answer);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < choices.size(); i++) {
            if (ExactMatch.normalize(choices.get(i)).equals(a)) {
                return Optional.of(letter(i));
            }
        }
        int best = -1;
        int bestLength = 0;
        boolean tie = false;
        String padded = " " + a + " ";
        for (int i = 0; i < choices.size(); i++) {
            String c = ExactMatch.normalize(choices.get(i));
            if (!c.isEmpty() && padded.contains(" " + c + " ")) {
                if (c.length() > bestLength) {
                    best = i;
                    bestLength = c.length();
                    tie = false;
                } else if (c.length() == bestLength) {
                    tie = true;
                }
            }
        }
        if (best < 0 || tie) {
            return Optional.empty();
        }
        // Several options inside the answer ("red star, not blue star") say nothing unless one contains the other.
        String winner = ExactMatch.normalize(choices.get(best));
        for (int i = 0; i < choices.size(); i++) {
            String c = ExactMatch.normalize(choices.get(i));
            if (i != best && !c.isEmpty() && padded.contains(" " + c + " ") && !winner.contains(c)) {
                return Optional.empty();
            }
        }
        return Optional.of(letter(best));
    }

    private static Optional<Character> first(Pattern p, String answer, int n) {
        Matcher m = p.matcher(answer);
        while (m.find()) {
            char raw = m.group(1).charAt(0);
            if (Character.isLowerCase(raw) && answer.substring(m.end()).matches("(?s)\\s+[A-Za-z].*")) {
                continue; // "the answer is a red star": an article, not option A
            }
            char c = Character.toUpperCase(raw);
            if (c - 'A' < n) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static Optional<Character> standalone(String answer, int n) {
        Matcher m = STANDALONE.matcher(answer);
        while (m.find()) {
            char c = m.group(1).charAt(0);
            String rest = answer.substring(m.end());
            boolean wordFollows = rest.matches("(?s)\\s+[a-z].*");
            if ((c == 'I' || c == 'A') && wordFollows) {
                continue; // the pronoun "I think", the article "A cat"
            }
            if (c - 'A' < n) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
