package io.qwen3vl.models.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resolves a {@code --model} value to a model folder, offline: an existing folder is used as is;
 * otherwise a Hugging Face repo id ({@code Qwen/Qwen3-VL-2B-Instruct}, optionally
 * {@code @revision}) is looked up in the local hub cache, laid out by huggingface_hub as
 * {@code models--Qwen--Qwen3-VL-2B-Instruct/refs/main} (a commit hash) and
 * {@code .../snapshots/<hash>/} (the files). Nothing is downloaded.
 */
public final class ModelLocator {
    private static final Pattern REPO_ID =
            Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)(?:@([A-Za-z0-9_-][A-Za-z0-9._-]*))?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Map<String, String> env;
    private final Path userHome;

    /** A locator reading the given environment (for tests); {@link #fromSystem()} uses the real one. */
    public ModelLocator(Map<String, String> env, Path userHome) {
        this.env = Map.copyOf(env);
        this.userHome = userHome;
    }

    public static ModelLocator fromSystem() {
        return new ModelLocator(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** Shorthand for {@code fromSystem().locate(model)}. */
    public static Path resolve(String model) {
        return fromSystem().locate(model);
    }

    /**
     * The hub cache folder, chosen as huggingface_hub does: {@code $HF_HUB_CACHE}, then the legacy
     * {@code $HUGGINGFACE_HUB_CACHE}, then {@code $HF_HOME/hub}, then
     * {@code $XDG_CACHE_HOME/huggingface/hub}, then {@code ~/.cache/huggingface/hub}.
     */
    public Path hubCache() {
        String hub = env("HF_HUB_CACHE");
        if (hub == null) {
            hub = env("HUGGINGFACE_HUB_CACHE");
        }
        if (hub != null) {
            return expandHome(hub);
        }
        String home = env("HF_HOME");
        if (home != null) {
            return expandHome(home).resolve("hub");
        }
        String xdg = env("XDG_CACHE_HOME");
        Path cache = xdg != null ? expandHome(xdg) : userHome.resolve(".cache");
        return cache.resolve("huggingface").resolve("hub");
    }

    public Path locate(String model) {
        if (model == null || model.isBlank()) {
            throw new CheckpointException("--model is empty: give a model folder or a Hugging Face repo id");
        }
        Path asPath = null;
        try {
            asPath = expandHome(model);
        } catch (InvalidPathException ignored) {
            // not a usable path; it may still be a repo id
        }
        if (asPath != null && Files.isDirectory(asPath)) {
            return asPath;
        }
        Matcher id = REPO_ID.matcher(model);
        if (!id.matches() || model.startsWith(".")) {
            throw new CheckpointException("model '" + model + "': no such folder (" + describe(asPath)
                    + "), and not a Hugging Face repo id like Qwen/Qwen3-VL-2B-Instruct");
        }
        return fromCache(model, id.group(1), id.group(2), id.group(3) == null ? "main" : id.group(3), asPath);
    }

    private Path fromCache(String model, String org, String name, String revision, Path asPath) {
        Path repo = hubCache().resolve("models--" + org + "--" + name);
        List<String> looked = new ArrayList<>();
        if (asPath != null) {
            looked.add("folder " + asPath.toAbsolutePath());
        }
        Path snapshot = null;
        if (COMMIT.matcher(revision).matches()) {
            snapshot = repo.resolve("snapshots").resolve(revision);
            looked.add(snapshot.toString());
        } else {
            Path ref = repo.resolve("refs").resolve(revision);
            looked.add(ref.toString());
            String hash = readRef(ref);
            if (hash != null) {
                snapshot = repo.resolve("snapshots").resolve(hash);
                looked.add(snapshot.toString());
            } else if (revision.equals("main")) {
                // A cache copied without refs/ still works when it holds exactly one snapshot.
                snapshot = onlySnapshot(repo.resolve("snapshots"));
                looked.add(repo.resolve("snapshots") + "/* (a single snapshot)");
            }
        }
        if (snapshot == null || !Files.isDirectory(snapshot)) {
            throw new CheckpointException("model '" + model + "' not found offline; looked at: "
                    + String.join(", ", looked) + " (hub cache from " + cacheSource()
                    + "; download it first, e.g. `hf download " + org + "/" + name + "`)");
        }
        if (!Files.isRegularFile(snapshot.resolve("config.json"))) {
            throw new CheckpointException("model '" + model + "': cached snapshot " + snapshot
                    + " has no config.json (an incomplete download?)");
        }
        return snapshot;
    }

    private static String readRef(Path ref) {
        if (!Files.isRegularFile(ref)) {
            return null;
        }
        try {
            String hash = Files.readString(ref).trim();
            return hash.isEmpty() || hash.contains("/") || hash.contains("\\") ? null : hash;
        } catch (IOException e) {
            throw new CheckpointException(ref + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Path onlySnapshot(Path snapshots) {
        if (!Files.isDirectory(snapshots)) {
            return null;
        }
        try (Stream<Path> entries = Files.list(snapshots)) {
            List<Path> dirs = entries.filter(Files::isDirectory).limit(2).toList();
            return dirs.size() == 1 ? dirs.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private String cacheSource() {
        for (String key : new String[] {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) {
            if (env(key) != null) {
                return "$" + key;
            }
        }
        if (env("HF_HOME") != null) {
            return "$HF_HOME/hub";
        }
        return env("XDG_CACHE_HOME") != null ? "$XDG_CACHE_HOME/huggingface/hub" : "~/.cache/huggingface/hub";
    }

    private static String describe(Path p) {
        return p == null ? "not a valid path" : "looked at " + p.toAbsolutePath();
    }

    private String env(String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    private Path expandHome(String p) {
        if (p.equals("~")) {
            return userHome;
        }
        if (p.startsWith("~/")) {
            return userHome.resolve(p.substring(2));
        }
        return Path.of(p);
    }
}
