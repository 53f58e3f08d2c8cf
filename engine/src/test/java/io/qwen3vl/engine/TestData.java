package io.qwen3vl.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the bundled tiny checkpoint and its golden outputs (testdata/ at the repository root). */
public final class TestData {
    private TestData() {
    }

    public static Path tinyModel() {
        String configured = System.getProperty("qwen3vl.testdata");
        Path root = configured != null ? Path.of(configured) : Path.of("..", "testdata");
        Path model = root.resolve("qwen3vl-tiny");
        if (!Files.isDirectory(model)) {
            throw new IllegalStateException("test data not found at " + model.toAbsolutePath());
        }
        return model;
    }

    /**
     * The device the end-to-end golden tests load the model on: {@code -Dqwen3vl.test.device=cuda}
     * repeats them on a GPU with a CUDA build of libtorch; the default, cpu, is what CI runs.
     */
    public static String device() {
        return System.getProperty("qwen3vl.test.device", "cpu");
    }

    public static Path golden(String relative) {
        return tinyModel().resolve("golden").resolve(relative);
    }
}
