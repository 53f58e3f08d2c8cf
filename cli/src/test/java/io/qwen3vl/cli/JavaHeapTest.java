package io.qwen3vl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JavaHeapTest {
    @Test
    void aChildJvmGetsASmallYoungGenerationAndTheSerialCollector() {
        assertEquals(List.of("-XX:MaxNewSize=32m", "-XX:+UseSerialGC"),
                JavaHeap.flags(List.of("-Xmx8g", "--add-modules", "x")));
    }

    @Test
    void whatTheUserChoseStays() {
        for (String own : List.of("-Xmn256m", "-XX:MaxNewSize=1g", "-XX:NewSize=64m", "-XX:NewRatio=3")) {
            assertEquals(List.of("-XX:+UseSerialGC"), JavaHeap.flags(List.of("-Xmx8g", own)), own);
        }
        for (String own : List.of("-XX:+UseG1GC", "-XX:+UseParallelGC", "-XX:+UseZGC", "-XX:+UseShenandoahGC")) {
            assertEquals(List.of("-XX:MaxNewSize=32m"), JavaHeap.flags(List.of(own)), own);
        }
        assertEquals(List.of(), JavaHeap.flags(List.of("-Xmn64m", "-XX:+UseG1GC")));
    }
}
