package io.qwen3vl.vision;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 in IFD0 of the APP1 "Exif" segment) and the
 * transform that puts the picture upright, as PIL's {@code ImageOps.exif_transpose} (which
 * transformers' {@code load_image} applies) does. Parsing is defensive: anything malformed means
 * "no orientation" (1), never an error, since the pixels themselves are fine.
 */
public final class ExifOrientation {
    /** Orientation 1: stored upright. */
    public static final int NORMAL = 1;

    private ExifOrientation() {
    }

    /** The orientation (1..8) recorded in a JPEG file's bytes, or 1 when absent or unreadable. */
    public static int read(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            return NORMAL;
        }
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) {
                return NORMAL;
            }
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan / end of image: no more metadata
                return NORMAL;
            }
            int length = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
            if (length < 2 || pos + 2 + length > jpeg.length) {
                return NORMAL;
            }
            if (marker == 0xE1 && length >= 8 && startsWithExif(jpeg, pos + 4)) {
                int o = tiffOrientation(jpeg, pos + 10, pos + 2 + length);
                if (o != 0) {
                    return o;
                }
            }
            pos += 2 + length;
        }
        return NORMAL;
    }

    private static boolean startsWithExif(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0
                && b[at + 5] == 0;
    }

    /** Orientation from a TIFF structure in {@code b[start, end)}, or 0 when absent/invalid. */
    private static int tiffOrientation(byte[] b, int start, int end) {
        if (end - start < 8) {
            return 0;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return 0;
        }
        if (u16(b, start + 2, little) != 42) {
            return 0;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || start + ifd + 2 > end) {
            return 0;
        }
        int p = (int) (start + ifd);
        int count = u16(b, p, little);
        p += 2;
        for (int i = 0; i < count && p + 12 <= end; i++, p += 12) {
            if (u16(b, p, little) == 0x0112) {
                int type = u16(b, p + 2, little);
                int value = type == 3 ? u16(b, p + 8, little) : (type == 4 ? (int) u32(b, p + 8, little) : 0);
                return value >= 1 && value <= 8 ? value : 0;
            }
        }
        return 0;
    }

    private static int u16(byte[] b, int p, boolean little) {
        int a = b[p] & 0xFF;
        int c = b[p + 1] & 0xFF;
        return little ? a | (c << 8) : (a << 8) | c;
    }

    private static long u32(byte[] b, int p, boolean little) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int byteVal = b[p + (little ? 3 - i : i)] & 0xFF;
            v = (v << 8) | byteVal;
        }
        return v;
    }

    /** The picture as it should be seen, given its stored pixels and orientation (1..8). */
    public static RgbImage apply(RgbImage img, int orientation) {
        if (orientation <= NORMAL || orientation > 8) {
            return img;
        }
        int w = img.width();
        int h = img.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = img.rgb();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }           // mirror horizontally
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }   // rotate 180
                    case 4 -> { sx = x; sy = h - 1 - y; }           // mirror vertically
                    case 5 -> { sx = y; sy = x; }                   // transpose
                    case 6 -> { sx = y; sy = h - 1 - x; }           // rotate 90 clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }   // transverse
                    default -> { sx = w - 1 - y; sy = x; }          // 8: rotate 90 counter-clockwise
                }
                System.arraycopy(src, (sy * w + sx) * 3, dst, (y * ow + x) * 3, 3);
            }
        }
        return new RgbImage(ow, oh, dst);
    }
}
