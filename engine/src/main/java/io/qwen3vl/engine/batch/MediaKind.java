package io.qwen3vl.engine.batch;

import java.util.Locale;

/** What an input file holds, as written in the {@code kind} field of a result line. */
public enum MediaKind {
    IMAGE,
    VIDEO,
    /** Neither an image nor a video (or empty, so nothing says what it was meant to be). */
    OTHER;

    /** The lower-case name used in JSON records: {@code image}, {@code video}, {@code other}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
