package io.qwen3vl.vision;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How a temporal patch's time is written into the prompt. Rounding to tenths follows Python's
 * {@code f"{t:.1f}"}: half-to-even on the exact binary value of the double (0.25 → "0.2", 0.35,
 * stored slightly below, → "0.3"), which {@code String.format} does not do.
 */
public enum TimestampFormat {
    /** {@code <2.5 seconds>}: what the Qwen3-VL processor emits and the model was trained on. */
    SECONDS,
    /** {@code <00:02:05.7>}: hours, minutes and seconds with tenths, from the same rounded value. */
    HMS;

    /** The prompt text for a timestamp in seconds (finite, not negative). */
    public String format(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("timestamp must be a finite non-negative number, got " + seconds);
        }
        BigDecimal tenths = roundToTenths(seconds);
        if (this == SECONDS) {
            return "<" + tenths.toPlainString() + " seconds>";
        }
        long totalTenths = tenths.movePointRight(1).longValueExact();
        long hours = totalTenths / 36000;
        long minutes = totalTenths / 600 % 60;
        long secondTenths = totalTenths % 600;
        return String.format("<%02d:%02d:%02d.%d>", hours, minutes, secondTenths / 10, secondTenths % 10);
    }

    /** Python's {@code round(t, 1)} as {@code .1f} prints it. */
    public static BigDecimal roundToTenths(double seconds) {
        return new BigDecimal(seconds).setScale(1, RoundingMode.HALF_EVEN);
    }
}
