package io.qwen3vl.models;

import ai.djl.ndarray.NDManager;
import io.qwen3vl.models.checkpoint.Checkpoint;
import io.qwen3vl.models.config.ModelConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's native resources: one PyTorch {@link NDManager} opened before its tests and, on
 * first use, the bundled tiny checkpoint; both closed after the class's {@code @AfterAll} methods.
 * Register it with
 * {@code @RegisterExtension static final NativeFixture NATIVE = new NativeFixture();} — its
 * manager is open by the time the class's own {@code @BeforeAll} methods run.
 */
public final class NativeFixture implements BeforeAllCallback, AfterAllCallback {
    private NDManager manager;
    private Checkpoint checkpoint;

    @Override
    public void beforeAll(ExtensionContext context) {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (checkpoint != null) {
            checkpoint.close();
            checkpoint = null;
        }
        manager.close();
    }

    /** The class-wide manager. */
    public NDManager manager() {
        if (manager == null) {
            throw new IllegalStateException("NativeFixture is used outside its test class's lifetime");
        }
        return manager;
    }

    /** The tiny checkpoint ({@link TestData#tinyModel()}), opened once per test class. */
    public Checkpoint tinyCheckpoint() {
        if (checkpoint == null) {
            checkpoint = Checkpoint.open(TestData.tinyModel());
        }
        return checkpoint;
    }

    /** The tiny checkpoint's configuration. */
    public ModelConfig tinyConfig() {
        return ModelConfig.load(TestData.tinyModel());
    }
}
