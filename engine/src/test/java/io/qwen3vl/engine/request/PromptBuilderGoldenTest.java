package io.qwen3vl.engine.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qwen3vl.engine.Closeness;
import io.qwen3vl.engine.TestData;
import io.qwen3vl.engine.media.MediaOptions;
import io.qwen3vl.engine.media.PreparedMedia;
import io.qwen3vl.models.io.Npy;
import io.qwen3vl.tokenizer.ChatTemplate;
import io.qwen3vl.vision.MediaException;
import io.qwen3vl.vision.PatchGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * From the golden chat-message files (real PNG and MKV inputs) to the exact text, token ids,
 * position ids and pixel values the official processor produced: the whole request path except the
 * network.
 */
class PromptBuilderGoldenTest {
    private static PromptBuilder builder;

    @BeforeAll
    static void load() {
        builder = PromptBuilder.load(TestData.tinyModel());
    }

    @AfterAll
    static void close() {
        builder.close();
    }

    @ParameterizedTest
    @CsvSource({
            "text, ,",
            "image, vision/image_pixel_values.npy, vision/image_grid_thw.npy",
            "video, vision/video_pixel_values.npy, vision/video_grid_thw.npy",
            "preprocess/video_resize, preprocess/video_resize/pixel_values_videos.npy, preprocess/video_resize/video_grid_thw.npy"})
    void goldenMessagesBecomeTheReferencePrompt(String prompt, String pixels, String grid) throws IOException {
        Path dir = TestData.golden(prompt);
        try (PreparedPrompt p = builder.build(ChatTemplate.parseMessages(dir.resolve("messages.json")), dir,
                MediaOptions.defaults())) {
            assertMatchesReference(p, dir, pixels, grid, prompt);
        }
    }

    private static void assertMatchesReference(PreparedPrompt p, Path dir, String pixels, String grid, String prompt)
            throws IOException {
        assertEquals(Files.readString(dir.resolve("chat_template_output.txt")), p.rendered(), "rendered template");
        assertEquals(Files.readString(dir.resolve("prompt.txt")), p.expanded(), "expanded prompt");
        int[] ids = Arrays.stream(Npy.read(dir.resolve("input_ids.npy")).longs()).mapToInt(Math::toIntExact).toArray();
        assertArrayEquals(ids, p.sequence().ids(), "token ids");
        long[] positions = Npy.read(dir.resolve("position_ids.npy")).longs();
        for (int axis = 0; axis < 3; axis++) {
            assertArrayEquals(Arrays.copyOfRange(positions, axis * ids.length, (axis + 1) * ids.length),
                    p.rope().positions()[axis], "position ids, axis " + axis);
        }
        if (pixels == null) {
            assertTrue(p.media().isEmpty());
            return;
        }
        assertEquals(1, p.media().size());
        PreparedMedia m = p.media().get(0);
        long[] g = Npy.read(TestData.golden(grid)).longs();
        PatchGrid actual = m.grid();
        assertArrayEquals(g, new long[] {actual.t(), actual.h(), actual.w()}, "grid_thw");
        Closeness.assertClose(Npy.read(TestData.golden(pixels)).floats(), m.patches().values(), 1e-6,
                prompt + " pixel values");
    }

    @Test
    void videoSamplingIsReported() throws IOException {
        Path dir = TestData.golden("video");
        PreparedMedia.VideoSampling v;
        try (PreparedPrompt p = builder.build(ChatTemplate.parseMessages(dir.resolve("messages.json")), dir,
                MediaOptions.defaults())) {
            v = p.media().get(0).video();
        }
        assertArrayEquals(new int[] {0, 6, 11, 17, 22, 28, 33, 39}, v.frameIndices());
        assertEquals(List.of("<0.3 seconds>", "<1.4 seconds>", "<2.5 seconds>", "<3.6 seconds>"), v.timestampTexts());
        assertEquals(40, v.totalFrames());
        assertEquals(10.0, v.fps(), 1e-9);
    }

    @Test
    void missingMediaNamesTheFile(@TempDir Path tmp) {
        List<Object> messages = PromptBuilder.userTurn(null, List.of(tmp.resolve("nope.png")), List.of(), "hi");
        MediaException e = assertThrows(MediaException.class, () -> builder.build(messages, null, MediaOptions.defaults()));
        assertTrue(e.getMessage().contains("nope.png"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    @Test
    void relativeMediaPathsResolveAgainstTheMessagesFolder() throws IOException {
        Path dir = TestData.golden("image");
        List<Object> messages = ChatTemplate.parseMessages(dir.resolve("messages.json"));
        try (PreparedPrompt p = builder.build(messages, dir, MediaOptions.defaults())) {
            assertEquals(dir.resolve("../inputs/image.png").normalize(), p.media().get(0).item().source());
        }
    }
}
