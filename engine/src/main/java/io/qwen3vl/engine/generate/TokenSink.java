package io.qwen3vl.engine.generate;

/**
 * Receives each generated token id as soon as it is chosen, for streaming. A stopping EOS token is
 * not passed on (it ends the answer and has no text); it still appears in the result's token ids.
 */
@FunctionalInterface
public interface TokenSink {
    TokenSink NONE = token -> { };

    void onToken(int tokenId);
}
