package io.qwen3vl.engine.batch;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate JVM that resumes a result log and appends large records slowly, announcing each one on
 * stdout: the kill-and-resume test kills it with SIGKILL mid-run.
 * Arguments: file, item count, pause in ms between records.
 */
public final class ResultLogChild {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long pause = Long.parseLong(args[2]);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(String.format("dir/item-%03d.jpg", i));
        }
        String filler = "x".repeat(256 * 1024); // big lines make a kill in the middle of a write likely
        try (ResultLog log = ResultLog.open(file, "path", ResultLog.Mode.RESUME)) {
            System.out.println("resumed " + log.doneKeys().size() + " dropped " + log.droppedBytes());
            System.out.flush();
            for (String key : log.pending(keys, k -> k, true)) {
                JsonObject record = new JsonObject();
                record.addProperty("path", key);
                record.addProperty("caption", filler);
                log.append(record);
                System.out.println("wrote " + key);
                System.out.flush();
                Thread.sleep(pause);
            }
        }
        System.out.println("finished");
    }
}
