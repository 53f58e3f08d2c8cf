package io.qwen3vl.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level alphabet, which Qwen's BPE vocabulary is written in: every byte 0–255 is shown
 * as one printable character (printable Latin-1 bytes as themselves, the others as U+0100 upwards
 * in byte order), so a vocabulary entry such as {@code "Ġä¸"} stands for raw bytes that need not be
 * valid UTF-8 on their own.
 */
final class ByteLevel {
    /** Character → byte, or -1 for characters outside the alphabet. */
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            int ch = printable ? b : next++;
            CHAR_TO_BYTE[ch] = b;
        }
    }

    private ByteLevel() {
    }

    /**
     * The bytes a token string stands for, as Hugging Face's ByteLevel decoder computes them: the
     * alphabet's bytes when every character belongs to it, otherwise the token's own UTF-8 (how
     * added tokens with characters outside the alphabet come out).
     */
    static byte[] tokenBytes(String token) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                return token.getBytes(StandardCharsets.UTF_8);
            }
            out.write(b);
        }
        return out.toByteArray();
    }
}
