package io.qwen3vl.engine.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.qwen3vl.models.checkpoint.JsonFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an evaluation JSONL file. Each non-blank line is one object:
 * <pre>
 * {"id": "q1", "image": "cat.jpg", "question": "What animal is this?", "answer": "a cat"}
 * {"video": "clip.mp4", "question": "Which colour is the car?", "choices": ["red", "blue"], "answer": "B"}
 * {"video": "clip.mp4", "question": "When does the door open?", "answer": 12.5, "tolerance": 2}
 * {"video": "clip.mp4", "question": "When is the goal?", "answer": [61, 64]}
 * {"messages": [{"role": "user", "content": [{"type": "video", "video": "a.mp4"},
 *     {"type": "image", "image": "x.png"}, {"type": "text", "text": "..."}]}], "answer": "A", "choices": [..]}
 * </pre>
 * {@code image} may be a list; media paths are relative to the data file's folder. The task is
 * inferred: a number or {@code [start, end]} answer is a time question, an answer with
 * {@code choices} a multiple-choice one (a letter, or the text of one option), anything else free
 * text; {@code "task": "time"} forces a time question with a written answer ("1:05"). In the
 * question form, choices are listed under the question as {@code A. ...} lines followed by an
 * instruction to answer with the letter; {@code messages} are used as given.
 */
public final class EvalDataset {
    /** Default seconds a time answer may be off. */
    public static final double DEFAULT_TOLERANCE = 1.0;
    private static final Pattern LETTER = Pattern.compile("^\\s*\\(?([A-Za-z])\\)?\\.?\\s*$");

    private EvalDataset() {
    }

