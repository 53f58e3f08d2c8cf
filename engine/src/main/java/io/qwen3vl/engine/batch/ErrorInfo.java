package io.qwen3vl.engine.batch;

import com.google.gson.JsonObject;

/** The {@code error} object of a result line: {@code {"type": ..., "message": ...}}. */
public final class ErrorInfo {
    private ErrorInfo() {
    }

    /** The exception's simple class name and the first line of its message. */
    public static JsonObject of(Throwable error) {
        return of(error.getClass().getSimpleName(), message(error));
    }

    public static JsonObject of(String type, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("message", message);
        return o;
    }

    /** A one-line message: the first line of the message, or the class name when there is none. */
    public static String message(Throwable error) {
        String m = error.getMessage();
        if (m == null || m.isBlank()) {
            return error.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
