package io.qwen3vl.engine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputScannerTest {
    @TempDir
    Path root;

    @BeforeEach
    void folder() throws IOException {
        image(root.resolve("cat.png"), "png");
        image(root.resolve("dog.jpg"), "jpg");
        image(root.resolve("png-named.dat"), "png"); // content wins over the extension
        Files.write(root.resolve("clip.mp4"), mp4Header());
        Files.write(root.resolve("broken.mp4"), "this is not a movie at all".getBytes(StandardCharsets.UTF_8));
        Files.write(root.resolve("empty.jpg"), new byte[0]);
        Files.writeString(root.resolve("notes.txt"), "some notes");
        Path nested = Files.createDirectories(root.resolve("sub/deeper"));
        image(nested.resolve("bird.png"), "png");
        Files.write(root.resolve("sub/movie.mkv"), new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 1, 2, 3, 4});
        Files.createSymbolicLink(root.resolve("sub/deeper/loop"), root); // a cycle back to the root
        Files.createSymbolicLink(root.resolve("sub/again"), root.resolve("sub/deeper")); // same folder twice
        Files.createSymbolicLink(root.resolve("dangling.jpg"), root.resolve("missing.jpg"));
    }

    @Test
    void recursiveScanClassifiesByContentInSortedOrder() throws IOException {
        InputScanner scanner = InputScanner.of(root).recursive(true);
        List<InputFile> files = scanner.scan();
        List<String> paths = files.stream().map(InputFile::relativePath).toList();
        assertEquals(List.of("broken.mp4", "cat.png", "clip.mp4", "dangling.jpg", "dog.jpg", "empty.jpg",
                "notes.txt", "png-named.dat", "sub/again/bird.png", "sub/movie.mkv"), paths);
        Map<String, InputFile> byPath = index(files);
        assertEquals(MediaKind.IMAGE, byPath.get("cat.png").kind());
        assertEquals(MediaKind.IMAGE, byPath.get("dog.jpg").kind());
        assertEquals(MediaKind.IMAGE, byPath.get("png-named.dat").kind());
        assertNull(byPath.get("png-named.dat").problem());
        assertEquals(MediaKind.VIDEO, byPath.get("clip.mp4").kind());
        assertEquals(MediaKind.VIDEO, byPath.get("sub/movie.mkv").kind());
        // Unrecognised content with a video extension: the decoder gets to give the precise error.
        assertEquals(MediaKind.VIDEO, byPath.get("broken.mp4").kind());
        assertTrue(byPath.get("broken.mp4").usable());
        assertEquals("empty file", byPath.get("empty.jpg").problem());
        assertEquals(MediaKind.IMAGE, byPath.get("empty.jpg").kind());
        assertEquals("not an image or video", byPath.get("notes.txt").problem());
        assertEquals(MediaKind.OTHER, byPath.get("notes.txt").kind());
        assertEquals("broken symbolic link", byPath.get("dangling.jpg").problem());
        // The loop and the second link to sub/deeper are walked once and reported.
        assertTrue(scanner.warnings().stream().anyMatch(w -> w.contains("loop")), scanner.warnings().toString());
    }

    @Test
    void nonRecursiveScanStaysInTheTopFolder() throws IOException {
        List<InputFile> files = InputScanner.of(root).scan();
        assertTrue(files.stream().noneMatch(f -> f.relativePath().contains("/")));
        assertEquals(8, files.size());
    }

    @Test
    void includeAndExcludeGlobsMatchRelativePaths() throws IOException {
        GlobFilter filter = new GlobFilter(List.of("**/*.png", "*.mkv"), List.of("sub/again/**"));
        List<String> paths = InputScanner.of(root).recursive(true).filter(filter).scan().stream()
                .map(InputFile::relativePath).toList();
        assertEquals(List.of("cat.png", "sub/movie.mkv"), paths);
        GlobFilter topOnly = new GlobFilter(List.of("sub/*"), List.of());
        assertEquals(List.of("sub/movie.mkv"), InputScanner.of(root).recursive(true).filter(topOnly).scan().stream()
                .map(InputFile::relativePath).toList());
    }

    @Test
    void theRunsOwnOutputIsNeverAnInput() throws IOException {
        Path output = root.resolve("sub/captions.jsonl");
        Files.writeString(output, "{\"path\":\"cat.png\",\"caption\":\"x\"}\n");
        List<InputFile> files = InputScanner.of(root).recursive(true)
                .skipping(ResultLog.ownFiles(output).toArray(Path[]::new)).scan();
        assertFalse(files.stream().anyMatch(f -> f.relativePath().endsWith("captions.jsonl")));
    }

    @Test
    void aSingleFileInputIsItsOwnList() throws IOException {
        List<InputFile> files = InputScanner.of(root.resolve("cat.png")).scan();
        assertEquals(1, files.size());
        assertEquals("cat.png", files.get(0).relativePath());
    }

    @Test
    void magicBytesRecogniseCommonContainers() {
        assertEquals(MediaKind.VIDEO, MagicBytes.classify(mp4Header(), mp4Header().length));
        byte[] heic = mp4Header();
        System.arraycopy("heic".getBytes(StandardCharsets.ISO_8859_1), 0, heic, 8, 4);
        assertEquals(MediaKind.IMAGE, MagicBytes.classify(heic, heic.length));
        byte[] avi = "RIFF\0\0\0\0AVI LIST".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(MediaKind.VIDEO, MagicBytes.classify(avi, avi.length));
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(MediaKind.IMAGE, MagicBytes.classify(webp, webp.length));
        byte[] ts = new byte[188 * 2 + 1];
        ts[0] = 0x47;
        ts[188] = 0x47;
        ts[376] = 0x47;
        assertEquals(MediaKind.VIDEO, MagicBytes.classify(ts, ts.length));
        byte[] bm = "BMxx".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(MediaKind.OTHER, MagicBytes.classify(bm, bm.length)); // "BM" alone is not a bitmap
    }

    static byte[] mp4Header() {
        byte[] b = new byte[32];
        b[3] = 0x18;
        System.arraycopy("ftypisom".getBytes(StandardCharsets.ISO_8859_1), 0, b, 4, 8);
        return b;
    }

    static void image(Path file, String format) throws IOException {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR);
        img.setRGB(1, 1, 0xFF0000);
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
    }

    private static Map<String, InputFile> index(List<InputFile> files) {
        return files.stream().collect(Collectors.toMap(InputFile::relativePath, Function.identity()));
    }
}
