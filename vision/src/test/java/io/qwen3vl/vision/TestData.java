package io.qwen3vl.vision;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Locates the bundled tiny checkpoint and its golden outputs, and reads the fixture formats. */
final class TestData {
    private TestData() {
    }

    static Path tinyModel() {
        String configured = System.getProperty("qwen3vl.testdata");
        Path root = configured != null && !configured.isEmpty() ? Path.of(configured) : Path.of("..", "testdata");
        Path model = root.resolve("qwen3vl-tiny");
        if (!Files.isDirectory(model)) {
            throw new IllegalStateException("test data not found at " + model.toAbsolutePath());
        }
        return model;
    }

    static Path golden(String relative) {
        return tinyModel().resolve("golden").resolve(relative);
    }

    static JsonElement json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file));
    }

    /** An 8-bit RGB/RGBA PNG from the fixtures, alpha ignored. Independent of ImageLoader on purpose. */
    static RgbImage png(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        var raster = img.getRaster();
        int[] px = new int[raster.getNumBands()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x, y, px);
                int o = (y * w + x) * 3;
                rgb[o] = (byte) px[0];
                rgb[o + 1] = (byte) px[1];
                rgb[o + 2] = (byte) px[2];
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** The frames of a {@code |u1 [T, H, W, 3]} .npy file (the models module's Npy reads only f4/i8). */
    static List<RgbImage> uint8Frames(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = Short.toUnsignedInt(buf.getShort(8));
        String header = new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1);
        if (!header.contains("'|u1'") || !header.contains("'fortran_order': False")) {
            throw new IOException(file + ": expected a C-order uint8 array, header " + header.trim());
        }
        Matcher m = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+),\\s*(\\d+),\\s*3\\)").matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": expected shape (T, H, W, 3), header " + header.trim());
        }
        int t = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        int w = Integer.parseInt(m.group(3));
        int offset = 10 + headerLen;
        int frameBytes = h * w * 3;
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            byte[] rgb = new byte[frameBytes];
            System.arraycopy(bytes, offset + i * frameBytes, rgb, 0, frameBytes);
            frames.add(new RgbImage(w, h, rgb));
        }
        return frames;
    }
}
