package io.qwen3vl.engine.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Aggregates evaluation results: accuracy per task (exact match and F1 for text, letter accuracy
 * for choices, accuracy within tolerance, absolute error and IoU for times), latency (mean, median,
 * 90th percentile, linear interpolation between ranks) and decoding speed (completion tokens over
 * decode time, summed over items). Items whose {@code meta} has a {@code needle} object
 * ({@code {"length_s", "depth", "question"}}) also get a depth × length accuracy table per question.
 */
public final class EvalReport {
    private final List<EvalResult> results;

    private EvalReport(List<EvalResult> results) {
        this.results = List.copyOf(results);
    }

    public static EvalReport of(List<EvalResult> results) {
        return new EvalReport(results);
    }

    /** Per-task numbers. */
    public record TaskStats(Expected.Task task, int items, int correct, int unparsed, Double meanF1,
            Double meanAbsError, Double medianAbsError, Double meanIou) {
        public double accuracy() {
            return items == 0 ? 0 : (double) correct / items;
        }
    }

    public List<TaskStats> tasks() {
        List<TaskStats> out = new ArrayList<>();
        for (Expected.Task t : Expected.Task.values()) {
            List<Score> scores = new ArrayList<>();
            for (EvalResult r : results) {
                if (r.ok() && r.task() == t) {
                    scores.add(r.score());
                }
            }
            if (scores.isEmpty()) {
                continue;
            }
            int correct = (int) scores.stream().filter(Score::correct).count();
            int unparsed = t == Expected.Task.TEXT ? 0 : (int) scores.stream().filter(s -> s.parsed() == null).count();
            out.add(new TaskStats(t, scores.size(), correct, unparsed,
                    mean(scores.stream().map(Score::f1).toList()),
                    mean(scores.stream().map(Score::absError).toList()),
                    percentile(values(scores.stream().map(Score::absError).toList()), 50),
                    mean(scores.stream().map(Score::iou).toList())));
        }
        return out;
    }

    public int errors() {
        return (int) results.stream().filter(r -> !r.ok()).count();
    }

    public int answered() {
        return results.size() - errors();
    }

    public double accuracy() {
        int n = answered();
        return n == 0 ? 0 : (double) results.stream().filter(r -> r.ok() && r.score().correct()).count() / n;
    }

    /** Latency percentile in milliseconds over answered items (NaN when none). */
    public double latencyPercentile(double p) {
        Double v = percentile(latencies(), p);
        return v == null ? Double.NaN : v;
    }

    public double meanLatency() {
        double[] l = latencies();
        return l.length == 0 ? Double.NaN : Arrays.stream(l).average().orElse(Double.NaN);
    }

    /** Completion tokens per second of decoding, over all answered items. */
    public double tokensPerSecond() {
        double tokens = 0;
        double ms = 0;
        for (EvalResult r : results) {
            if (r.ok()) {
                tokens += r.usage().completionTokens();
                ms += r.usage().decodeMs();
            }
        }
        return ms <= 0 ? 0 : tokens / (ms / 1000);
    }

    /** Needle accuracy per question kind: question → depth → length → {correct, total}. */
    public Map<String, Map<Double, Map<Double, int[]>>> needleGrid() {
        Map<String, Map<Double, Map<Double, int[]>>> grid = new TreeMap<>();
        for (EvalResult r : results) {
            if (r.meta() == null || !r.meta().has("needle") || !r.meta().get("needle").isJsonObject()) {
                continue;
            }
            JsonObject n = r.meta().getAsJsonObject("needle");
            String q = n.has("question") ? n.get("question").getAsString() : r.task().name().toLowerCase(Locale.ROOT);
            int[] cell = grid.computeIfAbsent(q, k -> new TreeMap<>())
                    .computeIfAbsent(n.get("depth").getAsDouble(), k -> new TreeMap<>())
                    .computeIfAbsent(n.get("length_s").getAsDouble(), k -> new int[2]);
            cell[0] += r.ok() && r.score().correct() ? 1 : 0;
            cell[1]++;
        }
        return grid;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("items", results.size());
        o.addProperty("answered", answered());
        o.addProperty("errors", errors());
        o.addProperty("accuracy", r4(accuracy()));
        JsonObject tasks = new JsonObject();
        for (TaskStats t : tasks()) {
            JsonObject j = new JsonObject();
            j.addProperty("items", t.items());
            j.addProperty("correct", t.correct());
            j.addProperty("accuracy", r4(t.accuracy()));
            if (t.task() != Expected.Task.TEXT) {
                j.addProperty("unparsed", t.unparsed());
            }
            put(j, "exact_match", t.task() == Expected.Task.TEXT ? t.accuracy() : null);
            put(j, "mean_f1", t.meanF1());
            put(j, "mean_abs_error_s", t.meanAbsError());
            put(j, "median_abs_error_s", t.medianAbsError());
            put(j, "mean_iou", t.meanIou());
            tasks.add(t.task().name().toLowerCase(Locale.ROOT), j);
        }
        o.add("tasks", tasks);
        JsonObject latency = new JsonObject();
        put(latency, "mean", nanToNull(meanLatency()));
        put(latency, "median", nanToNull(latencyPercentile(50)));
        put(latency, "p90", nanToNull(latencyPercentile(90)));
        o.add("latency_ms", latency);
        o.addProperty("tokens_per_second", r4(tokensPerSecond()));
        Map<String, Map<Double, Map<Double, int[]>>> grid = needleGrid();
        if (!grid.isEmpty()) {
            JsonObject needle = new JsonObject();
            grid.forEach((q, rows) -> {
                JsonArray cells = new JsonArray();
                rows.forEach((depth, cols) -> cols.forEach((length, c) -> {
                    JsonObject cell = new JsonObject();
                    cell.addProperty("depth", depth);
                    cell.addProperty("length_s", length);
                    cell.addProperty("correct", c[0]);
                    cell.addProperty("items", c[1]);
                    cells.add(cell);
                }));
                needle.add(q, cells);
            });
            o.add("needle", needle);
        }
        return o;
    }

