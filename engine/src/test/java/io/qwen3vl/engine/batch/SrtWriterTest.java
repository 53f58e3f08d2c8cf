package io.qwen3vl.engine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SrtWriterTest {
    @Test
    void qwenTimestampsBecomeConsecutiveCues() {
        String answer = "<0.5 seconds> A man walks in. <3.5 seconds> He sits down.\nHe reads. <7.0 seconds> He leaves.";
        String srt = SrtWriter.format(SrtWriter.cues(answer, 10));
        assertEquals("""
                1
                00:00:00,500 --> 00:00:03,500
                A man walks in.

                2
                00:00:03,500 --> 00:00:07,000
                He sits down. He reads.

                3
                00:00:07,000 --> 00:00:10,000
                He leaves.

                """, srt);
    }

    @Test
    void intervalsClockTimesAndOutOfOrderEventsAreSortedWithoutOverlap() {
        String answer = """
                Events:
                [0:07-0:09] A dog barks.
                0:00-0:05: the car arrives
                The door opens from 3.5s to 7s.
                At 1:05 the end.
                """;
        List<SrtWriter.Cue> cues = SrtWriter.cues(answer, 60);
        assertEquals(3, cues.size(), cues.toString()); // 1:05 is past the end of the clip
        assertEquals(new SrtWriter.Cue(1, 0, 3.5, "the car arrives"), cues.get(0)); // cut at the next start
        assertEquals(new SrtWriter.Cue(2, 3.5, 7, "The door opens"), cues.get(1));
        assertEquals(new SrtWriter.Cue(3, 7, 9, "A dog barks."), cues.get(2)); // its own end, not the clip's
    }

    @Test
    void anAnswerWithoutTimesIsOneCueOverTheClip() {
        List<SrtWriter.Cue> cues = SrtWriter.cues("A quiet street.\n\nNothing happens.", 12.25);
        assertEquals(List.of(new SrtWriter.Cue(1, 0, 12.25, "A quiet street.\nNothing happens.")), cues);
        assertEquals("00:00:12,250", SrtWriter.timestamp(12.25));
        assertEquals("01:01:01,001", SrtWriter.timestamp(3661.001));
    }

    @Test
    void eventsAtTheSameMomentShareACueAndIntroTextStartsAtZero() {
        List<SrtWriter.Cue> cues = SrtWriter.cues("A sunny park. At 2s a kid runs. At 2s a dog follows.", 5);
        assertEquals(List.of(new SrtWriter.Cue(1, 0, 2, "A sunny park."),
                new SrtWriter.Cue(2, 2, 5, "a kid runs.\na dog follows.")), cues);
    }

    @Test
    void subtitleFilesStayInsideTheOutputFolder(@TempDir Path dir) throws IOException {
        Path srt = SrtWriter.write(dir, "clips/day1/a.mp4", "<1.0 seconds> hello", 3);
        assertEquals(dir.resolve("clips/day1/a.srt").toAbsolutePath(), srt);
        assertTrue(Files.readString(srt).startsWith("1\n00:00:01,000 --> 00:00:03,000\nhello\n"));
        assertThrows(IllegalArgumentException.class, () -> SrtWriter.write(dir, "../escape.mp4", "x", 3));
        assertThrows(IllegalArgumentException.class, () -> SrtWriter.write(dir, "/abs/escape.mp4", "x", 3));
    }
}
