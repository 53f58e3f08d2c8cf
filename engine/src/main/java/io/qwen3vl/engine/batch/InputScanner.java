package io.qwen3vl.engine.batch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lists the files of {@code --input DIR} that a batch run must answer for, in a deterministic order
 * (sorted by relative path), each classified as image, video or other.
 *
 * <p>Walking: symbolic links are followed; each directory is entered at most once, by the real path
 * it resolves to, so symlink cycles end and a folder linked twice is listed once (under the first
 * name in sorted order). Relative paths are built from the names walked, never from link targets, so
 * they never contain {@code ..}. Sockets, pipes and devices are skipped with a warning (reading a
 * pipe would block). Files in {@link #skipping skipped} locations, such as the run's own output, are
 * never listed.
 *
 * <p>Classification is by content ({@link MediaSniffer}); the extension is only a hint:
 * <ul>
 *   <li>empty file: {@code problem = "empty file"}, kind from the extension (else other);</li>
 *   <li>content recognised: that kind, whatever the extension says;</li>
 *   <li>content not recognised but an image/video extension: that kind with no problem, so the
 *       decoder gets the last word and its precise error ends up in the result line;</li>
 *   <li>otherwise (e.g. {@code notes.txt}): kind other, {@code problem = "not an image or video"}.</li>
 * </ul>
 * Every listed file therefore gets a result line; use {@code --include/--exclude} to leave files out.
 */
public final class InputScanner {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of(
            "jpg", "jpeg", "jpe", "png", "gif", "bmp", "webp", "tif", "tiff", "heic", "heif", "avif");
    private static final Set<String> VIDEO_EXTENSIONS = Set.of(
            "mp4", "m4v", "mov", "mkv", "webm", "avi", "ts", "mts", "m2ts", "mpg", "mpeg", "flv", "wmv",
            "3gp", "ogv", "asf");

    private final Path root;
    private final boolean recursive;
    private final GlobFilter filter;
    private final MediaSniffer sniffer;
    private final Set<Path> skipped;
    private final List<String> warnings = new ArrayList<>();

    private InputScanner(Path root, boolean recursive, GlobFilter filter, MediaSniffer sniffer, Set<Path> skipped) {
        this.root = root;
        this.recursive = recursive;
        this.filter = filter;
        this.sniffer = sniffer;
        this.skipped = skipped;
    }

    /** A scanner of {@code root} (a folder, or a single file), non-recursive, no filters. */
    public static InputScanner of(Path root) {
        return new InputScanner(root, false, GlobFilter.all(), new MagicBytes(), Set.of());
    }

    public InputScanner recursive(boolean value) {
        return new InputScanner(root, value, filter, sniffer, skipped);
    }

    public InputScanner filter(GlobFilter value) {
        return new InputScanner(root, recursive, value, sniffer, skipped);
    }

    public InputScanner sniffer(MediaSniffer value) {
        return new InputScanner(root, recursive, filter, value, skipped);
    }

    /** Never lists these files (the output JSONL, its temporary files), wherever they are. */
    public InputScanner skipping(Path... files) {
        Set<Path> all = new HashSet<>(skipped);
        for (Path f : files) {
            all.add(canonical(f));
        }
        return new InputScanner(root, recursive, filter, sniffer, Set.copyOf(all));
    }

    /** Problems met while walking that are not files (unreadable folders, loops, special files). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public List<InputFile> scan() throws IOException {
        warnings.clear();
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "input not found");
        }
        List<InputFile> out = new ArrayList<>();
        if (Files.isDirectory(root)) {
            walk(root, "", new HashSet<>(), out);
        } else {
            out.add(classify(root, root.getFileName().toString()));
        }
        out.sort(Comparator.comparing(InputFile::relativePath));
        return out;
    }

    private void walk(Path dir, String prefix, Set<Path> visited, List<InputFile> out) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            warnings.add(display(prefix) + ": cannot resolve folder (" + e.getMessage() + ")");
            return;
        }
        if (!visited.add(real)) {
            warnings.add(display(prefix) + ": folder already visited (symbolic link loop or duplicate link), skipped");
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (IOException e) {
            warnings.add(display(prefix) + ": cannot list folder (" + e.getClass().getSimpleName() + ")");
            return;
        }
        children.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path child : children) {
            String rel = prefix + child.getFileName();
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(child, BasicFileAttributes.class);
            } catch (IOException e) {
                if (Files.isSymbolicLink(child)) {
                    if (filter.accepts(rel)) {
                        out.add(new InputFile(child, rel, hint(rel), -1, "broken symbolic link"));
                    }
                } else {
                    warnings.add(rel + ": cannot read attributes (" + e.getClass().getSimpleName() + ")");
                }
                continue;
            }
            if (attrs.isDirectory()) {
                if (recursive) {
                    walk(child, rel + "/", visited, out);
                }
            } else if (attrs.isRegularFile()) {
                if (filter.accepts(rel) && !skipped.contains(canonical(child))) {
                    out.add(classify(child, rel));
                }
            } else if (filter.accepts(rel)) {
                warnings.add(rel + ": not a regular file, skipped");
            }
        }
    }

    private InputFile classify(Path file, String rel) {
        MediaKind hint = hint(rel);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return new InputFile(file, rel, hint, -1, "cannot read: " + e.getClass().getSimpleName());
        }
        if (size == 0) {
            return new InputFile(file, rel, hint, 0, "empty file");
        }
        MediaKind content;
        try {
            content = sniffer.sniff(file);
        } catch (IOException e) {
            return new InputFile(file, rel, hint, size, "cannot read: " + e.getClass().getSimpleName());
        }
        if (content != MediaKind.OTHER) {
            return new InputFile(file, rel, content, size, null);
        }
        if (hint != MediaKind.OTHER) {
            return new InputFile(file, rel, hint, size, null);
        }
        return new InputFile(file, rel, MediaKind.OTHER, size, "not an image or video");
    }

    /** The kind the file name suggests. */
    static MediaKind hint(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot < name.lastIndexOf('/')) {
            return MediaKind.OTHER;
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (IMAGE_EXTENSIONS.contains(ext)) {
            return MediaKind.IMAGE;
        }
        return VIDEO_EXTENSIONS.contains(ext) ? MediaKind.VIDEO : MediaKind.OTHER;
    }

    /** The real path of a file, or of its folder plus its name when it does not exist yet. */
    private static Path canonical(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            Path abs = file.toAbsolutePath().normalize();
            Path parent = abs.getParent();
            try {
                return parent == null ? abs : parent.toRealPath().resolve(abs.getFileName());
            } catch (IOException e2) {
                return abs;
            }
        }
    }

    private static String display(String prefix) {
        return prefix.isEmpty() ? "." : prefix.substring(0, prefix.length() - 1);
    }
}
