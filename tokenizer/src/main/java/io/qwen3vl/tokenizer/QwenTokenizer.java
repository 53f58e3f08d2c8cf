package io.qwen3vl.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkpoint's own tokenizer ({@code tokenizer.json}). Encoding runs Hugging Face's Rust
 * tokenizer through DJL, so ids are the reference's by construction; it is built without
 * truncation (DJL would cut at 512 tokens), padding or added special tokens (the chat template
 * writes them). Decoding is done here from the vocabulary's byte-level tokens, which makes the
 * {@link StreamDecoder} and {@link #decode} agree byte for byte.
 */
public final class QwenTokenizer implements AutoCloseable {
    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final Vocabulary vocabulary;

    private QwenTokenizer(Path file, HuggingFaceTokenizer tokenizer, Vocabulary vocabulary) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
    }

    /**
     * Loads {@code tokenizer.json} from a model folder, offline.
     *
     * @throws TokenizerException (an IllegalArgumentException) naming the file when it is missing,
     *     not valid JSON, or not a byte-level BPE tokenizer
     */
    public static QwenTokenizer load(Path modelDir) {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new TokenizerException(file, "not found");
        }
        Vocabulary vocabulary = Vocabulary.read(file);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new TokenizerException(file, "cannot be loaded by the tokenizers library ("
                    + why.replaceAll("\\s+", " ").trim() + ")", e);
        }
        return new QwenTokenizer(file, tokenizer, vocabulary);
    }

    /** Token ids of a text; special tokens written in it (e.g. {@code <|vision_start|>}) become their ids. */
    public int[] encode(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        long[] ids = encoding.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /**
     * The text of token ids, special tokens included as their text. Bytes that do not form valid
     * UTF-8 become U+FFFD as in Hugging Face's decode; ids the tokenizer does not know (the model's
     * embedding table is larger than the vocabulary) are skipped, as there.
     */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            bytes.writeBytes(vocabulary.bytes(id));
        }
        byte[] all = bytes.toByteArray();
        return Utf8.decodeLossy(all, 0, all.length);
    }

    /** A decoder for one stream of generated ids. */
    public StreamDecoder newStreamDecoder() {
        return new StreamDecoder(vocabulary);
    }

    /**
     * Id of an added or special token such as {@code "<|im_end|>"}.
     *
     * @throws TokenizerException when the tokenizer has no such added token
     */
    public int tokenId(String token) {
        Integer id = vocabulary.addedTokenId(token);
        if (id == null) {
            throw new TokenizerException(file, "no added token " + token);
        }
        return id;
    }

    /** Number of token ids the tokenizer knows (vocabulary plus added tokens), like {@code len(tokenizer)}. */
    public int vocabSize() {
        return vocabulary.size();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
