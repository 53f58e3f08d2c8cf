package io.qwen3vl.engine.eval;

/**
 * Temporal grounding metrics for a predicted time against the expected one.
 * <ul>
 *   <li>expected moment, predicted moment: error = |p − e|; correct when error ≤ tolerance.</li>
 *   <li>expected moment, predicted interval: error = distance from the moment to the interval (0 when
 *       inside); correct when error ≤ tolerance; no IoU.</li>
 *   <li>expected interval, predicted moment: error = distance from the moment to the interval;
 *       correct when error ≤ tolerance; IoU is 1 when the moment lies inside the interval, else 0
 *       (a moment has no length, so the usual ratio would always be 0).</li>
 *   <li>expected interval, predicted interval: IoU = overlap / union; error = mean of the two
 *       boundary errors; correct when IoU ≥ {@value #IOU_THRESHOLD}.</li>
 * </ul>
 * An answer without a readable time is wrong, with no error and an IoU of 0 for interval questions.
 */
public final class TemporalScore {
    public static final double IOU_THRESHOLD = 0.5;

    private TemporalScore() {
    }

    public static Score score(TimeSpan expected, TimeSpan predicted, double tolerance) {
        if (predicted == null) {
            return new Score(Expected.Task.TIME, false, null, null, null, expected.isPoint() ? null : 0.0);
        }
        String parsed = predicted.toString();
        if (expected.isPoint()) {
            double error = predicted.distanceTo(expected.start());
            return new Score(Expected.Task.TIME, error <= tolerance, parsed, null, error, null);
        }
        if (predicted.isPoint()) {
            double error = expected.distanceTo(predicted.start());
            return new Score(Expected.Task.TIME, error <= tolerance, parsed, null, error, error == 0 ? 1.0 : 0.0);
        }
        double iou = iou(expected, predicted);
        double error = (Math.abs(predicted.start() - expected.start()) + Math.abs(predicted.end() - expected.end())) / 2;
        return new Score(Expected.Task.TIME, iou >= IOU_THRESHOLD, parsed, null, error, iou);
    }

    /** Overlap length over union length of two intervals (1 for two equal zero-length spans). */
    public static double iou(TimeSpan a, TimeSpan b) {
        double overlap = Math.max(0, Math.min(a.end(), b.end()) - Math.max(a.start(), b.start()));
        double union = Math.max(a.end(), b.end()) - Math.min(a.start(), b.start());
        if (union == 0) {
            return a.start() == b.start() ? 1 : 0;
        }
        return overlap / union;
    }
}
