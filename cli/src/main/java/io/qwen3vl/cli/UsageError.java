package io.qwen3vl.cli;

/** A mistake in how the command was called; reported in one line with exit code 2. */
final class UsageError extends RuntimeException {
    UsageError(String message) {
        super(message);
    }
}
