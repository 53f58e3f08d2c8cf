package io.qwen3vl.vision;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Reads a picture file into 8-bit RGB the way the reference does with PIL: {@code Image.open},
 * EXIF orientation applied ({@code ImageOps.exif_transpose}, JPEG only here), then
 * {@code convert("RGB")} (or qwen-vl-utils' white compositing, see {@link AlphaMode}).
 *
 * <p>The format is recognised from the first bytes, never from the file name. PNG, JPEG, GIF (first
 * frame), BMP and TIFF are decoded with {@code javax.imageio}; WebP, which the JDK cannot read, and
 * JPEGs the JDK rejects (CMYK/YCCK) are decoded with FFmpeg through JavaCV, which the project
 * already ships for video. FFmpeg's YUV→RGB conversion of lossy WebP may differ from libwebp's
 * (what PIL uses) by a level or two.
 *
 * <p>Sample conversion follows PIL's {@code convert("RGB")}: grey is replicated to R, G and B;
 * palette indices are looked up (palette transparency ignored); alpha is dropped; 16-bit colour
 * and grey+alpha samples keep their high byte (PIL opens them as 8-bit modes that way); a 16-bit
 * grey picture (PIL mode {@code I;16}) is clamped to 255 per sample, as PIL converts it.
 */
public final class ImageLoader {
    /** Formats recognised by their leading bytes. */
    enum Format { PNG, JPEG, GIF, BMP, TIFF, WEBP }

    private static final int SNIFF_BYTES = 16;

    private ImageLoader() {
    }

    /** {@link #load(Path, AlphaMode)} with {@link AlphaMode#DROP}, the transformers behaviour. */
    public static RgbImage load(Path file) {
        return load(file, AlphaMode.DROP);
    }

    /**
     * Loads a picture as 8-bit RGB.
     *
     * @throws MediaException naming the file when it is missing, empty, not a recognised picture
     *                        format, truncated or corrupt
     */
    public static RgbImage load(Path file, AlphaMode mode) {
        byte[] bytes = readAll(file);
        Format format = sniff(bytes);
        if (format == null) {
            throw new MediaException(file, "not a supported image (PNG, JPEG, GIF, BMP, TIFF or WebP); first bytes "
                    + hex(bytes, 8));
        }
        if (format == Format.WEBP) {
            return decodeWithFfmpeg(file, mode, format);
        }
        RgbImage image;
        try {
            image = decodeWithImageIo(bytes, mode, format);
        } catch (UnsupportedVariantException e) {
            image = decodeWithFfmpeg(file, mode, format);
        } catch (IOException | RuntimeException e) {
            throw new MediaException(file, "corrupt or truncated " + format + " image (" + oneLine(e) + ")", e);
        }
        if (format == Format.JPEG) {
            image = ExifOrientation.apply(image, ExifOrientation.read(bytes));
        }
        return image;
    }

    /** Whether the file starts like a picture this loader can read (a cheap check by magic bytes). */
    public static boolean looksLikeImage(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return sniff(in.readNBytes(SNIFF_BYTES)) != null;
        } catch (IOException e) {
            return false;
        }
    }

    static Format sniff(byte[] b) {
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Format.PNG;
        }
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return Format.JPEG;
        }
        if (startsWith(b, 'G', 'I', 'F', '8') && b.length >= 6 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return Format.GIF;
        }
        if (startsWith(b, 'B', 'M') && b.length >= 14) {
            return Format.BMP;
        }
        if (startsWith(b, 'I', 'I', 42, 0) || startsWith(b, 'M', 'M', 0, 42)) {
            return Format.TIFF;
        }
        if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return Format.WEBP;
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readAll(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new MediaException(file, "is a directory, not an image");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MediaException(file, "file not found");
        } catch (IOException e) {
            throw new MediaException(file, "cannot read file (" + oneLine(e) + ")", e);
        }
        if (bytes.length == 0) {
            throw new MediaException(file, "empty file (0 bytes)");
        }
        return bytes;
    }

    /** ImageIO has no decoder for this variant of the format (e.g. a CMYK JPEG). */
    private static final class UnsupportedVariantException extends Exception {
        UnsupportedVariantException(String message) {
            super(message);
        }
    }

    private static RgbImage decodeWithImageIo(byte[] bytes, AlphaMode mode, Format format)
            throws IOException, UnsupportedVariantException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnsupportedVariantException("no ImageIO reader for " + format);
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                @Override
                public void warningOccurred(ImageReader source, String warning) {
                    warnings.add(warning);
                }
            });
            try {
                reader.setInput(in, true, true);
                BufferedImage img;
                try {
                    img = reader.read(0);
                } catch (javax.imageio.IIOException e) {
                    String m = String.valueOf(e.getMessage());
                    if (format == Format.JPEG && (m.contains("Unsupported Image Type") || m.contains("Unsupported JPEG"))) {
                        throw new UnsupportedVariantException(m);
                    }
                    throw e;
                }
                for (String w : warnings) {
                    // libjpeg fills a truncated scan with grey and only warns ("Truncated File - Missing
                    // EOI marker", "premature end of data segment"); PIL refuses such files.
                    String lower = w.toLowerCase(java.util.Locale.ROOT);
                    if (lower.contains("premature end") || lower.contains("truncated")) {
                        throw new IOException(w);
                    }
                }
                return toRgb(img, mode);
            } finally {
                reader.dispose();
            }
        }
    }

    /** PIL {@code convert("RGB")} (or white compositing for RGBA) of a decoded raster. */
    static RgbImage toRgb(BufferedImage img, AlphaMode mode) {
        int w = img.getWidth();
        int h = img.getHeight();
        Raster raster = img.getRaster();
        ColorModel cm = img.getColorModel();
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        if (cm instanceof IndexColorModel icm) {
            int[] index = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, index);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    rgb[o] = (byte) icm.getRed(index[x]);
                    rgb[o + 1] = (byte) icm.getGreen(index[x]);
                    rgb[o + 2] = (byte) icm.getBlue(index[x]);
                }
            }
            return new RgbImage(w, h, rgb);
        }
        int bands = raster.getNumBands();
        int[] bits = new int[bands];
        for (int b = 0; b < bands; b++) {
            bits[b] = cm.getComponentSize(Math.min(b, cm.getNumComponents() - 1));
        }
        boolean colour = bands >= 3;
        boolean composite = mode == AlphaMode.WHITE && bands == 4 && cm.hasAlpha();
        int[] px = new int[bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x, y, px);
                int o = (y * w + x) * 3;
                if (colour) {
                    int r = to8(px[0], bits[0], false);
                    int g = to8(px[1], bits[1], false);
                    int b = to8(px[2], bits[2], false);
                    if (composite) {
                        int a = to8(px[3], bits[3], false);
                        r = blendOnWhite(r, a);
                        g = blendOnWhite(g, a);
                        b = blendOnWhite(b, a);
                    }
                    rgb[o] = (byte) r;
                    rgb[o + 1] = (byte) g;
                    rgb[o + 2] = (byte) b;
                } else {
                    // A lone 16-bit grey band is PIL mode I;16, which convert("RGB") clamps; with
                    // alpha it is LA;16B, reduced to its high byte.
                    byte v = (byte) to8(px[0], bits[0], bands == 1);
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static int to8(int sample, int bits, boolean clampWide) {
        if (bits == 8) {
            return sample;
        }
        if (bits == 16) {
            return clampWide ? Math.min(sample, 255) : sample >>> 8;
        }
        if (bits < 8) {
            // Replicate the bits downwards (0 -> 0, max -> 255; 5 bits -> v<<3 | v>>2), as PIL unpacks.
            int v = 0;
            int filled = 0;
            while (filled < 8) {
                v = (v << bits) | sample;
                filled += bits;
            }
            return v >>> (filled - 8);
        }
        return sample >>> (bits - 8);
    }

    /** PIL's paste-with-mask blend of a colour over white: DIV255(255·(255−a) + c·a), rounded. */
    static int blendOnWhite(int c, int a) {
        int t = 255 * (255 - a) + c * a + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static RgbImage decodeWithFfmpeg(Path file, AlphaMode mode, Format format) {
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
        boolean withAlpha = mode == AlphaMode.WHITE;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setPixelFormat(withAlpha ? avutil.AV_PIX_FMT_RGBA : avutil.AV_PIX_FMT_RGB24);
            grabber.start();
            Frame frame = grabber.grabImage();
            if (frame == null || frame.image == null || frame.imageWidth <= 0 || frame.imageHeight <= 0) {
                throw new MediaException(file, "corrupt or truncated " + format + " image (no picture decoded)");
            }
            int w = frame.imageWidth;
            int h = frame.imageHeight;
            int channels = withAlpha ? 4 : 3;
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            int stride = frame.imageStride;
            byte[] rgb = new byte[w * h * 3];
            byte[] row = new byte[w * channels];
            for (int y = 0; y < h; y++) {
                buf.position(y * stride);
                buf.get(row, 0, row.length);
                for (int x = 0; x < w; x++) {
                    int s = x * channels;
                    int o = (y * w + x) * 3;
                    if (withAlpha) {
                        int a = row[s + 3] & 0xFF;
                        rgb[o] = (byte) blendOnWhite(row[s] & 0xFF, a);
                        rgb[o + 1] = (byte) blendOnWhite(row[s + 1] & 0xFF, a);
                        rgb[o + 2] = (byte) blendOnWhite(row[s + 2] & 0xFF, a);
                    } else {
                        rgb[o] = row[s];
                        rgb[o + 1] = row[s + 1];
                        rgb[o + 2] = row[s + 2];
                    }
                }
            }
            grabber.stop();
            return new RgbImage(w, h, rgb);
        } catch (MediaException e) {
            throw e;
        } catch (Exception e) {
            throw new MediaException(file, "corrupt or truncated " + format + " image (" + oneLine(e) + ")", e);
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
