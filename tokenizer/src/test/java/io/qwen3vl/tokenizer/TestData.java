package io.qwen3vl.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the bundled tiny checkpoint and its golden outputs (testdata/ at the repository root). */
final class TestData {
    private TestData() {
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
