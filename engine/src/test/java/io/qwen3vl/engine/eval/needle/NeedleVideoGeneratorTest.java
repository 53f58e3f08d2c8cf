package io.qwen3vl.engine.eval.needle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qwen3vl.engine.eval.EvalDataset;
import io.qwen3vl.engine.eval.EvalItem;
import io.qwen3vl.engine.eval.Expected;
import io.qwen3vl.engine.eval.TimeSpan;
import io.qwen3vl.vision.FrameSampler;
import io.qwen3vl.vision.RgbImage;
import io.qwen3vl.vision.SamplingOptions;
import io.qwen3vl.vision.VideoFileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeedleVideoGeneratorTest {
    @TempDir
    Path dir;

    /** What the centre of a frame shows: the star's core is there, the haystack never saturates. */
    static String centre(RgbImage img) {
        long r = 0;
        long g = 0;
        long b = 0;
        int n = 0;
        for (int y = img.height() / 2 - 3; y < img.height() / 2 + 3; y++) {
            for (int x = img.width() / 2 - 3; x < img.width() / 2 + 3; x++) {
                r += img.get(x, y, 0);
                g += img.get(x, y, 1);
                b += img.get(x, y, 2);
                n++;
            }
        }
        r /= n;
        g /= n;
        b /= n;
        if (r > 180 && g < 60 && b < 60) {
            return "red";
        }
        if (b > 180 && r < 60 && g < 80) {
            return "blue";
        }
        if (g > 160 && r < 60 && b < 80) {
            return "green";
        }
        return "haystack";
    }

    @Test
    void theNeedleIsExactlyWhereTheVideoSaysAndNowhereElse() throws Exception {
        NeedleSpec spec = new NeedleSpec(8, 0.5, 4, 64, 48, 1.0, 2);
        NeedleVideo video = NeedleVideoGenerator.write(dir.resolve("n.mkv"), spec, new SyntheticHaystack(7));
        assertEquals(TimeSpan.interval(3.5, 4.5), video.needleTime()); // round(0.5 × (32 − 4)) = frame 14
        try (VideoFileSource source = VideoFileSource.open(video.file())) {
            assertEquals(32, source.frameCount());
            assertEquals(4.0, source.fps(), 1e-9);
            int red = 0;
            for (int i = 0; i < source.frameCount(); i++) {
                String seen = centre(source.frame(i));
                String expected = video.showsNeedle(i) ? "red" : "haystack";
                for (int k = 0; k < video.distractorFirstFrames().size(); k++) {
                    int first = video.distractorFirstFrames().get(k);
                    if (i >= first && i < first + spec.holdFrames()) {
                        expected = k == 0 ? "blue" : "green";
                    }
                }
                assertEquals(expected, seen, "frame " + i);
                red += seen.equals("red") ? 1 : 0;
            }
            assertEquals(4, red);
        }
    }

    @Test
    void theProjectsSamplerSeesTheNeedleAtItsStatedTime() throws Exception {
        NeedleSpec spec = new NeedleSpec(10, 0.8, 4, 64, 48, 1.0, 1);
        NeedleVideo video = NeedleVideoGenerator.write(dir.resolve("s.mkv"), spec, new SyntheticHaystack(3));
        try (VideoFileSource source = VideoFileSource.open(video.file())) {
            int[] indices = new FrameSampler(SamplingOptions.defaults()).indices(source.frameCount(), source.fps());
            int hits = 0;
            for (int index : indices) {
                double t = index / source.fps();
                boolean inside = t >= video.needleTime().start() && t < video.needleTime().end();
                assertEquals(inside, centre(source.frame(index)).equals("red"), "sampled frame " + index + " at " + t + " s");
                hits += inside ? 1 : 0;
            }
            assertTrue(hits >= 1, "the sampled frames miss the needle");
        }
    }

    @Test
    void theGridWritesAnEvalFileWithBothQuestionsPerCell() throws Exception {
        NeedleGrid.Options options = new NeedleGrid.Options(List.of(6.0, 8.0), List.of(0.0, 1.0),
                new NeedleSpec(6, 0, 2, 64, 48, 1.0, 1), 1.0, 42);
        Path data = NeedleGrid.write(dir.resolve("grid"), options, () -> new SyntheticHaystack(1));
        List<EvalItem> items = EvalDataset.read(data);
        assertEquals(8, items.size());
        EvalItem first = items.get(0);
        assertEquals("needle-L6-D00-time", first.id());
        assertEquals(TimeSpan.interval(0, 1), first.expected().time());
        EvalItem last = items.get(6);
        assertEquals(TimeSpan.interval(7, 8), last.expected().time()); // depth 1: ends on the last frame
        EvalItem choice = items.get(1);
        assertEquals(Expected.Task.CHOICE, choice.expected().task());
        List<EvalItem.Part> parts = choice.messages().get(0).content();
        assertEquals(EvalItem.Part.Type.VIDEO, parts.get(0).type());
        int needleOption = choice.expected().letter() == 'A' ? 2 : 4;
        assertTrue(parts.get(needleOption).media().getFileName().toString().endsWith("-needle.png"));
        assertTrue(Files.isRegularFile(parts.get(0).media()));
        assertEquals(0.0, first.meta().getAsJsonObject("needle").get("depth").getAsDouble());
    }

    @Test
    void aUsersClipLoopsAsTheHaystack() throws Exception {
        NeedleSpec clipSpec = new NeedleSpec(4, 0, 4, 64, 48, 1.0, 0);
        NeedleVideo clip = NeedleVideoGenerator.write(dir.resolve("clip.mkv"), clipSpec, new SyntheticHaystack(5));
        NeedleSpec spec = new NeedleSpec(8, 0.5, 4, 64, 48, 1.0, 0);
        NeedleVideo video;
        try (ClipHaystack haystack = new ClipHaystack(clip.file())) {
            video = NeedleVideoGenerator.write(dir.resolve("from-clip.mkv"), spec, haystack);
        }
        try (VideoFileSource source = VideoFileSource.open(video.file())) {
            // Frames 0-3 of the clip hold its own red star, so the loop shows it again at 4 s.
            assertEquals("red", centre(source.frame(1)));
            assertEquals("red", centre(source.frame(17)));
            assertEquals("haystack", centre(source.frame(6)));
            assertTrue(video.showsNeedle(14) && centre(source.frame(14)).equals("red"));
        }
    }
}
