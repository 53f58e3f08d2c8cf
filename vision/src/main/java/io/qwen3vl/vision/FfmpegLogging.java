package io.qwen3vl.vision;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * Keeps FFmpeg's own logging off stderr. Problems reach the user as one-line
 * {@link MediaException}s instead of FFmpeg's per-packet warnings.
 */
public final class FfmpegLogging {
    private static volatile boolean quiet;

    private FfmpegLogging() {
    }

    public static void quiet() {
        if (!quiet) {
            synchronized (FfmpegLogging.class) {
                if (!quiet) {
                    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
                    quiet = true;
                }
            }
        }
    }
}
