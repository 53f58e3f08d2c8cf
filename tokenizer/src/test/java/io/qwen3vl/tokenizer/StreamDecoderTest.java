package io.qwen3vl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamDecoderTest {
    private static QwenTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = QwenTokenizer.load(TestData.tinyModel());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void chineseAndEmojiStreamWithoutReplacementCharacters() {
        String text = "你好，世界！今天天气很好😀👍🏽🤖 鬱 𠀋 café";
        int[] ids = tokenizer.encode(text);
        assertTrue(someTokenCutsACharacter(ids), "the text must contain tokens that end mid-character");
        StreamDecoder stream = tokenizer.newStreamDecoder();
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            String piece = stream.push(id);
            assertFalse(piece.contains("\uFFFD"), "replacement character streamed for id " + id);
            out.append(piece);
        }
        out.append(stream.flush());
        assertEquals(text, out.toString());
        assertEquals(tokenizer.decode(ids), out.toString());
    }

    @Test
    void heldBackBytesAppearWhenTheCharacterCompletes() {
        int[] ids = tokenizer.encode("𠀋");
        assertTrue(ids.length > 1, "this rare character should span several byte tokens");
        StreamDecoder stream = tokenizer.newStreamDecoder();
        for (int i = 0; i < ids.length - 1; i++) {
            assertEquals("", stream.push(ids[i]));
        }
        assertEquals("𠀋", stream.push(ids[ids.length - 1]));
        assertEquals("", stream.flush());
    }

    @Test
    void randomTokenSequencesStreamToTheFullDecode() {
        // Arbitrary ids make invalid and truncated UTF-8; streamed text must still equal decode().
        Random random = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            int[] ids = new int[1 + random.nextInt(12)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(3) == 0 ? random.nextInt(256) : random.nextInt(tokenizer.vocabSize());
            }
            StreamDecoder stream = tokenizer.newStreamDecoder();
            StringBuilder out = new StringBuilder();
            for (int id : ids) {
                out.append(stream.push(id));
            }
            out.append(stream.flush());
            assertEquals(tokenizer.decode(ids), out.toString(), java.util.Arrays.toString(ids));
        }
    }

    @Test
    void unfinishedCharacterAtTheEndFlushesAsOneReplacement() {
        int[] ids = tokenizer.encode("𠀋");
        int[] cut = java.util.Arrays.copyOf(ids, ids.length - 1);
        StreamDecoder stream = tokenizer.newStreamDecoder();
        StringBuilder out = new StringBuilder();
        for (int id : cut) {
            out.append(stream.push(id));
        }
        out.append(stream.flush());
        assertEquals(tokenizer.decode(cut), out.toString());
        assertEquals("\uFFFD", out.toString());
    }

    private static boolean someTokenCutsACharacter(int[] ids) {
        for (int id : ids) {
            if (tokenizer.decode(new int[] {id}).contains("\uFFFD")) {
                return true;
            }
        }
        return false;
    }
}
