package io.qwen3vl.engine.eval;

/** A bad line in an evaluation data file; the message names the file and line. */
public class EvalDataException extends RuntimeException {
    public EvalDataException(String message) {
        super(message);
    }
}
