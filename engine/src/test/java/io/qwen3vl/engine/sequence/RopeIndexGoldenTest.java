package io.qwen3vl.engine.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qwen3vl.engine.TestData;
import io.qwen3vl.models.io.Npy;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Position ids of the golden prompts, computed from their token ids and vision grids. */
class RopeIndexGoldenTest {
    private static final SpecialTokens SPECIAL = new SpecialTokens(151652, 151653, 151655, 151656);

    @ParameterizedTest
    @CsvSource({
            "text, , , 0",
            "image, vision/image_grid_thw.npy, , -60",
            "video, , vision/video_grid_thw.npy, -32",
            "preprocess/video_resize, , preprocess/video_resize/video_grid_thw.npy, -9"})
    void positionIdsMatchGetRopeIndex(String prompt, String imageGrid, String videoGrid, long delta)
            throws IOException {
        int[] ids = Arrays.stream(Npy.read(TestData.golden(prompt + "/input_ids.npy")).longs())
                .mapToInt(Math::toIntExact).toArray();
        TokenSequence seq = TokenSequence.locate(ids, SPECIAL, merged(imageGrid), merged(videoGrid));
        RopeIndex rope = RopeIndex.of(seq);
        long[] golden = Npy.read(TestData.golden(prompt + "/position_ids.npy")).longs();
        for (int axis = 0; axis < 3; axis++) {
            assertArrayEquals(Arrays.copyOfRange(golden, axis * ids.length, (axis + 1) * ids.length),
                    rope.positions()[axis], prompt + " axis " + axis);
        }
        assertEquals(delta, rope.ropeDelta(), "rope delta");
    }

    private static List<int[]> merged(String gridFile) throws IOException {
        if (gridFile == null) {
            return List.of();
        }
        long[] g = Npy.read(TestData.golden(gridFile)).longs();
        return List.of(new int[] {(int) g[0], (int) g[1] / 2, (int) g[2] / 2});
    }
}
