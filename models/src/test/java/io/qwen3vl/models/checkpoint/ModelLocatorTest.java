package io.qwen3vl.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --model resolution: plain folders, and repo ids in a fake Hugging Face hub cache. */
class ModelLocatorTest {
    private static final String REPO = "Qwen/Qwen3-VL-2B-Instruct";
    private static final String HASH = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    /** Lays out models--Qwen--Qwen3-VL-2B-Instruct with refs/main -> HASH and a snapshot holding config.json. */
    private Path fakeCache(Path hub) throws IOException {
        Path repo = hub.resolve("models--Qwen--Qwen3-VL-2B-Instruct");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), HASH + "\n");
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(HASH));
        Files.writeString(snapshot.resolve("config.json"), "{}");
        return snapshot;
    }

    private ModelLocator locator(Map<String, String> env) {
        return new ModelLocator(env, tmp.resolve("home"));
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void existingFolderIsUsedAsIs() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("my-model"));
        assertEquals(folder, locator(Map.of()).locate(folder.toString()));
    }

    @Test
    void repoIdResolvesThroughRefsMainInHfHubCache() throws IOException {
        Path snapshot = fakeCache(tmp.resolve("hub"));
        assertEquals(snapshot, locator(Map.of("HF_HUB_CACHE", tmp.resolve("hub").toString())).locate(REPO));
    }

    @Test
    void hfHomeIsUsedWhenHubCacheIsUnset() throws IOException {
        Path snapshot = fakeCache(tmp.resolve("hf/hub"));
        assertEquals(snapshot, locator(Map.of("HF_HOME", tmp.resolve("hf").toString())).locate(REPO));
    }

    @Test
    void hubCacheWinsOverHfHome() throws IOException {
        Path snapshot = fakeCache(tmp.resolve("explicit"));
        fakeCache(tmp.resolve("hf/hub"));
        Map<String, String> env = Map.of("HF_HUB_CACHE", tmp.resolve("explicit").toString(),
                "HF_HOME", tmp.resolve("hf").toString());
        assertEquals(snapshot, locator(env).locate(REPO));
    }

    @Test
    void userCacheFolderIsTheDefault() throws IOException {
        Path snapshot = fakeCache(tmp.resolve("home/.cache/huggingface/hub"));
        assertEquals(snapshot, locator(Map.of()).locate(REPO));
    }

    @Test
    void explicitRevisionAndCommitAreHonoured() throws IOException {
        Path hub = tmp.resolve("hub");
        Path main = fakeCache(hub);
        Path repo = hub.resolve("models--Qwen--Qwen3-VL-2B-Instruct");
        String other = "fedcba9876543210fedcba9876543210fedcba98";
        Path otherSnapshot = Files.createDirectories(repo.resolve("snapshots").resolve(other));
        Files.writeString(otherSnapshot.resolve("config.json"), "{}");
        Files.writeString(repo.resolve("refs/v2"), other);
        ModelLocator locator = locator(Map.of("HF_HUB_CACHE", hub.toString()));
        assertEquals(otherSnapshot, locator.locate(REPO + "@v2"));
        assertEquals(main, locator.locate(REPO + "@" + HASH));
    }

    @Test
    void singleSnapshotIsUsedWhenRefsAreMissing() throws IOException {
        Path hub = tmp.resolve("hub");
        Path snapshot = fakeCache(hub);
        Files.delete(hub.resolve("models--Qwen--Qwen3-VL-2B-Instruct/refs/main"));
        assertEquals(snapshot, locator(Map.of("HF_HUB_CACHE", hub.toString())).locate(REPO));
    }

    @Test
    void repoMissingFromTheCacheListsWhereItLooked() {
        Path hub = tmp.resolve("empty-hub");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> locator(Map.of("HF_HUB_CACHE", hub.toString())).locate(REPO));
        assertMentions(e.getMessage(), "model '" + REPO + "' not found offline",
                hub.resolve("models--Qwen--Qwen3-VL-2B-Instruct/refs/main").toString(), "$HF_HUB_CACHE");
    }

    @Test
    void refPointingAtAMissingSnapshotIsReported() throws IOException {
        Path hub = tmp.resolve("hub");
        Path snapshot = fakeCache(hub);
        Files.delete(snapshot.resolve("config.json"));
        Files.delete(snapshot);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> locator(Map.of("HF_HUB_CACHE", hub.toString())).locate(REPO));
        assertMentions(e.getMessage(), snapshot.toString());
    }

    @Test
    void snapshotWithoutConfigIsReportedAsIncomplete() throws IOException {
        Path hub = tmp.resolve("hub");
        Path snapshot = fakeCache(hub);
        Files.delete(snapshot.resolve("config.json"));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> locator(Map.of("HF_HUB_CACHE", hub.toString())).locate(REPO));
        assertMentions(e.getMessage(), snapshot.toString(), "has no config.json");
    }

    @Test
    void missingFolderThatIsNoRepoIdIsReported() {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> locator(Map.of()).locate(tmp.resolve("nope/deeper").toString()));
        assertMentions(e.getMessage(), "no such folder", "not a Hugging Face repo id");
    }
}
