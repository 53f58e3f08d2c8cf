package io.qwen3vl.models;

import java.util.function.Supplier;

/** Runs test code with a system property set, restoring the property's earlier value (or absence) after. */
public final class SystemProperty {
    private SystemProperty() {
    }

    public static <T> T with(String key, String value, Supplier<T> body) {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
