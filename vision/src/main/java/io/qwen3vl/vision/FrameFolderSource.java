package io.qwen3vl.vision;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A clip given as separate picture files (a folder of extracted frames, or an explicit list),
 * played at a stated frame rate. Frames are read only when asked for.
 */
public final class FrameFolderSource implements FrameSource {
    /** File name endings taken as frames when listing a folder. */
    static final Set<String> FRAME_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff");

    private final Path path;
    private final List<Path> frames;
    private final double fps;
    private final int width;
    private final int height;
    private RgbImage first;

    private FrameFolderSource(Path path, List<Path> frames, double fps) {
        if (!(fps > 0 && Double.isFinite(fps))) {
            throw new IllegalArgumentException("frame rate must be positive, got " + fps);
        }
        this.path = path;
        this.frames = List.copyOf(frames);
        this.fps = fps;
        this.first = load(this.frames.get(0));
        this.width = first.width();
        this.height = first.height();
    }

    /** The picture files of {@code folder} (not hidden, known image endings), in natural name order. */
    public static FrameFolderSource open(Path folder, double fps) {
        if (!Files.isDirectory(folder)) {
            throw new MediaException(folder, "not a folder of frames");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(Files::isRegularFile).filter(FrameFolderSource::isFrameFile)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString(), NaturalOrder.INSTANCE))
                    .toList();
        } catch (IOException e) {
            throw new MediaException(folder, "cannot list frames (" + MediaFiles.oneLine(e) + ")", e);
        }
        if (files.isEmpty()) {
            throw new MediaException(folder, "folder contains no frame images");
        }
        return new FrameFolderSource(folder, files, fps);
    }

    /** Exactly these files, in this order. */
    public static FrameFolderSource of(List<Path> frameFiles, double fps) {
        if (frameFiles.isEmpty()) {
            throw new IllegalArgumentException("no frame files given");
        }
        frameFiles.forEach(Objects::requireNonNull);
        Path parent = frameFiles.get(0).toAbsolutePath().getParent();
        return new FrameFolderSource(parent, new ArrayList<>(frameFiles), fps);
    }

    /** The frame files in playing order. */
    public List<Path> files() {
        return frames;
    }

    @Override
    public int frameCount() {
        return frames.size();
    }

    @Override
    public double fps() {
        return fps;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public RgbImage frame(int index) {
        Objects.checkIndex(index, frames.size());
        if (index == 0 && first != null) {
            RgbImage image = first;
            first = null;
            return image;
        }
        Path file = frames.get(index);
        RgbImage image = load(file);
        if (image.width() != width || image.height() != height) {
            throw new MediaException(file, "frame is " + image.width() + "x" + image.height()
                    + " but the first frame is " + width + "x" + height);
        }
        return image;
    }

    @Override
    public void close() {
        first = null;
    }

    private RgbImage load(Path file) {
        MediaFiles.requireNonEmptyFile(file);
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new MediaException(file, "cannot read frame image (" + MediaFiles.oneLine(e) + ")", e);
        }
        if (image == null) {
            throw new MediaException(file, "not a readable image");
        }
        return toRgb(image);
    }

    /** 8-bit RGB of a decoded picture; alpha, if any, is dropped. */
    private static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return new RgbImage(w, h, rgb);
    }

    private static boolean isFrameFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0
                && FRAME_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** "frame2" before "frame10": runs of digits compare by value, the rest by character. */
    static final class NaturalOrder implements Comparator<String> {
        static final NaturalOrder INSTANCE = new NaturalOrder();

        @Override
        public int compare(String a, String b) {
            int i = 0;
            int j = 0;
            while (i < a.length() && j < b.length()) {
                char ca = a.charAt(i);
                char cb = b.charAt(j);
                if (Character.isDigit(ca) && Character.isDigit(cb)) {
                    int endA = digitsEnd(a, i);
                    int endB = digitsEnd(b, j);
                    String da = stripZeros(a.substring(i, endA));
                    String db = stripZeros(b.substring(j, endB));
                    int byValue = da.length() != db.length() ? Integer.compare(da.length(), db.length()) : da.compareTo(db);
                    if (byValue != 0) {
                        return byValue;
                    }
                    i = endA;
                    j = endB;
                } else {
                    if (ca != cb) {
                        return Character.compare(ca, cb);
                    }
                    i++;
                    j++;
                }
            }
            int byRest = Integer.compare(a.length() - i, b.length() - j);
            return byRest != 0 ? byRest : a.compareTo(b);
        }

        private static int digitsEnd(String s, int from) {
            int end = from;
            while (end < s.length() && Character.isDigit(s.charAt(end))) {
                end++;
            }
            return end;
        }

        private static String stripZeros(String digits) {
            int k = 0;
            while (k < digits.length() - 1 && digits.charAt(k) == '0') {
                k++;
            }
            return digits.substring(k);
        }
    }
}
