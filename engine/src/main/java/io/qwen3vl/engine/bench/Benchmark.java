package io.qwen3vl.engine.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.engine.fusion.MediaEncoder;
import io.qwen3vl.engine.fusion.VisionFeatures;
import io.qwen3vl.engine.generate.ChunkedPrefill;
import io.qwen3vl.engine.sequence.RopeIndex;
import io.qwen3vl.engine.sequence.SpecialTokens;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.models.Qwen3VL;
import io.qwen3vl.models.checkpoint.RandomWeights;
import io.qwen3vl.models.config.ModelConfig;
import io.qwen3vl.models.config.RealConfigs;
import io.qwen3vl.models.config.VisionConfig;
import io.qwen3vl.models.nn.kernel.MatVec;
import io.qwen3vl.models.text.KvCache;
import io.qwen3vl.models.vision.GridThw;
import io.qwen3vl.models.vision.VisionOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Runs every phase of {@link BenchOptions} against one model and collects a {@link BenchReport}:
 * load, text prefill (each prompt's own peak memory), decode at each context, the vision encoder
 * on an image, the time to first token of a video question, and then, with the model closed, this
 * machine's limits (memory bandwidth, GEMM peak) that the phases are held against. Probing last
 * keeps the probes' buffers out of the model's peak memory.
 *
 * <p>Inputs are synthetic (random token ids and pixel values): timings depend on shapes, not
 * values. Decode contexts are reached by writing random keys and values into the KV cache
 * ({@link KvCache#fillRandom}) instead of running an 8K prefill first; attention then reads exactly
 * as many cached bytes as after a real prompt.
 */
public final class Benchmark {
    private final BenchOptions options;
    private final Consumer<String> log;
    private final Random random;
    /** Highest RSS seen before a phase reset the high-water mark to measure its own peak. */
    private long runPeak;

    private Benchmark(BenchOptions options, Consumer<String> log) {
        this.options = options;
        // Each phase line carries the resident memory at its start: where memory goes is half the story.
        this.log = line -> log.accept(String.format(java.util.Locale.ROOT, "%s (RSS %.2f GiB)", line,
                ProcessMemory.rssBytes() / (double) (1L << 30)));
        this.random = new Random(options.seed());
    }

    /** Runs the whole benchmark; {@code log} receives one line per phase as it starts. */
    public static BenchReport run(BenchOptions options, Consumer<String> log) {
        return new Benchmark(options, log).run();
    }

    private BenchReport run() {
        ModelConfig config = options.randomSize() != null
                ? RealConfigs.of(options.randomSize()) : ModelConfig.load(options.modelDir());
        Device device = Qwen3VL.resolveDevice(options.device());
        BenchReport.Builder report = new BenchReport.Builder(options, config, device);
        report.decodeKernel(device.isGpu() ? "djl (GPU)" : MatVec.describe());

        log.accept("load: " + options.modelLabel() + " in " + options.precision());
        long start = System.nanoTime();
        Qwen3VL model = options.randomSize() != null
                ? Qwen3VL.load(new RandomWeights(options.modelLabel(), config, options.seed()), config, device,
                        options.precision())
                : Qwen3VL.load(options.modelDir(), options.device(), options.precision());
        try (model) {
            report.load(new BenchReport.Load(Stats.seconds(start), ProcessMemory.rssBytes(),
                    FlopCounter.parameters(config)));
            boolean vision = config.vision() != null && hasVision(model);
            // Text first: a prompt's memory is measured before the vision phases have grown the heap.
            for (int len : options.prefillLengths()) {
                log.accept("prefill: " + len + " tokens");
                report.prefill(prefill(model, len));
            }
            for (int context : options.decodeContexts()) {
                log.accept("decode: context " + context);
                report.decode(decode(model, context, device.isGpu()));
            }
            if (vision) {
                log.accept("vision: " + options.imageSize() + "x" + options.imageSize() + " image");
                report.image(image(model));
                log.accept("time to first token: " + options.videoSeconds() + " s video question");
                report.videoQuestion(videoQuestion(model));
            }
        }
        // Read before the probes below, whose buffers are not the model's.
        report.peakRss(Math.max(runPeak, ProcessMemory.peakRssBytes()));
        log.accept("machine: memory bandwidth (" + options.bandwidthBytes() / (1 << 20) + " MiB reads, "
                + options.threads() + " threads)");
        int probePasses = Math.max(3, options.repeats());
        try (NDManager probe = NDManager.newBaseManager(device, "PyTorch")) {
            report.bandwidth(MemoryBandwidth.measure(options.bandwidthBytes(), options.threads(), probePasses, probe));
            log.accept("machine: GEMM peak in " + options.dtype());
            report.gemm(GemmPeak.measure(probe, options.dtype(), config.text(), options.gemmRows(), probePasses));
        }

        return report.build();
    }

    private static boolean hasVision(Qwen3VL model) {
        try {
            model.vision();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private BenchReport.Vision image(Qwen3VL model) {
        VisionConfig vc = model.config().vision();
        int side = options.imageSize() / vc.patchSize();
        GridThw grid = new GridThw(1, side, side);
        double[] seconds = new double[options.repeats()];
        for (int r = -options.warmups(); r < options.repeats(); r++) {
            try (NDManager request = model.newRequestManager()) {
                NDArray pixels = pixels(request, model, grid);
                long start = System.nanoTime();
                VisionOutput out = model.vision().forward(pixels, List.of(grid));
                Stats.await(out.embeds());
                if (r >= 0) {
                    seconds[r] = Stats.seconds(start);
                }
            }
        }
        return new BenchReport.Vision("image", grid, Stats.median(seconds), FlopCounter.vision(vc, List.of(grid)));
    }

    private NDArray pixels(NDManager request, Qwen3VL model, GridThw grid) {
        VisionConfig vc = model.config().vision();
        long patchDim = (long) vc.inChannels() * vc.temporalPatchSize() * vc.patchSize() * vc.patchSize();
        return request.randomUniform(-1f, 1f, new Shape(grid.patches(), patchDim), model.dtype());
    }

    private BenchReport.Prefill prefill(Qwen3VL model, int len) {
        runPeak = Math.max(runPeak, ProcessMemory.peakRssBytes());
        NativeHeap.trim(); // what earlier phases freed goes back first: the prompt's own footprint
        boolean measured = ProcessMemory.resetPeak(); // this phase's own peak, for its memory budget
        double[] seconds = new double[options.repeats()];
        long[][] positions = textPositions(len);
        for (int r = -options.warmups(); r < options.repeats(); r++) {
            int[] ids = randomIds(len, model);
            try (NDManager request = model.newRequestManager()) {
                KvCache cache = model.text().newCache(len, request);
                long start = System.nanoTime();
                NDArray embeds = model.embed(ids, null, null, request);
                NDArray last = ChunkedPrefill.run(model, embeds, positions, cache, new long[0], List.of(),
                        options.prefillChunk(), request);
                model.text().logits(last).argMax().getLong();
                if (r >= 0) {
                    seconds[r] = Stats.seconds(start);
                }
            }
        }
        long peak = ProcessMemory.peakRssBytes();
        runPeak = Math.max(runPeak, peak);
        ModelConfig config = model.config();
        long budget = FlopCounter.weightBytes(config, model.precision())
                + FlopCounter.kvBytes(config.text(), model.text().cacheType(), len) + (1L << 30);
        return new BenchReport.Prefill(len, Stats.median(seconds), FlopCounter.text(config.text(), 0, len, 1),
                measured ? peak : -1, budget);
    }

    /**
     * Untimed decode steps per warm-up run. A step is short, and the decode kernel's methods reach
     * their final compiled form only over several of them: in an int8 run at 1K context, after one
     * warm-up step the next seven took 87–144 ms against 77–86 for the steps after them, enough to
     * move a median of 24 steps by several percent.
     */
    static final int DECODE_STEPS_PER_WARMUP = 8;

    /** Most bytes of the bandwidth probe read beside decode steps: far beyond any cache, 10–20 ms a pass. */
    static final long DECODE_PROBE_BYTES = 512L << 20;
    /** Untimed passes of that probe before the first timed one. */
    static final int PROBE_WARMUPS = 3;
    /** Timed decode steps per probe pass beside them. */
    static final int STEPS_PER_PROBE = 4;

    /**
     * Decode steps at {@code context} cached tokens; off a GPU a pass of a bandwidth probe before
     * every {@link #STEPS_PER_PROBE} timed steps, whose best rate is the bandwidth of the same
     * minutes (see {@link MemoryBandwidth.Stream}).
     */
    private BenchReport.Decode decode(Qwen3VL model, int context, boolean gpu) {
        int steps = options.decodeSteps();
        int warmupSteps = options.warmups() * DECODE_STEPS_PER_WARMUP;
        double[] seconds = new double[steps];
        double beside = 0;
        long heapBytes = 0;
        try (NDManager request = model.newRequestManager()) {
            KvCache cache = model.text().newCache(context + warmupSteps + steps, request);
            cache.fillRandom(context);
            runPeak = Math.max(runPeak, ProcessMemory.peakRssBytes()); // the decode's memory, before the probe's
            long probeBytes = Math.min(DECODE_PROBE_BYTES, options.bandwidthBytes());
            try (MemoryBandwidth.Stream probe = gpu ? null
                    : MemoryBandwidth.Stream.open(probeBytes, options.threads(), request)) {
                for (int w = 0; probe != null && w < PROBE_WARMUPS; w++) {
                    probe.pass(); // untimed: lets the JIT compile the probe's loop
                }
                int next = randomIds(1, model)[0];
                for (int s = -warmupSteps; s < steps; s++) {
                    if (probe != null && s >= 0 && s % STEPS_PER_PROBE == 0) {
                        beside = Math.max(beside, probe.pass());
                    }
                    HeapAllocation.Window heap = HeapAllocation.open();
                    long start = System.nanoTime();
                    try (NDManager step = request.newSubManager()) {
                        long p = cache.length();
                        NDArray hidden = model.forward(model.embed(new int[] {next}, null, null, step),
                                new long[][] {{p}, {p}, {p}}, cache, null, null);
                        next = (int) model.text().logits(hidden).argMax().getLong();
                    }
                    if (s >= 0) {
                        seconds[s] = Stats.seconds(start);
                        heapBytes = heap == null ? -1 : heapBytes + heap.bytes();
                    }
                }
            }
        }
        // The probe's buffer is not the model's memory: later phases measure their peaks without it.
        NativeHeap.trim();
        ProcessMemory.resetPeak();
        ModelConfig config = model.config();
        return new BenchReport.Decode(context, Stats.median(seconds),
                FlopCounter.decodeWeightBytes(config, model.precision()),
                FlopCounter.kvBytes(config.text(), model.text().cacheType(), context), beside,
                heapBytes < 0 ? -1 : heapBytes / steps);
    }

    private BenchReport.VideoQuestion videoQuestion(Qwen3VL model) {
        ModelConfig config = model.config();
        VisionConfig vc = config.vision();
        BenchVideo video = BenchVideo.of(options.videoSeconds(), options.videoFps(), options.videoWidth(),
                options.videoHeight());
        SpecialTokens special = new SpecialTokens(config.visionStartTokenId(), config.visionEndTokenId(),
                config.imageTokenId(), config.videoTokenId());
        TokenSequence sequence = VideoQuestion.build(video, special, vc.spatialMergeSize());
        RopeIndex rope = RopeIndex.of(sequence);
        GridThw grid = video.grid();
        double[] visionSeconds = new double[options.repeats()];
        double[] prefillSeconds = new double[options.repeats()];
        // The image and prefill phases already warmed both halves up; a 30 s video is too costly to repeat idly.
        for (int r = 0; r < options.repeats(); r++) {
            try (NDManager request = model.newRequestManager()) {
                // Encoded as the engine encodes a video: chunks of temporal patches (MediaEncoder).
                int step = MediaEncoder.temporalStep(grid.t(), grid.patchesPerFrame(),
                        MediaEncoder.DEFAULT_CHUNK_PATCHES);
                List<NDArray> chunkPixels = new ArrayList<>();
                List<GridThw> chunkGrids = new ArrayList<>();
                for (int from = 0; from < grid.t(); from += step) {
                    GridThw part = new GridThw(Math.min(step, grid.t() - from), grid.h(), grid.w());
                    chunkGrids.add(part);
                    chunkPixels.add(pixels(request, model, part));
                }
                long start = System.nanoTime();
                List<VisionOutput> parts = new ArrayList<>();
                for (int c = 0; c < chunkGrids.size(); c++) {
                    parts.add(model.vision().forward(chunkPixels.get(c), List.of(chunkGrids.get(c))));
                    chunkPixels.get(c).close();
                }
                VisionOutput out = VisionOutput.concat(parts);
                Stats.await(out.embeds());
                visionSeconds[r] = Stats.seconds(start);
                start = System.nanoTime();
                VisionFeatures features = VisionFeatures.assemble(sequence, List.of(), List.of(out));
                KvCache cache = model.text().newCache(sequence.length(), request);
                long[] rows = sequence.visionPositions();
                NDArray embeds = model.embed(sequence.ids(), rows, features.embeds(), request);
                NDArray last = ChunkedPrefill.run(model, embeds, rope.positions(), cache, rows,
                        features.deepStack(), options.prefillChunk(), request);
                model.text().logits(last).argMax().getLong();
                prefillSeconds[r] = Stats.seconds(start);
            }
        }
        BenchReport.Vision visionPhase = new BenchReport.Vision("video", grid, Stats.median(visionSeconds),
                FlopCounter.vision(vc, List.of(grid)));
        return new BenchReport.VideoQuestion(video, visionPhase, sequence.length(), Stats.median(prefillSeconds),
                FlopCounter.text(config.text(), 0, sequence.length(), 1));
    }

    private int[] randomIds(int len, Qwen3VL model) {
        // Ordinary text tokens only: ids below the first special token (151643).
        int bound = Math.min(model.config().text().vocabSize(), 151643);
        int[] ids = new int[len];
        for (int i = 0; i < len; i++) {
            ids[i] = random.nextInt(bound);
        }
        return ids;
    }

    private static long[][] textPositions(int len) {
        long[] p = new long[len];
        for (int i = 0; i < len; i++) {
            p[i] = i;
        }
        return new long[][] {p, p, p};
    }
}
