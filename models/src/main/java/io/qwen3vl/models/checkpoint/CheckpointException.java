package io.qwen3vl.models.checkpoint;

/** A checkpoint file or folder that cannot be used; the message names the file and the problem. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
