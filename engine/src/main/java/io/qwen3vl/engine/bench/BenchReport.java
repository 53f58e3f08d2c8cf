package io.qwen3vl.engine.bench;

import ai.djl.Device;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.qwen3vl.models.Precision;
import io.qwen3vl.models.config.ModelConfig;
import io.qwen3vl.models.vision.GridThw;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one benchmark run with their ratios to this machine's limits, as a table for
 * people ({@link #toTable()}) and a JSON object for scripts ({@link #toJson()}). The JSON carries
 * {@code memory_bandwidth_bytes_per_s}, {@code gemm_peak_flops}, {@code decode_roofline_fraction},
 * {@code prefill_peak_fraction}, {@code vision_peak_fraction} and {@code peak_rss_bytes} at its
 * top level (the headline: decode at the first context, prefill at the longest prompt, vision on
 * the image) and again inside each phase.
 */
public final class BenchReport {
    /** Loading the weights: wall time and resident memory right after. */
    public record Load(double seconds, long rssBytes, long parameters) {
    }

    /** One vision-encoder run (median time). */
    public record Vision(String input, GridThw grid, double seconds, double flops) {
        public double patchesPerSecond() {
            return grid.patches() / seconds;
        }
    }

    /**
     * Text-only prefill of {@code tokens} tokens, first logits included (median time), and the
     * process's peak RSS during the phase (-1 where it cannot be measured) against the budget of
     * weights + KV cache + 1 GiB.
     */
    public record Prefill(int tokens, double seconds, double flops, long peakRssBytes, long budgetBytes) {
        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /**
     * One decode step at {@code context} cached tokens (median time) and the bytes it must read;
     * {@code besideBytesPerSecond}, the best pass of the bandwidth probe read between its steps (0
     * where none was: on a GPU); {@code heapBytesPerToken}, the Java heap a timed step allocated on
     * average (-1 where the JVM does not count it; see {@link HeapAllocation}).
     */
    public record Decode(int context, double secondsPerToken, long weightBytes, long kvBytes,
                         double besideBytesPerSecond, long heapBytesPerToken) {
        public double tokensPerSecond() {
            return 1 / secondsPerToken;
        }
    }

    /** Time to first token of a question about a video: vision encoder, then prefill of the whole prompt. */
    public record VideoQuestion(BenchVideo video, Vision vision, int promptTokens, double prefillSeconds,
                                double prefillFlops) {
        public double seconds() {
            return vision.seconds() + prefillSeconds;
        }
    }

    private final BenchOptions options;
    private final ModelConfig config;
    private final Device device;
    private final MemoryBandwidth bandwidth;
    private final GemmPeak gemm;
    private final Load load;
    private final Vision image;
    private final List<Prefill> prefill;
    private final List<Decode> decode;
    private final VideoQuestion video;
    private final long peakRss;
    private final String decodeKernel;

    private BenchReport(Builder b) {
        this.options = b.options;
        this.config = b.config;
        this.device = b.device;
        this.bandwidth = b.bandwidth;
        this.gemm = b.gemm;
        this.load = b.load;
        this.image = b.image;
        this.prefill = List.copyOf(b.prefill);
        this.decode = List.copyOf(b.decode);
        this.video = b.video;
        this.peakRss = b.peakRss;
        this.decodeKernel = b.decodeKernel;
    }

    /**
     * The bandwidth decode is held against: the better of the Java and native probes on the CPU;
     * on a GPU only the native probe reads device memory.
     */
    public double rooflineBytesPerSecond() {
        return device.isGpu() ? bandwidth.nativeBytesPerSecond() : bandwidth.bestBytesPerSecond();
    }

    /**
     * Decode's share of the bandwidth of its own minutes: the probe read between its steps where
     * there was one, else the run's. The run's probe comes minutes later, and on a shared VM the
     * bandwidth moves by half between the two (see {@link MemoryBandwidth.Stream}).
     */
    public double decodeRooflineFraction(Decode d) {
        return (d.weightBytes() + d.kvBytes()) / d.secondsPerToken() / decodeRoofline(d);
    }

    /** The bandwidth {@link #decodeRooflineFraction} holds {@code d} against. */
    public double decodeRoofline(Decode d) {
        return d.besideBytesPerSecond() > 0 ? d.besideBytesPerSecond() : rooflineBytesPerSecond();
    }

    /** Decode's share of the run's bandwidth probe, whatever was read beside it. */
    public double decodeRunFraction(Decode d) {
        return (d.weightBytes() + d.kvBytes()) / d.secondsPerToken() / rooflineBytesPerSecond();
    }

    public double peakFraction(double flops, double seconds) {
        return flops / seconds / gemm.flopsPerSecond();
    }

    public MemoryBandwidth bandwidth() {
        return bandwidth;
    }

    public GemmPeak gemm() {
        return gemm;
    }

    public Load load() {
        return load;
    }

    public List<Prefill> prefill() {
        return prefill;
    }

    public List<Decode> decode() {
        return decode;
    }

    public long peakRssBytes() {
        return peakRss;
    }

    private String kvCacheLabel() {
        return Precision.dtypeLabel(options.precision().kvCacheType());
    }

    /** The memory cell of a GPU run, whose RSS leaves out the device memory that holds the model. */
    static final String HOST_ONLY = "host memory only (weights and KV cache are on the GPU)";

    public JsonObject toJson() {
        JsonObject root = new JsonObject();
        JsonObject run = new JsonObject();
        run.addProperty("model", options.modelLabel());
        run.addProperty("dtype", options.precision().label());
        run.addProperty("device", device.toString());
        run.addProperty("cores", Runtime.getRuntime().availableProcessors());
        run.addProperty("repeats", options.repeats());
        run.addProperty("warmups", options.warmups());
        run.addProperty("parameters", load.parameters());
        run.addProperty("decode_kernel", decodeKernel);
        run.addProperty("kv_cache_dtype", kvCacheLabel());
        root.add("run", run);

        root.addProperty("memory_bandwidth_bytes_per_s", rooflineBytesPerSecond());
        root.addProperty("gemm_peak_flops", gemm.flopsPerSecond());
        if (!decode.isEmpty()) {
            root.addProperty("decode_roofline_fraction", decodeRooflineFraction(decode.get(0)));
        }
        if (!prefill.isEmpty()) {
            Prefill longest = prefill.get(prefill.size() - 1);
            root.addProperty("prefill_peak_fraction", peakFraction(longest.flops(), longest.seconds()));
        }
        if (image != null) {
            root.addProperty("vision_peak_fraction", peakFraction(image.flops(), image.seconds()));
        }
        root.addProperty("peak_rss_bytes", peakRss);

        JsonObject machine = new JsonObject();
        machine.addProperty("memory_bandwidth_bytes_per_s", rooflineBytesPerSecond());
        machine.addProperty("memory_bandwidth_java_bytes_per_s", bandwidth.javaBytesPerSecond());
        machine.addProperty("memory_bandwidth_vector_bytes_per_s", bandwidth.vectorBytesPerSecond());
        machine.addProperty("memory_bandwidth_ndarray_bytes_per_s", bandwidth.nativeBytesPerSecond());
        machine.addProperty("memory_bandwidth_read_bytes", bandwidth.bytes());
        machine.addProperty("memory_bandwidth_threads", bandwidth.threads());
        machine.addProperty("gemm_peak_flops", gemm.flopsPerSecond());
        machine.addProperty("gemm_dtype", Precision.dtypeLabel(gemm.dtype()));
        machine.addProperty("gemm_best_shape", gemm.bestShape());
        JsonObject shapes = new JsonObject();
        for (Map.Entry<String, Double> e : gemm.byShape().entrySet()) {
            shapes.addProperty(e.getKey(), e.getValue());
        }
        machine.add("gemm_flops_by_shape", shapes);
        root.add("machine", machine);

        JsonObject loadJson = new JsonObject();
        loadJson.addProperty("seconds", load.seconds());
        loadJson.addProperty("rss_bytes", load.rssBytes());
        root.add("load", loadJson);

        JsonObject visionJson = new JsonObject();
        if (image != null) {
            visionJson.add("image", visionJson(image));
        }
        if (video != null) {
            JsonObject v = visionJson(video.vision());
            v.addProperty("video_seconds", options.videoSeconds());
            v.addProperty("sampled_frames", video.video().sampledFrames());
            v.addProperty("frame_width", video.video().width());
            v.addProperty("frame_height", video.video().height());
            visionJson.add("video", v);
        }
        root.add("vision", visionJson);

        JsonArray prefillJson = new JsonArray();
        for (Prefill p : prefill) {
            JsonObject o = new JsonObject();
            o.addProperty("tokens", p.tokens());
            o.addProperty("seconds", p.seconds());
            o.addProperty("tokens_per_s", p.tokensPerSecond());
            o.addProperty("flops_per_s", p.flops() / p.seconds());
            o.addProperty("prefill_peak_fraction", peakFraction(p.flops(), p.seconds()));
            o.addProperty("peak_rss_bytes", p.peakRssBytes());
            o.addProperty("memory_budget_bytes", p.budgetBytes());
            // On a GPU the weights and the KV cache live in device memory: host RSS says nothing of the budget.
            o.add("within_memory_budget", device.isGpu() ? JsonNull.INSTANCE
                    : new JsonPrimitive(p.peakRssBytes() >= 0 && p.peakRssBytes() <= p.budgetBytes()));
            prefillJson.add(o);
        }
        root.add("prefill", prefillJson);

        JsonArray decodeJson = new JsonArray();
        for (Decode d : decode) {
            JsonObject o = new JsonObject();
            o.addProperty("context", d.context());
            o.addProperty("tokens_per_s", d.tokensPerSecond());
            o.addProperty("weight_bytes_per_token", d.weightBytes());
            o.addProperty("kv_bytes_per_token", d.kvBytes());
            o.addProperty("weight_bytes_per_s", d.weightBytes() / d.secondsPerToken());
            o.addProperty("bytes_per_s", (d.weightBytes() + d.kvBytes()) / d.secondsPerToken());
            o.addProperty("decode_roofline_fraction", decodeRooflineFraction(d));
            o.addProperty("roofline_bytes_per_s", decodeRoofline(d));
            o.addProperty("bandwidth_beside_bytes_per_s", d.besideBytesPerSecond());
            o.addProperty("run_bandwidth_fraction", decodeRunFraction(d));
            o.addProperty("heap_bytes_per_token", d.heapBytesPerToken());
            decodeJson.add(o);
        }
        root.add("decode", decodeJson);

        if (video != null) {
            JsonObject t = new JsonObject();
            t.addProperty("seconds", video.seconds());
            t.addProperty("vision_seconds", video.vision().seconds());
            t.addProperty("prefill_seconds", video.prefillSeconds());
            t.addProperty("prompt_tokens", video.promptTokens());
            t.addProperty("prefill_tokens_per_s", video.promptTokens() / video.prefillSeconds());
            t.addProperty("prefill_peak_fraction", peakFraction(video.prefillFlops(), video.prefillSeconds()));
            root.add("time_to_first_token_video", t);
        }
        JsonObject memory = new JsonObject();
        memory.addProperty("peak_rss_bytes", peakRss);
        root.add("memory", memory);
        return root;
    }

    private JsonObject visionJson(Vision v) {
        JsonObject o = new JsonObject();
        JsonArray grid = new JsonArray();
        grid.add(v.grid().t());
        grid.add(v.grid().h());
        grid.add(v.grid().w());
        o.add("grid_thw", grid);
        o.addProperty("patches", v.grid().patches());
        o.addProperty("seconds", v.seconds());
        o.addProperty("patches_per_s", v.patchesPerSecond());
        o.addProperty("flops_per_s", v.flops() / v.seconds());
        o.addProperty("vision_peak_fraction", peakFraction(v.flops(), v.seconds()));
        return o;
    }

    public String toJsonString() {
        return new GsonBuilder().setPrettyPrinting().create().toJson(toJson());
    }

    /** A fixed-width table: phase, measured figure, work rate, share of the machine limit. */
    public String toTable() {
        List<String[]> rows = rows();
        int[] width = new int[5];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s%n", title()));
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                out.append(String.format(Locale.ROOT, "%-" + width[i] + "s", r[i]));
                out.append(i < r.length - 1 ? "  " : "");
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }

    /**
     * The same table in Markdown, headed by the machine it ran on: the README's results table is
     * this output, pasted as it comes.
     */
    public String toMarkdown() {
        List<String[]> rows = rows();
        StringBuilder out = new StringBuilder();
        out.append("**").append(title()).append("**  \n");
        out.append(MachineInfo.describe()).append("\n\n");
        for (int r = 0; r < rows.size(); r++) {
            out.append('|');
            for (String cell : rows.get(r)) {
                out.append(' ').append(cell.strip().replace("|", "\\|")).append(" |");
            }
            out.append('\n');
            if (r == 0) {
                out.append("|---|---|---|---|---|\n");
            }
        }
        return out.toString();
    }

    private String title() {
        return String.format(Locale.ROOT, "%s, %s, KV cache %s, %s, %d cores, decode kernel: %s", options.modelLabel(),
                options.precision().label(), kvCacheLabel(), device, Runtime.getRuntime().availableProcessors(),
                decodeKernel);
    }

    private List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"phase", "time", "rate", "throughput", "of limit"});
        rows.add(new String[] {"memory bandwidth", "", "", gbs(rooflineBytesPerSecond()),
            String.format(Locale.ROOT, "java %s, vector %s, ndarray %s", gbs(bandwidth.javaBytesPerSecond()),
                    gbs(bandwidth.vectorBytesPerSecond()), gbs(bandwidth.nativeBytesPerSecond()))});
        rows.add(new String[] {"GEMM peak " + Precision.dtypeLabel(gemm.dtype()), "", gemm.bestShape(),
            gflops(gemm.flopsPerSecond()), ""});
        rows.add(new String[] {"load", secs(load.seconds()), "", "RSS " + gib(load.rssBytes()), ""});
        if (image != null) {
            rows.add(visionRow("vision image " + gridText(image.grid()), image));
        }
        if (video != null) {
            rows.add(visionRow("vision video " + gridText(video.vision().grid()), video.vision()));
        }
        for (Prefill p : prefill) {
            rows.add(new String[] {"prefill " + p.tokens(), secs(p.seconds()),
                String.format(Locale.ROOT, "%.1f tok/s", p.tokensPerSecond()), gflops(p.flops() / p.seconds()),
                pct(peakFraction(p.flops(), p.seconds())) + " of GEMM peak"});
            if (p.peakRssBytes() >= 0) {
                rows.add(new String[] {"  memory, prefill " + p.tokens(), "", "", "peak RSS " + gib(p.peakRssBytes()),
                    device.isGpu() ? HOST_ONLY : "budget " + gib(p.budgetBytes()) + " (weights + KV + 1 GiB)"});
            }
        }
        for (Decode d : decode) {
            rows.add(new String[] {"decode @" + d.context(), secs(d.secondsPerToken()),
                String.format(Locale.ROOT, "%.2f tok/s", d.tokensPerSecond()),
                gbs(d.weightBytes() / d.secondsPerToken()) + " weights",
                d.besideBytesPerSecond() > 0
                        ? pct(decodeRooflineFraction(d)) + " of " + gbs(d.besideBytesPerSecond()) + " read beside it ("
                                + pct(decodeRunFraction(d)) + " of the run's)"
                        : pct(decodeRooflineFraction(d)) + " of bandwidth"});
            if (d.heapBytesPerToken() >= 0) {
                rows.add(new String[] {"  heap, decode @" + d.context(), "", "",
                    kib(d.heapBytesPerToken()) + " allocated a token", ""});
            }
        }
        if (video != null) {
            rows.add(new String[] {"TTFT video " + video.promptTokens() + " tok", secs(video.seconds()),
                "vision " + secs(video.vision().seconds()) + " + prefill " + secs(video.prefillSeconds()),
                String.format(Locale.ROOT, "%.1f tok/s", video.promptTokens() / video.prefillSeconds()),
                pct(peakFraction(video.prefillFlops(), video.prefillSeconds())) + " of GEMM peak"});
        }
        rows.add(new String[] {"peak RSS", "", "", gib(peakRss), ""});
        return rows;
    }

    private String[] visionRow(String name, Vision v) {
        return new String[] {name, secs(v.seconds()),
            String.format(Locale.ROOT, "%.0f patches/s", v.patchesPerSecond()), gflops(v.flops() / v.seconds()),
            pct(peakFraction(v.flops(), v.seconds())) + " of GEMM peak"};
    }

    private static String gridText(GridThw g) {
        return "[" + g.t() + "," + g.h() + "," + g.w() + "]";
    }

    private static String secs(double s) {
        return s < 1 ? String.format(Locale.ROOT, "%.1f ms", s * 1e3) : String.format(Locale.ROOT, "%.2f s", s);
    }

    private static String gbs(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f GB/s", bytesPerSecond / 1e9);
    }

    private static String gflops(double flops) {
        return String.format(Locale.ROOT, "%.1f GFLOP/s", flops / 1e9);
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /** Collects the phases as {@link Benchmark} measures them. */
    static final class Builder {
        private final BenchOptions options;
        private final ModelConfig config;
        private final Device device;
        private MemoryBandwidth bandwidth;
        private GemmPeak gemm;
        private Load load;
        private Vision image;
        private final List<Prefill> prefill = new ArrayList<>();
        private final List<Decode> decode = new ArrayList<>();
        private VideoQuestion video;
        private long peakRss;
        private String decodeKernel = "djl";

        Builder(BenchOptions options, ModelConfig config, Device device) {
            this.options = options;
            this.config = config;
            this.device = device;
        }

        /** Which path one-row decode products took (the models' MatVec, or the backend). */
        void decodeKernel(String description) {
            decodeKernel = description;
        }

        void bandwidth(MemoryBandwidth b) {
            bandwidth = b;
        }

        void gemm(GemmPeak g) {
            gemm = g;
        }

        void load(Load l) {
            load = l;
        }

        void image(Vision v) {
            image = v;
        }

        void prefill(Prefill p) {
            prefill.add(p);
        }

        void decode(Decode d) {
            decode.add(d);
        }

        void videoQuestion(VideoQuestion v) {
            video = v;
        }

        void peakRss(long bytes) {
            peakRss = bytes;
        }

        BenchReport build() {
            return new BenchReport(this);
        }
    }
}
