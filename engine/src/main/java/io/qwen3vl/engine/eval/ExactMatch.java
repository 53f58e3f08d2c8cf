package io.qwen3vl.engine.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SQuAD-style answer comparison: lower-case, punctuation removed, articles (a, an, the) removed,
 * whitespace collapsed; then exact match or token F1.
 */
public final class ExactMatch {
    private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}|\\p{S}");
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");

    private ExactMatch() {
    }

    public static String normalize(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        s = PUNCTUATION.matcher(s).replaceAll("");
        s = ARTICLES.matcher(s).replaceAll(" ");
        return String.join(" ", s.trim().split("\\s+")).trim();
    }

    public static boolean matches(String prediction, String expected) {
        return normalize(prediction).equals(normalize(expected));
    }

    /** Harmonic mean of token precision and recall after normalising (1 for two empty answers). */
    public static double f1(String prediction, String expected) {
        List<String> p = tokens(prediction);
        List<String> e = tokens(expected);
        if (p.isEmpty() || e.isEmpty()) {
            return p.isEmpty() && e.isEmpty() ? 1 : 0;
        }
        Map<String, Integer> counts = new HashMap<>();
        e.forEach(t -> counts.merge(t, 1, Integer::sum));
        int common = 0;
        for (String t : p) {
            Integer c = counts.get(t);
            if (c != null && c > 0) {
                common++;
                counts.put(t, c - 1);
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = (double) common / p.size();
        double recall = (double) common / e.size();
        return 2 * precision * recall / (precision + recall);
    }

    private static List<String> tokens(String text) {
        String n = normalize(text);
        return n.isEmpty() ? List.of() : Arrays.asList(n.split(" "));
    }
}
