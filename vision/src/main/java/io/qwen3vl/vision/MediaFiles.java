package io.qwen3vl.vision;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** File checks and content sniffing shared by the media readers. */
final class MediaFiles {
    /** ISO-BMFF brands of still images and image sequences (AVIF, HEIF/HEIC). */
    private static final Set<String> IMAGE_BRANDS = Set.of(
            "avif", "avis", "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1");
    /** ISO-BMFF brands of audio-only files. */
    private static final Set<String> AUDIO_BRANDS = Set.of("M4A ", "M4B ", "M4P ");
    /** QuickTime files may start with one of these atoms instead of {@code ftyp}. */
    private static final Set<String> QUICKTIME_ATOMS = Set.of("moov", "mdat", "wide", "free", "skip", "pnot");
    private static final int HEAD_BYTES = 400;

    private MediaFiles() {
    }

    static void requireNonEmptyFile(Path file) {
        if (file == null) {
            throw new MediaException(null, "no file given");
        }
        if (!Files.exists(file)) {
            throw new MediaException(file, "file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new MediaException(file, "not a regular file");
        }
        try {
            if (Files.size(file) == 0) {
                throw new MediaException(file, "file is empty");
            }
        } catch (IOException e) {
            throw new MediaException(file, "cannot read file (" + oneLine(e) + ")", e);
        }
        if (!Files.isReadable(file)) {
            throw new MediaException(file, "file is not readable");
        }
    }

    /** The first bytes of a file (fewer if it is shorter); empty when it cannot be read. */
    static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(HEAD_BYTES);
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    /** Whether these leading bytes are the signature of a video container FFmpeg reads. */
    static boolean isVideoSignature(byte[] b) {
        String box = ascii(b, 4, 4);
        if (box.equals("ftyp")) {
            String brand = ascii(b, 8, 4);
            return !IMAGE_BRANDS.contains(brand) && !AUDIO_BRANDS.contains(brand);
        }
        if (QUICKTIME_ATOMS.contains(box)) {
            return true;
        }
        return startsWith(b, 0x1A, 0x45, 0xDF, 0xA3)                                  // Matroska, WebM
                || b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("AVI ")
                || ascii(b, 0, 3).equals("FLV")
                || startsWith(b, 0x00, 0x00, 0x01, 0xBA)                              // MPEG program stream
                || startsWith(b, 0x00, 0x00, 0x01, 0xB3)                              // MPEG-1/2 video
                || startsWith(b, 0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11)      // ASF, WMV
                || ascii(b, 0, 4).equals("OggS")
                || ascii(b, 0, 9).equals("YUV4MPEG2")
                || ascii(b, 0, 4).equals(".RMF")
                || transportStream(b, 0, 188) || transportStream(b, 4, 192);          // MPEG-TS, M2TS
    }

    /** Whether these leading bytes are the signature of a still-image format. */
    static boolean isImageSignature(byte[] b) {
        return startsWith(b, 0x89, 'P', 'N', 'G')
                || startsWith(b, 0xFF, 0xD8, 0xFF)
                || ascii(b, 0, 4).equals("GIF8")
                || ascii(b, 0, 2).equals("BM")
                || b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")
                || startsWith(b, 'I', 'I', 0x2A, 0x00) || startsWith(b, 'M', 'M', 0x00, 0x2A)
                || ascii(b, 4, 4).equals("ftyp") && IMAGE_BRANDS.contains(ascii(b, 8, 4));
    }

    /** FFmpeg demuxers that read single pictures ({@code image2}, {@code png_pipe}, ...). */
    static boolean isStillImageDemuxer(String format) {
        return format != null && (format.equals("image2") || format.endsWith("_pipe"));
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        message = (newline >= 0 ? message.substring(0, newline) : message).strip();
        // JavaCV appends advice meant for its own developers; it means nothing to our users.
        int advice = message.indexOf(" (For more details");
        return advice >= 0 ? message.substring(0, advice) : message;
    }

    private static boolean transportStream(byte[] b, int offset, int packet) {
        return b.length > offset + 2 * packet && b[offset] == 0x47 && b[offset + packet] == 0x47
                && b[offset + 2 * packet] == 0x47;
    }

    private static boolean startsWith(byte[] b, int... signature) {
        if (b.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((b[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int offset, int length) {
        if (b.length < offset + length) {
            return "";
        }
        return new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }
}
