package io.qwen3vl.engine.eval;

/**
 * How one answer scored. Fields that do not apply to the task are null.
 *
 * @param task the question's task
 * @param correct exact match (text), right letter (choice), or within tolerance / IoU ≥ 0.5 (time)
 * @param parsed what was read from the answer (letter, time), or null when nothing could be read
 * @param f1 token F1 (text)
 * @param absError seconds off (time; see {@link TemporalScore})
 * @param iou intersection over union (time questions whose expected answer is an interval)
 */
public record Score(Expected.Task task, boolean correct, String parsed, Double f1, Double absError, Double iou) {
}
