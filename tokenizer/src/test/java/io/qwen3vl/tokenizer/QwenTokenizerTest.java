package io.qwen3vl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.qwen3vl.models.io.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QwenTokenizerTest {
    private static QwenTokenizer tokenizer;
    /** Hugging Face's own decode, the reference for ours. */
    private static HuggingFaceTokenizer reference;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = QwenTokenizer.load(TestData.tinyModel());
        reference = HuggingFaceTokenizer.builder()
                .optTokenizerPath(TestData.tinyModel().resolve("tokenizer.json"))
                .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build();
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        reference.close();
    }

    @Test
    void encodesCheckedExamples() {
        assertArrayEquals(new int[] {9707, 220, 99489, 220, 151652, 151655, 151653},
                tokenizer.encode("Hello 世界 <|vision_start|><|image_pad|><|vision_end|>"));
        assertArrayEquals(new int[] {27, 18, 13, 15, 6486, 29}, tokenizer.encode("<3.0 seconds>"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "image", "video", "preprocess/video_resize"})
    void goldenPromptEncodesToGoldenIds(String prompt) throws IOException {
        String text = Files.readString(TestData.golden(prompt).resolve("prompt.txt"), StandardCharsets.UTF_8);
        long[] golden = Npy.read(TestData.golden(prompt).resolve("input_ids.npy")).longs();
        int[] expected = Arrays.stream(golden).mapToInt(Math::toIntExact).toArray();
        assertArrayEquals(expected, tokenizer.encode(text));
        assertEquals(text, tokenizer.decode(expected));
    }

    @Test
    void longPromptsAreNotTruncated() {
        String text = "word" + " word".repeat(2999);
        int[] ids = tokenizer.encode(text);
        assertEquals(3000, ids.length);
        assertEquals(text, tokenizer.decode(ids));
    }

    @Test
    void encodingSixteenThousandImagePadsIsFast() {
        String prompt = "<|im_start|>user\n<|vision_start|>" + "<|image_pad|>".repeat(16384)
                + "<|vision_end|>Describe.<|im_end|>\n<|im_start|>assistant\n";
        tokenizer.encode(prompt); // warm-up
        long start = System.nanoTime();
        int[] ids = tokenizer.encode(prompt);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(16384, Arrays.stream(ids).filter(id -> id == 151655).count());
        System.out.printf("encoding 16384 image pads: %.3f s%n", seconds);
        assertTrue(seconds < 1.0, "encoding 16384 pads took " + seconds + " s");
    }

    @Test
    void specialTokenIdsComeFromTheFile() {
        assertEquals(151643, tokenizer.tokenId("<|endoftext|>"));
        assertEquals(151644, tokenizer.tokenId("<|im_start|>"));
        assertEquals(151645, tokenizer.tokenId("<|im_end|>"));
        assertEquals(151652, tokenizer.tokenId("<|vision_start|>"));
        assertEquals(151653, tokenizer.tokenId("<|vision_end|>"));
        assertEquals(151655, tokenizer.tokenId("<|image_pad|>"));
        assertEquals(151656, tokenizer.tokenId("<|video_pad|>"));
        assertEquals(151669, tokenizer.vocabSize());
    }

    @Test
    void unknownSpecialTokenIsAClearError() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> tokenizer.tokenId("<|nope|>"));
        assertTrue(e.getMessage().contains("<|nope|>") && e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void decodeMatchesHuggingFaceDecode() {
        List<String> texts = List.of(
                "Hello 世界 <|vision_start|><|image_pad|><|vision_end|>",
                "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nOK",
                "Emoji 😀👍🏽 and accents: café, naïve, Ωμέγα — “quotes” \t tabs\r\n",
                "日本語のテキストと한국어 텍스트 and مرحبا",
                "  leading spaces, trailing spaces   ",
                "code: for (int i = 0; i < n; i++) { x += i; }\n\n\n");
        for (String text : texts) {
            int[] ids = tokenizer.encode(text);
            assertEquals(reference.decode(toLongs(ids), false), tokenizer.decode(ids), text);
            assertEquals(text, tokenizer.decode(ids));
        }
    }

    @Test
    void decodeOfTokensCuttingCharactersMatchesHuggingFace() {
        // Single tokens and odd slices of multi-byte text: the replacement characters must match.
        int[] ids = tokenizer.encode("😀👍🏽 世界和平 🤖🦀 ©®");
        for (int from = 0; from < ids.length; from++) {
            for (int to = from + 1; to <= ids.length; to++) {
                int[] slice = Arrays.copyOfRange(ids, from, to);
                assertEquals(reference.decode(toLongs(slice), false), tokenizer.decode(slice),
                        "ids " + Arrays.toString(slice));
            }
        }
    }

    @Test
    void idsOutsideTheVocabularyAreSkippedLikeHuggingFace() {
        int[] ids = {9707, 151900, 220};
        assertEquals(reference.decode(toLongs(ids), false), tokenizer.decode(ids));
        assertEquals("Hello ", tokenizer.decode(ids));
    }

    @Test
    void missingTokenizerJsonNamesTheFile(@TempDir Path dir) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> QwenTokenizer.load(dir));
        assertEquals(dir.resolve("tokenizer.json") + ": not found", e.getMessage());
    }

    @Test
    void corruptTokenizerJsonNamesTheFileInOneLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": {\"a\": 0,,,");
        TokenizerException e = assertThrows(TokenizerException.class, () -> QwenTokenizer.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer.json") + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void nonByteLevelTokenizerIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"),
                "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}}, \"decoder\": {\"type\": \"WordPiece\"}}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> QwenTokenizer.load(dir));
        assertTrue(e.getMessage().contains("byte-level BPE"), e.getMessage());
    }

    static long[] toLongs(int[] ids) {
        return Arrays.stream(ids).asLongStream().toArray();
    }
}
