package io.qwen3vl.engine.batch;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.qwen3vl.models.checkpoint.JsonFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A durable, resumable JSON-lines file of results: one line per finished item, keyed by a string
 * field ({@code path} for captions, {@code id} for evaluations). A line with an {@code error} member
 * records a failure.
 *
 * <p>Durability: each record is written as one complete line at the end of the file, then forced
 * to the disk ({@link Durability#FSYNC}, the default: survives kill -9 and power loss, costs about a
 * millisecond per line, nothing next to a generation) or only handed to the operating system
 * ({@link Durability#FLUSH}: survives kill -9, not a power cut) before the next one starts.
 *
 * <p>Recovery: on resume, complete lines are kept; a torn tail (a last line without its newline, or
 * trailing lines that are not valid records, e.g. the zero bytes some file systems leave after a
 * crash) is cut off by truncating the file to the end of the last good line. A bad line followed by
 * good ones is not a crash artefact: opening fails with its line number. Retrying failed items
 * rewrites the file without their error lines (temporary file + atomic rename, so a crash leaves
 * either the old or the new file) before their new lines are appended, so every key ends with
 * exactly one line. The file is locked while open so that two runs never interleave their lines.
 */
public final class ResultLog implements Closeable {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** How to treat an existing file. */
    public enum Mode {
        /** Start a new file; refuse one that already holds results. */
        NEW,
        /** Start a new file, discarding any previous content. */
        OVERWRITE,
        /** Keep the complete lines of an existing file (or start one) and skip what they cover. */
        RESUME
    }

    /** When a written line is considered safe. */
    public enum Durability { FSYNC, FLUSH }

    private enum Status { DONE, ERROR }

    private final Path file;
    private final String keyField;
    private final Durability durability;
    private final Map<String, Status> status = new HashMap<>();
    /** Plain file I/O, not a FileChannel: an interrupt must never close the log halfway through a line. */
    private RandomAccessFile raf;
    private FileLock lock;
    private long size;
    private long droppedBytes;

    private ResultLog(Path file, String keyField, Durability durability) {
        this.file = file;
        this.keyField = keyField;
        this.durability = durability;
    }

    public static ResultLog open(Path file, String keyField, Mode mode) throws IOException {
        return open(file, keyField, mode, Durability.FSYNC);
    }

    public static ResultLog open(Path file, String keyField, Mode mode, Durability durability) throws IOException {
        if (mode == Mode.NEW && Files.exists(file) && Files.size(file) > 0) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "already holds results; resume it or overwrite it");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ResultLog log = new ResultLog(file, keyField, durability);
        log.openChannel();
        try {
            if (mode == Mode.RESUME) {
                log.recover();
            } else {
                log.raf.setLength(0);
                log.raf.getFD().sync();
                log.size = 0;
            }
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    /** The files this log writes: the log itself and its temporary rewrite (keep them out of inputs). */
    public static List<Path> ownFiles(Path file) {
        return List.of(file, temporaryFile(file));
    }

    /** The complete records of a results file (a torn tail is ignored), in file order. */
    public static List<JsonObject> readRecords(Path file) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        for (Line line : parse(file, Files.readAllBytes(file), null).lines) {
            out.add(line.record);
        }
        return out;
    }

    /** The record field that names an item ({@code path}, {@code id}). */
    public String keyField() {
        return keyField;
    }

    public Path file() {
        return file;
    }

    /** True when the key already has a successful line. */
    public synchronized boolean isDone(String key) {
        return status.get(key) == Status.DONE;
    }

    /** True when the key's line is an error line. */
    public synchronized boolean hasError(String key) {
        return status.get(key) == Status.ERROR;
    }

    public synchronized Set<String> doneKeys() {
        return keysWith(Status.DONE);
    }

    public synchronized Set<String> errorKeys() {
        return keysWith(Status.ERROR);
    }

    /** Bytes of a torn tail cut off when the file was opened (0 for a clean file). */
    public long droppedBytes() {
        return droppedBytes;
    }

    /**
     * The items still to do, in their order: those without a line, plus those with an error line
     * when {@code retryErrors}; the error lines of the latter are removed from the file now, so
     * their new lines replace them.
     */
    public synchronized <T> List<T> pending(List<T> items, Function<T, String> key, boolean retryErrors)
            throws IOException {
        List<T> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> retry = new HashSet<>();
        for (T item : items) {
            String k = key.apply(item);
            if (!seen.add(k)) {
                throw new IllegalArgumentException("two inputs have the same key: " + k);
            }
            Status s = status.get(k);
            if (s == null) {
                out.add(item);
            } else if (s == Status.ERROR && retryErrors) {
                retry.add(k);
                out.add(item);
            }
        }
        if (!retry.isEmpty()) {
            rewriteWithoutErrorsOf(retry);
        }
        return out;
    }

    /**
     * Appends one record as one line and makes it durable before returning. A key may be written
     * only once: a second line for it would break the one-line-per-input promise.
     */
    public synchronized void append(JsonObject record) throws IOException {
        if (raf == null) {
            throw new IllegalStateException(file + ": result log is closed");
        }
        String key = keyOf(record);
        if (key == null) {
            throw new IllegalArgumentException("record has no string \"" + keyField + "\": " + record);
        }
        if (status.containsKey(key)) {
            throw new IllegalStateException(file + ": already has a line for " + key);
        }
        byte[] bytes = (GSON.toJson(record) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            raf.seek(size);
            raf.write(bytes);
            if (durability == Durability.FSYNC) {
                raf.getFD().sync();
            }
        } catch (IOException e) {
            // Never leave half a line for the next record to follow (e.g. on a full disk).
            try {
                raf.setLength(size);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        size += bytes.length;
        status.put(key, record.has("error") ? Status.ERROR : Status.DONE);
    }

    @Override
    public synchronized void close() throws IOException {
        if (raf != null) {
            try {
                raf.close(); // releases the lock
            } finally {
                raf = null;
                lock = null;
            }
        }
    }

    private void openChannel() throws IOException {
        raf = new RandomAccessFile(file.toFile(), "rw");
        try {
            lock = raf.getChannel().tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            raf.close();
            raf = null;
            throw new IOException(file + ": another run is writing this file");
        }
        size = raf.length();
    }

    private void recover() throws IOException {
        byte[] bytes = readAll();
        Parsed parsed = parse(file, bytes, keyField);
        for (Line line : parsed.lines) {
            Status s = line.record.has("error") ? Status.ERROR : Status.DONE;
            // A success anywhere wins over an error line for the same key.
            status.merge(keyOf(line.record), s, (a, b) -> a == Status.DONE || b == Status.DONE ? Status.DONE : a);
        }
        if (parsed.goodEnd < bytes.length) {
            droppedBytes = bytes.length - parsed.goodEnd;
            raf.setLength(parsed.goodEnd);
            raf.getFD().sync();
        }
        size = parsed.goodEnd;
    }

    private void rewriteWithoutErrorsOf(Set<String> keys) throws IOException {
        Parsed parsed = parse(file, readAll(), keyField);
        Path tmp = temporaryFile(file);
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Line line : parsed.lines) {
                if (line.record.has("error") && keys.contains(keyOf(line.record))) {
                    continue;
                }
                ByteBuffer buffer = ByteBuffer.wrap(line.bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.toAbsolutePath().getParent());
        close();
        openChannel();
        for (String k : keys) {
            status.remove(k);
        }
    }

    private byte[] readAll() throws IOException {
        long n = raf.length();
        if (n > Integer.MAX_VALUE - 16) {
            throw new IOException(file + ": results file too large to resume (" + n + " bytes)");
        }
        byte[] bytes = new byte[(int) n];
        raf.seek(0);
        raf.readFully(bytes);
        return bytes;
    }

    private String keyOf(JsonObject record) {
        JsonElement k = record.get(keyField);
        return k != null && k.isJsonPrimitive() && k.getAsJsonPrimitive().isString() ? k.getAsString() : null;
    }

    private Set<String> keysWith(Status s) {
        Set<String> out = new HashSet<>();
        status.forEach((k, v) -> {
            if (v == s) {
                out.add(k);
            }
        });
        return Collections.unmodifiableSet(out);
    }

    private static Path temporaryFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".rewrite.tmp");
    }

    /** Makes a rename durable (Linux: fsync of the folder); not every platform allows it. */
    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the rename itself is atomic either way
        }
    }

    private record Line(JsonObject record, byte[] bytes) {
    }

    private record Parsed(List<Line> lines, int goodEnd) {
    }

    /**
     * Splits the bytes into complete record lines. {@code keyField} null accepts any object. Lines
     * after the last good one are a torn tail; a bad line before a good one is an error.
     */
    private static Parsed parse(Path file, byte[] bytes, String keyField) throws IOException {
        List<Line> lines = new ArrayList<>();
        int goodEnd = 0;
        int start = 0;
        int lineNo = 0;
        int firstBadLine = -1;
        String firstBadReason = null;
        while (start < bytes.length) {
            int nl = indexOf(bytes, (byte) '\n', start);
            if (nl < 0) {
                break; // no newline: torn
            }
            lineNo++;
            byte[] raw = Arrays.copyOfRange(bytes, start, nl + 1);
            String reason = null;
            JsonObject record = null;
            if (isBlank(raw)) {
                reason = "blank line";
            } else {
                try {
                    record = JsonFiles.parseObject(Arrays.copyOf(raw, raw.length - 1), "line " + lineNo);
                    if (keyField != null) {
                        JsonElement k = record.get(keyField);
                        if (k == null || !k.isJsonPrimitive() || !k.getAsJsonPrimitive().isString()) {
                            reason = "no string \"" + keyField + "\" field";
                        }
                    }
                } catch (RuntimeException e) {
                    reason = e.getMessage();
                }
            }
            if (reason == null) {
                if (firstBadLine >= 0) {
                    throw new IOException(file + ":" + firstBadLine + ": not a result line (" + firstBadReason
                            + "); the file was changed by something else than this tool");
                }
                lines.add(new Line(record, raw));
                goodEnd = nl + 1;
            } else if (firstBadLine < 0 && !isBlank(raw)) {
                firstBadLine = lineNo;
                firstBadReason = reason;
            } else if (firstBadLine < 0 && isBlank(raw) && goodEnd == start) {
                goodEnd = nl + 1; // a stray blank line between good lines is harmless
            }
            start = nl + 1;
        }
        return new Parsed(lines, goodEnd);
    }

    private static boolean isBlank(byte[] raw) {
        for (byte b : raw) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
