package io.qwen3vl.engine.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Container signatures of the common image and video formats, read from the first bytes of a file.
 * A signature only says what a file claims to be: a truncated or corrupt file with a good header is
 * still reported as media, and its decoder then gives the precise error.
 */
public final class MagicBytes implements MediaSniffer {
    private static final int TS_PACKET = 188;
    /** ISO-BMFF major brands that mean a still image (HEIF/AVIF); every other brand is a movie. */
    private static final Set<String> IMAGE_BRANDS = Set.of("heic", "heix", "heim", "heis", "mif1", "msf1", "avif", "avis");
    /** Top-level QuickTime atoms that can open a .mov without an ftyp box. */
    private static final Set<String> QUICKTIME_ATOMS = Set.of("moov", "mdat", "wide", "free", "skip", "pnot");

    @Override
    public MediaKind sniff(Path file) throws IOException {
        byte[] head = new byte[TS_PACKET * 2 + 1];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return classify(head, n);
    }

    /** Classifies the first {@code length} bytes of a file. */
    public static MediaKind classify(byte[] head, int length) {
        if (length < 4) {
            return MediaKind.OTHER;
        }
        if (isImage(head, length)) {
            return MediaKind.IMAGE;
        }
        if (isVideo(head, length)) {
            return MediaKind.VIDEO;
        }
        return MediaKind.OTHER;
    }

    private static boolean isImage(byte[] b, int n) {
        if (u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) {
            return true; // JPEG
        }
        if (starts(b, n, 0, new int[] {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
            return true;
        }
        if (ascii(b, n, 0, "GIF87a") || ascii(b, n, 0, "GIF89a")) {
            return true;
        }
        if (ascii(b, n, 0, "RIFF") && ascii(b, n, 8, "WEBP")) {
            return true;
        }
        if (starts(b, n, 0, new int[] {'I', 'I', 42, 0}) || starts(b, n, 0, new int[] {'M', 'M', 0, 42})) {
            return true; // TIFF
        }
        if (ascii(b, n, 0, "BM") && n >= 18) {
            // "BM" alone is too weak: also require a known DIB header size.
            int dib = u(b, 14) | u(b, 15) << 8 | u(b, 16) << 16 | u(b, 17) << 24;
            return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
        }
        return ascii(b, n, 4, "ftyp") && n >= 12 && IMAGE_BRANDS.contains(text(b, 8, 4));
    }

    private static boolean isVideo(byte[] b, int n) {
        if (ascii(b, n, 4, "ftyp")) {
            return true; // MP4, MOV, M4V, 3GP (image brands were caught above)
        }
        if (n >= 8 && QUICKTIME_ATOMS.contains(text(b, 4, 4))) {
            return true;
        }
        if (starts(b, n, 0, new int[] {0x1A, 0x45, 0xDF, 0xA3})) {
            return true; // Matroska / WebM (EBML)
        }
        if (ascii(b, n, 0, "RIFF") && ascii(b, n, 8, "AVI ")) {
            return true;
        }
        if (ascii(b, n, 0, "FLV") || ascii(b, n, 0, "OggS")) {
            return true;
        }
        if (starts(b, n, 0, new int[] {0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11})) {
            return true; // ASF / WMV
        }
        if (starts(b, n, 0, new int[] {0, 0, 1, 0xBA}) || starts(b, n, 0, new int[] {0, 0, 1, 0xB3})) {
            return true; // MPEG program stream / elementary video
        }
        // MPEG transport stream: sync byte every 188 bytes (M2TS adds a 4-byte prefix).
        return syncEvery(b, n, 0) || syncEvery(b, n, 4);
    }

    private static boolean syncEvery(byte[] b, int n, int offset) {
        if (n < offset + TS_PACKET * 2 + 1) {
            return false;
        }
        return u(b, offset) == 0x47 && u(b, offset + TS_PACKET) == 0x47 && u(b, offset + 2 * TS_PACKET) == 0x47;
    }

    private static int u(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static boolean starts(byte[] b, int n, int offset, int[] sig) {
        if (n < offset + sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if (u(b, offset + i) != sig[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int n, int offset, String s) {
        return n >= offset + s.length() && text(b, offset, s.length()).equals(s);
    }

    private static String text(byte[] b, int offset, int len) {
        return new String(b, offset, len, StandardCharsets.ISO_8859_1);
    }
}
