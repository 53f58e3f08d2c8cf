package io.qwen3vl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code qwen3vl prepare}: what the model will see, without loading weights. */
class PrepareCommandTest {

    @Test
    void videoRequestShowsFramesTimestampsAndGrid() throws IOException {
        Cli r = Cli.run("prepare", "--model", Cli.tinyModel().toString(), "--messages",
                Cli.golden("video/messages.json").toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(Files.readString(Cli.golden("video/prompt.txt")), o.get("prompt").getAsString());
        JsonObject video = o.getAsJsonArray("media").get(0).getAsJsonObject();
        assertEquals("video", video.get("kind").getAsString());
        assertEquals(JsonParser.parseString("[0,6,11,17,22,28,33,39]"), video.get("frame_indices"));
        assertEquals(JsonParser.parseString("[\"<0.3 seconds>\",\"<1.4 seconds>\",\"<2.5 seconds>\",\"<3.6 seconds>\"]"),
                video.get("timestamp_texts"));
        assertEquals(JsonParser.parseString("[4,6,8]"), video.get("grid_thw"));
        assertEquals(48, video.get("tokens").getAsInt());
        JsonArray ids = o.getAsJsonArray("token_ids");
        assertEquals(95, ids.size());
    }

    @Test
    void textViewCompactsPadRuns() {
        Cli r = Cli.run("prepare", "--model", Cli.tinyModel().toString(), "--image",
                Cli.golden("inputs/image.png").toString(), "What is this?");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("<|image_pad|>×70"), r.out());
        assertTrue(r.out().contains("grid_thw [1, 14, 20]"), r.out());
    }

    @Test
    void hmsTimestampsOnRequest() {
        Cli r = Cli.run("prepare", "--model", Cli.tinyModel().toString(), "--video",
                Cli.golden("inputs/video_dev.mkv").toString(), "--timestamp-format", "hms", "What happens?");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("<00:00:00.3>"), r.out());
    }
}
