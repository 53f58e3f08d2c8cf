package io.qwen3vl.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process and captures what it prints. */
record Cli(int exit, String out, String err) {

    static Cli run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path tinyModel() {
        String configured = System.getProperty("qwen3vl.testdata");
        Path root = configured != null ? Path.of(configured) : Path.of("..", "testdata");
        Path model = root.resolve("qwen3vl-tiny");
        if (!Files.isDirectory(model)) {
            throw new IllegalStateException("test data not found at " + model.toAbsolutePath());
        }
        return model;
    }

    static Path golden(String relative) {
        return tinyModel().resolve("golden").resolve(relative);
    }
}