    public String toJsonText() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(toJson()) + "\n";
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder("# Evaluation report\n\n");
        md.append("| task | items | accuracy | details |\n|---|---:|---:|---|\n");
        for (TaskStats t : tasks()) {
            md.append("| ").append(t.task().name().toLowerCase(Locale.ROOT)).append(" | ").append(t.items())
                    .append(" | ").append(percent(t.accuracy())).append(" | ").append(details(t)).append(" |\n");
        }
        md.append("| **all** | ").append(answered()).append(" | ").append(percent(accuracy())).append(" | ")
                .append(errors()).append(errors() == 1 ? " item" : " items").append(" failed |\n\n");
        md.append("| latency mean | median | p90 | tokens/s |\n|---:|---:|---:|---:|\n");
        md.append("| ").append(ms(meanLatency())).append(" | ").append(ms(latencyPercentile(50))).append(" | ")
                .append(ms(latencyPercentile(90))).append(" | ")
                .append(String.format(Locale.ROOT, "%.1f", tokensPerSecond())).append(" |\n");
        needleGrid().forEach((q, rows) -> {
            TreeSet<Double> lengths = new TreeSet<>();
            rows.values().forEach(cols -> lengths.addAll(cols.keySet()));
            md.append("\n## Needle in a video haystack: ").append(q).append(" question\n\n| depth \\ length |");
            lengths.forEach(l -> md.append(' ').append(number(l)).append(" s |"));
            md.append("\n|---|");
            lengths.forEach(l -> md.append("---:|"));
            md.append('\n');
            rows.forEach((depth, cols) -> {
                md.append("| ").append(number(depth * 100)).append("% |");
                for (Double l : lengths) {
                    int[] c = cols.get(l);
                    md.append(' ').append(c == null ? "–" : percent((double) c[0] / c[1]) + " (" + c[0] + "/" + c[1] + ")")
                            .append(" |");
                }
                md.append('\n');
            });
        });
        return md.toString();
    }

    private static String details(TaskStats t) {
        switch (t.task()) {
            case TEXT:
                return String.format(Locale.ROOT, "exact match %s, F1 %.3f", percent(t.accuracy()), t.meanF1());
            case CHOICE:
                return "unparsed " + t.unparsed();
            case TIME:
            default:
                StringBuilder s = new StringBuilder();
                if (t.meanAbsError() != null) {
                    s.append(String.format(Locale.ROOT, "mean error %.2f s, median %.2f s", t.meanAbsError(),
                            t.medianAbsError()));
                }
                if (t.meanIou() != null) {
                    s.append(s.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "mean IoU %.3f", t.meanIou()));
                }
                return s.append(s.length() > 0 ? ", " : "").append("unparsed ").append(t.unparsed()).toString();
        }
    }

    private double[] latencies() {
        return results.stream().filter(EvalResult::ok).mapToDouble(r -> r.usage().latencyMs()).toArray();
    }

    private static double[] values(List<Double> xs) {
        return xs.stream().filter(x -> x != null).mapToDouble(Double::doubleValue).toArray();
    }

    private static Double mean(List<Double> xs) {
        double[] v = values(xs);
        return v.length == 0 ? null : Arrays.stream(v).average().orElseThrow();
    }

    /** The p-th percentile with linear interpolation between closest ranks (numpy's default). */
    static Double percentile(double[] values, double p) {
        if (values.length == 0) {
            return null;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        double rank = p / 100 * (v.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return v[lo] + (v[hi] - v[lo]) * (rank - lo);
    }

    private static String percent(double x) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * x);
    }

    private static String ms(double x) {
        return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.0f ms", x);
    }

    private static String number(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.format(Locale.ROOT, "%.1f", x);
    }

    private static Double nanToNull(double x) {
        return Double.isNaN(x) ? null : x;
    }

    private static double r4(double x) {
        return Math.rint(x * 1e4) / 1e4;
    }

    private static void put(JsonObject o, String name, Double v) {
        if (v != null) {
            o.addProperty(name, r4(v));
        }
    }
}
