package io.qwen3vl.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLoaderTest {
    @TempDir
    Path tmp;

    private static final Path IMAGES = TestData.golden("preprocess/images");

    @Test
    void rgbaDropKeepsTheColourUnderTransparentPixelsLikeTransformers() throws IOException {
        RgbImage loaded = ImageLoader.load(IMAGES.resolve("rgba_208x400.png"), AlphaMode.DROP);
        assertArrayEquals(TestData.png(IMAGES.resolve("rgba_208x400_as_rgb.png")).rgb(), loaded.rgb());
    }

    @Test
    void rgbaWhiteCompositesLikeQwenVlUtils() throws IOException {
        RgbImage loaded = ImageLoader.load(IMAGES.resolve("rgba_208x400.png"), AlphaMode.WHITE);
        assertArrayEquals(TestData.png(IMAGES.resolve("rgba_208x400_white_composite.png")).rgb(), loaded.rgb());
    }

    @Test
    void rgbPngLoadsUnchangedInBothModes() throws IOException {
        Path file = TestData.golden("inputs/image.png");
        RgbImage expected = TestData.png(file);
        assertArrayEquals(expected.rgb(), ImageLoader.load(file).rgb());
        assertArrayEquals(expected.rgb(), ImageLoader.load(file, AlphaMode.WHITE).rgb());
    }

    @Test
    void formatComesFromContentNotExtension() throws IOException {
        Path misnamed = tmp.resolve("actually-a-png.jpg");
        Files.copy(TestData.golden("inputs/image.png"), misnamed);
        assertEquals(320, ImageLoader.load(misnamed).width());
        assertTrue(ImageLoader.looksLikeImage(misnamed));
    }

    @Test
    void missingFileIsNamed() {
        Path missing = tmp.resolve("nope.png");
        MediaException e = assertThrows(MediaException.class, () -> ImageLoader.load(missing));
        assertOneLine(e, missing, "not found");
    }

    @Test
    void zeroByteFileIsRejected() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.png"));
        assertOneLine(assertThrows(MediaException.class, () -> ImageLoader.load(empty)), empty, "empty");
        assertFalse(ImageLoader.looksLikeImage(empty));
    }

    @Test
    void textFileNamedPngIsRejected() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.png"), "hello, I am not a picture\n");
        assertOneLine(assertThrows(MediaException.class, () -> ImageLoader.load(text)), text, "not a supported image");
        assertFalse(ImageLoader.looksLikeImage(text));
    }

    @Test
    void truncatedPngIsRejected() throws IOException {
        byte[] full = Files.readAllBytes(TestData.golden("inputs/image.png"));
        Path cut = Files.write(tmp.resolve("cut.png"), Arrays.copyOf(full, full.length / 2));
        assertOneLine(assertThrows(MediaException.class, () -> ImageLoader.load(cut)), cut, "truncated PNG");
    }

    @Test
    void truncatedJpegIsRejected() throws IOException {
        byte[] full = encode(gradient(96, 64), "jpg");
        Path cut = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(full, full.length * 6 / 10));
        assertOneLine(assertThrows(MediaException.class, () -> ImageLoader.load(cut)), cut, "truncated JPEG");
    }

    @Test
    void jpegWithExifOrientation6IsTurnedUpright() throws IOException {
        // Stored 64 wide x 32 high: left half red, right half blue. Orientation 6 means "rotate 90°
        // clockwise to view": upright it is 32 x 64 with red on top, blue at the bottom.
        BufferedImage stored = new BufferedImage(64, 32, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                stored.setRGB(x, y, x < 32 ? 0xFF0000 : 0x0000FF);
            }
        }
        byte[] jpeg = withExifOrientation(encode(stored, "jpg"), 6);
        assertEquals(6, ExifOrientation.read(jpeg));
        Path file = Files.write(tmp.resolve("rotated.jpg"), jpeg);
        RgbImage upright = ImageLoader.load(file);
        assertEquals(32, upright.width());
        assertEquals(64, upright.height());
        assertTrue(upright.get(16, 8, 0) > 200 && upright.get(16, 8, 2) < 60, "top is red");
        assertTrue(upright.get(16, 56, 2) > 200 && upright.get(16, 56, 0) < 60, "bottom is blue");
    }

    @Test
    void everyExifOrientationMatchesItsTransform() {
        // 3x2 picture with distinct pixels; check each orientation against the definition.
        byte[] rgb = new byte[3 * 2 * 3];
        for (int i = 0; i < 6; i++) {
            rgb[i * 3] = (byte) i;
        }
        RgbImage img = new RgbImage(3, 2, rgb);
        int[][] expected = {
            {0, 1, 2, 3, 4, 5}, // 1: as stored (3x2)
            {2, 1, 0, 5, 4, 3}, // 2: mirrored horizontally
            {5, 4, 3, 2, 1, 0}, // 3: rotated 180
            {3, 4, 5, 0, 1, 2}, // 4: mirrored vertically
            {0, 3, 1, 4, 2, 5}, // 5: transposed (2x3)
            {3, 0, 4, 1, 5, 2}, // 6: rotated 90 clockwise (2x3)
            {5, 2, 4, 1, 3, 0}, // 7: transversed (2x3)
            {2, 5, 1, 4, 0, 3}, // 8: rotated 90 counter-clockwise (2x3)
        };
        for (int o = 1; o <= 8; o++) {
            RgbImage out = ExifOrientation.apply(img, o);
            assertEquals(o >= 5 ? 2 : 3, out.width(), "orientation " + o);
            int[] got = new int[6];
            for (int i = 0; i < 6; i++) {
                got[i] = out.rgb()[i * 3];
            }
            assertArrayEquals(expected[o - 1], got, "orientation " + o);
        }
    }

    @Test
    void gifBmpAndGreyPngDecodeLikePilConvertRgb() throws IOException {
        BufferedImage colour = gradient(40, 30);
        RgbImage expected = fromBuffered(colour);
        Path bmp = Files.write(tmp.resolve("a.bmp"), encode(colour, "bmp"));
        assertArrayEquals(expected.rgb(), ImageLoader.load(bmp).rgb(), "BMP is lossless");

        // GIF: palette picture, few colours so the encoder's palette is exact.
        BufferedImage few = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                few.setRGB(x, y, (x / 10 % 2 == 0) ? 0xFF8000 : 0x2040C0);
            }
        }
        Path gif = Files.write(tmp.resolve("a.gif"), encode(few, "gif"));
        assertArrayEquals(fromBuffered(few).rgb(), ImageLoader.load(gif).rgb(), "GIF first frame via palette");

        BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                grey.getRaster().setSample(x, y, 0, (x * 7 + y * 3) % 256);
            }
        }
        RgbImage g = ImageLoader.load(Files.write(tmp.resolve("grey.png"), encode(grey, "png")));
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int v = (x * 7 + y * 3) % 256;
                assertEquals(v, g.get(x, y, 0));
                assertEquals(v, g.get(x, y, 1));
                assertEquals(v, g.get(x, y, 2));
            }
        }
    }

    @Test
    void sixteenBitGreyPngIsClampedLikePilModeI16() throws IOException {
        BufferedImage deep = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] values = {0, 200, 255, 40000};
        for (int x = 0; x < 4; x++) {
            deep.getRaster().setSample(x, 0, 0, values[x]);
        }
        RgbImage img = ImageLoader.load(Files.write(tmp.resolve("deep.png"), encode(deep, "png")));
        assertEquals(0, img.get(0, 0, 0));
        assertEquals(200, img.get(1, 0, 1));
        assertEquals(255, img.get(2, 0, 2));
        assertEquals(255, img.get(3, 0, 0));
    }

    private static void assertOneLine(MediaException e, Path file, String problem) {
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), m);
        assertTrue(m.contains(problem), m);
        assertFalse(m.contains("\n"), m);
        assertEquals(file, e.file());
    }

    static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 255 / w) << 16) | ((y * 255 / h) << 8) | ((x + y) % 256));
            }
        }
        return img;
    }

    static RgbImage fromBuffered(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (p >> 16);
                rgb[o + 1] = (byte) (p >> 8);
                rgb[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    /** Splices an APP1 Exif segment (big-endian TIFF, IFD0 with one Orientation entry) after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {
            'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at offset 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, count 1
            0, 0, 0, 0, // no next IFD
        };
        int length = 2 + 6 + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
