package io.qwen3vl.tokenizer;

/**
 * UTF-8 decoding with the exact replacement rule of Rust's {@code String::from_utf8_lossy} (which
 * Hugging Face tokenizers use to turn decoded bytes into text): each maximal prefix of a
 * well-formed sequence that cannot be completed becomes one U+FFFD. Written out rather than using
 * Java's decoder so the number of replacement characters is the reference's by construction.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Decodes bytes [from, to) leniently. */
    static String decodeLossy(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int need = sequenceLength(b0);
            if (need == 0) {
                out.append('\uFFFD');
                i++;
                continue;
            }
            int valid = 1;
            while (valid < need && i + valid < to && continuationOk(b0, valid, bytes[i + valid] & 0xFF)) {
                valid++;
            }
            if (valid < need) {
                out.append('\uFFFD');
                i += valid;
                continue;
            }
            int cp = b0 & (0xFF >> (need + 1));
            for (int k = 1; k < need; k++) {
                cp = (cp << 6) | (bytes[i + k] & 0x3F);
            }
            out.appendCodePoint(cp);
            i += need;
        }
        return out.toString();
    }

    /**
     * Where the trailing incomplete-but-still-valid sequence of bytes [0, length) starts, or length
     * when the bytes end on a character boundary. Bytes before that point decode the same whatever
     * follows, so a stream can emit them now and keep the rest for later.
     */
    static int completePrefix(byte[] bytes, int length) {
        // A sequence is at most 4 bytes: its lead byte is among the last 3.
        for (int start = length - 1; start >= Math.max(0, length - 3); start--) {
            int b0 = bytes[start] & 0xFF;
            if (b0 >= 0x80 && b0 < 0xC0) {
                continue; // continuation byte: keep looking for the lead
            }
            int need = sequenceLength(b0);
            int have = length - start;
            if (need <= have) {
                return length; // a complete (or invalid, already decidable) sequence ends the bytes
            }
            for (int k = 1; k < have; k++) {
                if (!continuationOk(b0, k, bytes[start + k] & 0xFF)) {
                    return length; // already malformed: decidable now
                }
            }
            return start;
        }
        return length;
    }

    /** Bytes in the sequence a lead byte starts, or 0 when the byte cannot start one. */
    private static int sequenceLength(int b0) {
        if (b0 < 0x80) {
            return 1;
        } else if (b0 >= 0xC2 && b0 <= 0xDF) {
            return 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            return 3;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** Whether byte number k (1-based after the lead) may follow lead byte b0 (excludes overlongs and surrogates). */
    private static boolean continuationOk(int b0, int k, int b) {
        if (k == 1) {
            switch (b0) {
                case 0xE0:
                    return b >= 0xA0 && b <= 0xBF;
                case 0xED:
                    return b >= 0x80 && b <= 0x9F;
                case 0xF0:
                    return b >= 0x90 && b <= 0xBF;
                case 0xF4:
                    return b >= 0x80 && b <= 0x8F;
                default:
                    break;
            }
        }
        return b >= 0x80 && b <= 0xBF;
    }
}
