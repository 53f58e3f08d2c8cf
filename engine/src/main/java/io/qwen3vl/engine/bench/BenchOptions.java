package io.qwen3vl.engine.bench;

import ai.djl.ndarray.types.DataType;
import io.qwen3vl.models.Precision;
import io.qwen3vl.engine.generate.ChunkedPrefill;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a benchmark run measures and how hard. Exactly one of {@code randomSize} (synthetic weights
 * of a released configuration: 2B, 4B, 8B) and {@code modelDir} (a checkpoint folder) is set.
 *
 * @param precision       how the model holds and computes its numbers (fp32, fp16, int8)
 * @param prefillLengths  prompt lengths whose prefill is timed (text only)
 * @param decodeContexts  cache lengths at which single-token decode steps are timed
 * @param decodeSteps     timed decode steps per context (after eight untimed steps per warm-up run)
 * @param repeats         timed runs of every other phase; the median is reported
 * @param warmups         untimed runs before timing
 * @param bandwidthBytes  bytes each bandwidth probe reads per pass
 * @param threads         threads of the Java bandwidth probe (all cores by default)
 * @param gemmRows        rows of the GEMM-peak products (prefill-sized)
 * @param imageSize       side of the square test image in pixels (a multiple of 32)
 * @param videoSeconds    length of the test video; its grid follows the default video budget
 * @param prefillChunk    longest chunk the video prompt is prefilled in
 */
public record BenchOptions(
        String randomSize,
        Path modelDir,
        Precision precision,
        String device,
        int[] prefillLengths,
        int[] decodeContexts,
        int decodeSteps,
        int repeats,
        int warmups,
        long bandwidthBytes,
        int threads,
        int gemmRows,
        int imageSize,
        double videoSeconds,
        double videoFps,
        int videoWidth,
        int videoHeight,
        int prefillChunk,
        long seed) {

    public BenchOptions {
        if ((randomSize == null) == (modelDir == null)) {
            throw new IllegalArgumentException("give exactly one of --random SIZE and --model DIR");
        }
        if (precision == null) {
            throw new IllegalArgumentException("no precision given");
        }
        positive("prefill length", prefillLengths);
        positive("decode context", decodeContexts);
        if (decodeSteps < 1 || repeats < 1 || warmups < 0 || threads < 1 || gemmRows < 1 || prefillChunk < 1) {
            throw new IllegalArgumentException("decode steps, repeats, threads, GEMM rows and prefill chunk must be "
                    + "positive and warm-ups not negative");
        }
        if (bandwidthBytes < 1 << 20) {
            throw new IllegalArgumentException("the bandwidth probe needs at least 1 MiB, got " + bandwidthBytes + " bytes");
        }
        if (imageSize < 32 || imageSize % 32 != 0) {
            throw new IllegalArgumentException("image size must be a positive multiple of 32, got " + imageSize);
        }
        prefillLengths = prefillLengths.clone();
        decodeContexts = decodeContexts.clone();
    }

    private static void positive(String what, int[] values) {
        if (values.length == 0 || Arrays.stream(values).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException("each " + what + " must be positive, got " + Arrays.toString(values));
        }
    }

    /** The label of the weights in reports: "random 2B" or the folder name. */
    public String modelLabel() {
        return randomSize != null ? "random " + randomSize.toUpperCase(java.util.Locale.ROOT)
                : String.valueOf(modelDir.getFileName());
    }

    /** The compute dtype: activations and the GEMM peak (the KV cache's is {@code precision().kvCacheType()}). */
    public DataType dtype() {
        return precision.dtype();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults measure what the issue asks for: prefill at 512 and 2,048 tokens, decode at 1K and 8K,
     * a 448×448 image, a 30-second 1280×720 video at 30 fps, 1 GiB bandwidth reads, 3 repeats.
     */
    public static final class Builder {
        private String randomSize;
        private Path modelDir;
        private Precision precision = Precision.FP32;
        private String device = "cpu";
        private int[] prefillLengths = {512, 2048};
        private int[] decodeContexts = {1024, 8192};
        private int decodeSteps = 16;
        private int repeats = 3;
        private int warmups = 1;
        private long bandwidthBytes = 1L << 30;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int gemmRows = 512;
        private int imageSize = 448;
        private double videoSeconds = 30;
        private double videoFps = 30;
        private int videoWidth = 1280;
        private int videoHeight = 720;
        private int prefillChunk = ChunkedPrefill.DEFAULT_CHUNK; // as the engine prefills prompts
        private long seed = 1234;

        /**
         * A short run: one repeat, 512-token prefill, decode at 1K only, a 4-second 640×360 video.
         * Machine limits are still measured in full.
         */
        public Builder quick() {
            repeats = 1;
            prefillLengths = new int[] {512};
            decodeContexts = new int[] {1024};
            decodeSteps = 8;
            videoSeconds = 4;
            videoWidth = 640;
            videoHeight = 360;
            return this;
        }

        public Builder random(String size) {
            this.randomSize = size;
            return this;
        }

        public Builder model(Path dir) {
            this.modelDir = dir;
            return this;
        }

        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        public Builder device(String device) {
            this.device = device;
            return this;
        }

        public Builder prefillLengths(int... lengths) {
            this.prefillLengths = lengths;
            return this;
        }

        public Builder decodeContexts(int... contexts) {
            this.decodeContexts = contexts;
            return this;
        }

        public Builder decodeSteps(int steps) {
            this.decodeSteps = steps;
            return this;
        }

        public Builder repeats(int repeats) {
            this.repeats = repeats;
            return this;
        }

        public Builder warmups(int warmups) {
            this.warmups = warmups;
            return this;
        }

        public Builder bandwidthBytes(long bytes) {
            this.bandwidthBytes = bytes;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder gemmRows(int rows) {
            this.gemmRows = rows;
            return this;
        }

        public Builder imageSize(int pixels) {
            this.imageSize = pixels;
            return this;
        }

        public Builder video(double seconds, double fps, int width, int height) {
            this.videoSeconds = seconds;
            this.videoFps = fps;
            this.videoWidth = width;
            this.videoHeight = height;
            return this;
        }

        public Builder prefillChunk(int tokens) {
            this.prefillChunk = tokens;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public BenchOptions build() {
            return new BenchOptions(randomSize, modelDir, precision, device, prefillLengths, decodeContexts, decodeSteps,
                    repeats, warmups, bandwidthBytes, threads, gemmRows, imageSize, videoSeconds, videoFps, videoWidth,
                    videoHeight, prefillChunk, seed);
        }
    }
}
