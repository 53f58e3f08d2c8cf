package io.qwen3vl.tokenizer;

import java.util.Arrays;

/**
 * Turns generated token ids into text as they arrive. A byte-level token may end in the middle of a
 * UTF-8 character (Chinese and emoji usually span two or three tokens); those bytes are held back
 * until the character completes, so the stream never shows a replacement character that the full
 * decode would not, and the concatenation of everything returned equals
 * {@link QwenTokenizer#decode(int[])} of all ids, byte for byte. Not thread-safe: one per stream.
 */
public final class StreamDecoder {
    private final Vocabulary vocabulary;
    private byte[] pending = new byte[16];
    private int pendingLength;

    StreamDecoder(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /** Adds one token and returns the text it completes (possibly empty). */
    public String push(int id) {
        byte[] bytes = vocabulary.bytes(id);
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
        pendingLength += bytes.length;
        int ready = Utf8.completePrefix(pending, pendingLength);
        if (ready == 0) {
            return "";
        }
        String text = Utf8.decodeLossy(pending, 0, ready);
        System.arraycopy(pending, ready, pending, 0, pendingLength - ready);
        pendingLength -= ready;
        return text;
    }

    /** Returns whatever is held back (an unfinished character becomes U+FFFD, as in a full decode). */
    public String flush() {
        String text = Utf8.decodeLossy(pending, 0, pendingLength);
        pendingLength = 0;
        return text;
    }
}
