package io.qwen3vl.engine.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.qwen3vl.engine.media.PreparedMedia;
import io.qwen3vl.engine.sequence.TokenSequence;
import io.qwen3vl.models.Qwen3VL;
import io.qwen3vl.models.vision.GridThw;
import io.qwen3vl.models.vision.VisionOutput;
import io.qwen3vl.vision.PatchGrid;
import io.qwen3vl.vision.VisualPatches;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the vision tower over a request's media. All images go through the encoder in one batch.
 * A video is encoded in chunks of temporal patches while a background thread decodes, resizes and
 * patchifies the next chunk, so frame decoding overlaps the encoder and only two chunks of pixels
 * exist at a time. Chunking changes nothing but speed and memory: the encoder attends within each
 * temporal patch, and position embeddings and rotary depend only on the patch's row and column.
 */
public final class MediaEncoder implements AutoCloseable {
    /** Patches per video chunk: large enough for efficient matrix products, small enough to overlap. */
    public static final int DEFAULT_CHUNK_PATCHES = 8192;
    private static final int QUEUED_CHUNKS = 1;

    private final Qwen3VL model;
    private final int chunkPatches;
    private final ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "qwen3vl-video-decoder");
        t.setDaemon(true);
        return t;
    });

    public MediaEncoder(Qwen3VL model, int chunkPatches) {
        if (chunkPatches < 1) {
            throw new IllegalArgumentException("video chunk must hold at least one patch, got " + chunkPatches);
        }
        this.model = model;
        this.chunkPatches = chunkPatches;
    }

    /**
     * Temporal patches per chunk of a video of {@code t} temporal patches of {@code patchesPerFrame}
     * patches each: as many as fit in {@code chunkPatches}, at least one.
     */
    public static int temporalStep(int t, int patchesPerFrame, int chunkPatches) {
        return Math.max(1, Math.min(t, chunkPatches / patchesPerFrame));
    }

    /** Vision features of {@code media} in prompt order, living in {@code scope}; null without media. */
    public VisionFeatures encode(TokenSequence sequence, List<PreparedMedia> media, NDManager scope) {
        if (media.isEmpty()) {
            return null;
        }
        List<PreparedMedia> images = media.stream().filter(m -> !m.isVideo()).toList();
        List<VisionOutput> imageOutputs = images.isEmpty() ? List.of() : encodeImages(images, scope);
        List<VisionOutput> videoOutputs = new ArrayList<>();
        for (PreparedMedia m : media) {
            if (m.isVideo()) {
                videoOutputs.add(encodeVideo(m, scope));
            }
        }
        return VisionFeatures.assemble(sequence, imageOutputs, videoOutputs);
    }

    /** One encoder pass over every image, split back per image. */
    private List<VisionOutput> encodeImages(List<PreparedMedia> images, NDManager scope) {
        List<VisualPatches> patches = images.stream().map(PreparedMedia::patches).toList();
        VisionOutput out = forward(patches, scope);
        int merge = model.config().vision().spatialMergeSize();
        List<VisionOutput> parts = new ArrayList<>();
        long from = 0;
        for (PreparedMedia m : images) {
            long to = from + m.tokens(merge);
            List<NDArray> deep = new ArrayList<>();
            for (NDArray d : out.deepstack()) {
                deep.add(d.get("{}:{}", from, to));
            }
            parts.add(new VisionOutput(out.embeds().get("{}:{}", from, to), deep));
            from = to;
        }
        return parts;
    }

    private VisionOutput encodeVideo(PreparedMedia video, NDManager scope) {
        PatchGrid grid = video.grid();
        int step = temporalStep(grid.t(), grid.h() * grid.w(), chunkPatches);
        if (step >= grid.t()) {
            return forward(List.of(video.patches()), scope);
        }
        BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        Future<?> producer = decoder.submit(() -> produce(video, step, chunks));
        List<VisionOutput> outputs = new ArrayList<>();
        try {
            for (int from = 0; from < grid.t(); from += step) {
                Object next = chunks.take();
                if (next instanceof Throwable t) {
                    throw t instanceof RuntimeException r ? r : new IllegalStateException(t.getMessage(), t);
                }
                outputs.add(forward(List.of((VisualPatches) next), scope));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding " + video.item().source(), e);
        } finally {
            producer.cancel(true);
        }
        return VisionOutput.concat(outputs);
    }

    /** Background: the video's temporal patches in chunks of {@code step}, or the failure that stopped it. */
    private static void produce(PreparedMedia video, int step, BlockingQueue<Object> chunks) {
        int t = video.grid().t();
        try {
            for (int from = 0; from < t && !Thread.currentThread().isInterrupted(); from += step) {
                Object chunk;
                try {
                    chunk = video.pixels().temporal(from, Math.min(t, from + step));
                } catch (RuntimeException | Error e) {
                    chunk = e;
                }
                while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
                if (chunk instanceof Throwable) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The encoder over the given patches (their grids in order) in one pass. */
    private VisionOutput forward(List<VisualPatches> patches, NDManager scope) {
        int dim = patches.get(0).patchDim();
        long rows = patches.stream().mapToLong(VisualPatches::rows).sum();
        List<GridThw> grids = new ArrayList<>();
        float[] all;
        if (patches.size() == 1) {
            all = patches.get(0).values();
        } else {
            all = new float[Math.toIntExact(rows * dim)];
            int offset = 0;
            for (VisualPatches p : patches) {
                System.arraycopy(p.values(), 0, all, offset, p.values().length);
                offset += p.values().length;
            }
        }
        for (VisualPatches p : patches) {
            grids.add(new GridThw(p.grid().t(), p.grid().h(), p.grid().w()));
        }
        NDArray pixels = scope.create(all, new Shape(rows, dim));
        if (model.dtype() != DataType.FLOAT32) {
            pixels = pixels.toType(model.dtype(), false);
        }
        return model.vision().forward(pixels, grids);
    }

    @Override
    public void close() {
        decoder.shutdownNow();
    }
}
