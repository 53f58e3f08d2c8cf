package io.qwen3vl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class YoungGenerationTest {
    @Test
    void aChildJvmGetsASmallYoungGenerationUnlessTheUserSizedOne() {
        assertEquals(List.of("-XX:MaxNewSize=32m"), YoungGeneration.flags(List.of("-Xmx8g", "--add-modules", "x")));
        for (String own : List.of("-Xmn256m", "-XX:MaxNewSize=1g", "-XX:NewSize=64m", "-XX:NewRatio=3")) {
            assertEquals(List.of(), YoungGeneration.flags(List.of("-Xmx8g", own)), own);
        }
    }
}