    public static List<EvalItem> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Path base = file.toAbsolutePath().getParent();
        List<EvalItem> items = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            EvalItem item = parse(lines.get(i), where, i + 1, base);
            Integer previous = ids.put(item.id(), i + 1);
            if (previous != null) {
                throw new EvalDataException(where + ": id \"" + item.id() + "\" already used on line " + previous);
            }
            items.add(item);
        }
        if (items.isEmpty()) {
            throw new EvalDataException(file + ": no items");
        }
        return items;
    }

    /** {@code --shuffle --seed} (seed null: keep the order) then {@code --limit} (0: all). */
    public static List<EvalItem> select(List<EvalItem> items, int limit, Long seed) {
        List<EvalItem> out = new ArrayList<>(items);
        if (seed != null) {
            Collections.shuffle(out, new Random(seed));
        }
        return limit > 0 && limit < out.size() ? List.copyOf(out.subList(0, limit)) : List.copyOf(out);
    }

    /** Parses one line; {@code where} ("file:line") starts every error message. */
    public static EvalItem parse(String line, String where, int lineNumber, Path base) {
        JsonObject o;
        try {
            o = JsonFiles.parseObject(line.getBytes(StandardCharsets.UTF_8), where);
        } catch (RuntimeException e) {
            throw new EvalDataException(e.getMessage());
        }
        String id = o.has("id") ? scalar(o.get("id"), where, "id") : String.valueOf(lineNumber);
        List<String> choices = o.has("choices") ? strings(o.get("choices"), where, "choices") : List.of();
        if (!o.has("answer")) {
            throw new EvalDataException(where + ": missing \"answer\"");
        }
        Expected expected = expected(o, choices, where);
        List<EvalItem.Message> messages;
        if (o.has("messages")) {
            messages = messages(o.get("messages"), where, base);
        } else if (o.has("question")) {
            messages = List.of(new EvalItem.Message("user", questionParts(o, choices, where, base)));
        } else {
            throw new EvalDataException(where + ": needs \"messages\" or \"question\"");
        }
        double tolerance = DEFAULT_TOLERANCE;
        if (o.has("tolerance")) {
            tolerance = number(o.get("tolerance"), where, "tolerance");
            if (tolerance < 0) {
                throw new EvalDataException(where + ": \"tolerance\" must not be negative");
            }
        }
        JsonObject meta = o.has("meta") && o.get("meta").isJsonObject() ? o.getAsJsonObject("meta") : new JsonObject();
        return new EvalItem(id, lineNumber, messages, expected, tolerance, meta);
    }

    private static Expected expected(JsonObject o, List<String> choices, String where) {
        JsonElement answer = o.get("answer");
        String task = o.has("task") ? scalar(o.get("task"), where, "task") : null;
        if (task != null && !List.of("text", "choice", "time").contains(task)) {
            throw new EvalDataException(where + ": \"task\" must be text, choice or time, got " + task);
        }
        if (answer.isJsonArray()) {
            JsonArray a = answer.getAsJsonArray();
            if (a.size() != 2) {
                throw new EvalDataException(where + ": an interval answer is [start, end] in seconds");
            }
            return Expected.time(TimeSpan.interval(number(a.get(0), where, "answer"), number(a.get(1), where, "answer")));
        }
        if (!answer.isJsonPrimitive()) {
            throw new EvalDataException(where + ": \"answer\" must be text, a number or [start, end]");
        }
        JsonPrimitive p = answer.getAsJsonPrimitive();
        if (p.isNumber() && !"text".equals(task) && !"choice".equals(task)) {
            return Expected.time(TimeSpan.point(number(answer, where, "answer")));
        }
        String text = p.getAsString();
        if ("time".equals(task)) {
            return Expected.time(TimeParser.parse(text).orElseThrow(
                    () -> new EvalDataException(where + ": cannot read a time in answer \"" + text + "\"")));
        }
        if (!choices.isEmpty() && !"text".equals(task)) {
            Matcher m = LETTER.matcher(text);
            if (m.matches()) {
                char letter = Character.toUpperCase(m.group(1).charAt(0));
                if (letter - 'A' >= choices.size()) {
                    throw new EvalDataException(where + ": answer " + letter + " but only " + choices.size() + " choices");
                }
                return Expected.choice(letter, choices);
            }
            for (int i = 0; i < choices.size(); i++) {
                if (ExactMatch.normalize(choices.get(i)).equals(ExactMatch.normalize(text))) {
                    return Expected.choice(ChoiceParser.letter(i), choices);
                }
            }
            throw new EvalDataException(where + ": answer \"" + text + "\" is neither a choice letter nor a choice");
        }
        if ("choice".equals(task)) {
            throw new EvalDataException(where + ": a choice question needs \"choices\"");
        }
        return Expected.text(text);
    }

    private static List<EvalItem.Part> questionParts(JsonObject o, List<String> choices, String where, Path base) {
        List<EvalItem.Part> parts = new ArrayList<>();
        if (o.has("video")) {
            parts.add(EvalItem.Part.video(media(scalar(o.get("video"), where, "video"), where, base)));
        }
        if (o.has("image")) {
            JsonElement images = o.get("image");
            List<String> names = images.isJsonArray() ? strings(images, where, "image") : List.of(scalar(images, where, "image"));
            for (String name : names) {
                parts.add(EvalItem.Part.image(media(name, where, base)));
            }
        }
        StringBuilder q = new StringBuilder(scalar(o.get("question"), where, "question"));
        if (!choices.isEmpty()) {
            for (int i = 0; i < choices.size(); i++) {
                q.append('\n').append(ChoiceParser.letter(i)).append(". ").append(choices.get(i));
            }
            q.append("\nAnswer with the option's letter from the given choices directly.");
        }
        parts.add(EvalItem.Part.text(q.toString()));
        return parts;
    }

    private static List<EvalItem.Message> messages(JsonElement e, String where, Path base) {
        if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw new EvalDataException(where + ": \"messages\" must be a non-empty list");
        }
        List<EvalItem.Message> out = new ArrayList<>();
        for (JsonElement m : e.getAsJsonArray()) {
            if (!m.isJsonObject() || !m.getAsJsonObject().has("role") || !m.getAsJsonObject().has("content")) {
                throw new EvalDataException(where + ": each message needs \"role\" and \"content\"");
            }
            JsonObject msg = m.getAsJsonObject();
            String role = scalar(msg.get("role"), where, "role");
            JsonElement content = msg.get("content");
            List<EvalItem.Part> parts = new ArrayList<>();
            if (content.isJsonPrimitive()) {
                parts.add(EvalItem.Part.text(content.getAsString()));
            } else if (content.isJsonArray()) {
                for (JsonElement pe : content.getAsJsonArray()) {
                    parts.add(part(pe, where, base));
                }
            } else {
                throw new EvalDataException(where + ": message content must be text or a list of parts");
            }
            out.add(new EvalItem.Message(role, parts));
        }
        return out;
    }

    private static EvalItem.Part part(JsonElement pe, String where, Path base) {
        if (!pe.isJsonObject() || !pe.getAsJsonObject().has("type")) {
            throw new EvalDataException(where + ": each content part needs a \"type\"");
        }
        JsonObject p = pe.getAsJsonObject();
        String type = scalar(p.get("type"), where, "type");
        switch (type) {
            case "text":
                return EvalItem.Part.text(scalar(require(p, "text", where), where, "text"));
            case "image":
                return EvalItem.Part.image(media(scalar(require(p, "image", where), where, "image"), where, base));
            case "video":
                return EvalItem.Part.video(media(scalar(require(p, "video", where), where, "video"), where, base));
            default:
                throw new EvalDataException(where + ": unknown content type \"" + type + "\"");
        }
    }

    private static JsonElement require(JsonObject o, String field, String where) {
        if (!o.has(field)) {
            throw new EvalDataException(where + ": content part without \"" + field + "\"");
        }
        return o.get(field);
    }

    private static Path media(String name, String where, Path base) {
        String n = name.startsWith("file://") ? name.substring("file://".length()) : name;
        Path p = base == null ? Path.of(n) : base.resolve(n);
        if (!Files.isRegularFile(p)) {
            throw new EvalDataException(where + ": media file not found: " + name);
        }
        return p;
    }

    private static String scalar(JsonElement e, String where, String field) {
        if (e == null || !e.isJsonPrimitive()) {
            throw new EvalDataException(where + ": \"" + field + "\" must be a string");
        }
        return e.getAsString();
    }

    private static double number(JsonElement e, String where, String field) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new EvalDataException(where + ": \"" + field + "\" must be a number");
        }
        double v = e.getAsDouble();
        if (!Double.isFinite(v) || v < 0) {
            throw new EvalDataException(where + ": \"" + field + "\" must be a non-negative number");
        }
        return v;
    }

    private static List<String> strings(JsonElement e, String where, String field) {
        if (!e.isJsonArray()) {
            throw new EvalDataException(where + ": \"" + field + "\" must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            out.add(scalar(x, where, field));
        }
        return out;
    }
}
