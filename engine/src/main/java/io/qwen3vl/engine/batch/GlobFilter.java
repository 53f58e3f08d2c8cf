package io.qwen3vl.engine.batch;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --include}/{@code --exclude} globs matched against paths relative to the input root
 * ({@code /}-separated), in the {@link java.nio.file.FileSystem#getPathMatcher} glob syntax with
 * two conveniences users expect from .gitignore: a pattern without {@code /} matches the file name
 * at any depth ({@code *.mp4}), and a leading {@code **}{@code /} also matches at the top level
 * ({@code **}{@code /*.mp4} matches {@code a.mp4}).
 */
public final class GlobFilter {
    private final List<PathMatcher> includes;
    private final List<PathMatcher> excludes;
    private final List<Boolean> includeByName;
    private final List<Boolean> excludeByName;

    public GlobFilter(List<String> include, List<String> exclude) {
        includes = new ArrayList<>();
        includeByName = new ArrayList<>();
        excludes = new ArrayList<>();
        excludeByName = new ArrayList<>();
        compile(include, includes, includeByName);
        compile(exclude, excludes, excludeByName);
    }

    public static GlobFilter all() {
        return new GlobFilter(List.of(), List.of());
    }

    /** True when the path is included (no include patterns means everything) and not excluded. */
    public boolean accepts(String relativePath) {
        Path rel = Path.of(relativePath);
        boolean included = includes.isEmpty() || anyMatches(includes, includeByName, rel);
        return included && !anyMatches(excludes, excludeByName, rel);
    }

    private static void compile(List<String> patterns, List<PathMatcher> out, List<Boolean> byName) {
        for (String p : patterns) {
            if (p.isBlank()) {
                throw new IllegalArgumentException("empty glob pattern");
            }
            String glob = p.startsWith("./") ? p.substring(2) : p;
            boolean nameOnly = !glob.contains("/");
            out.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            byName.add(nameOnly);
            if (glob.startsWith("**/")) {
                out.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
                byName.add(!glob.substring(3).contains("/"));
            }
        }
    }

    private static boolean anyMatches(List<PathMatcher> matchers, List<Boolean> byName, Path rel) {
        for (int i = 0; i < matchers.size(); i++) {
            Path subject = byName.get(i) ? rel.getFileName() : rel;
            if (matchers.get(i).matches(subject)) {
                return true;
            }
        }
        return false;
    }
}
