package io.qwen3vl.engine.eval;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * One evaluation question: the chat to send and the answer expected.
 *
 * @param id key of its result line (the {@code id} field, else the line number)
 * @param line 1-based line in the data file
 * @param messages the conversation, media paths resolved against the data file's folder
 * @param expected what a correct answer is
 * @param tolerance seconds a time answer may be off and still count (time questions)
 * @param meta free-form data carried into the result (e.g. needle length and depth)
 */
public record EvalItem(String id, int line, List<Message> messages, Expected expected, double tolerance,
        JsonObject meta) {

    /** One chat turn. */
    public record Message(String role, List<Part> content) {
    }

    /** Text, or an image or video file. */
    public record Part(Type type, String text, Path media) {
        public enum Type { TEXT, IMAGE, VIDEO }

        public static Part text(String text) {
            return new Part(Type.TEXT, text, null);
        }

        public static Part image(Path file) {
            return new Part(Type.IMAGE, null, file);
        }

        public static Part video(Path file) {
            return new Part(Type.VIDEO, null, file);
        }
    }
}
