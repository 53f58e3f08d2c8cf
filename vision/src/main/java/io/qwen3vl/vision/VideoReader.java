package io.qwen3vl.vision;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens whatever the user named as a video: a video file (recognised by content) or a folder of frames. */
public final class VideoReader {
    /**
     * Frame rate given to a folder of frames when none is stated: qwen-vl-utils' default for frame
     * lists (2 per second), under which the default sampler takes every frame.
     */
    public static final double DEFAULT_FOLDER_FPS = 2.0;

    private VideoReader() {
    }

    /** A video file, or a folder of frames played at {@link #DEFAULT_FOLDER_FPS}. */
    public static FrameSource open(Path path) {
        return open(path, DEFAULT_FOLDER_FPS);
    }

    /**
     * A video file (its own frame rate), or a folder of frames played at {@code folderFps}.
     *
     * @throws MediaException missing, empty, a still image, or not a decodable video
     */
    public static FrameSource open(Path path, double folderFps) {
        if (path != null && Files.isDirectory(path)) {
            return FrameFolderSource.open(path, folderFps);
        }
        MediaFiles.requireNonEmptyFile(path);
        byte[] head = MediaFiles.head(path);
        if (!MediaFiles.isVideoSignature(head) && MediaFiles.isImageSignature(head)) {
            throw new MediaException(path, "is a still image, not a video");
        }
        // Unknown signatures still go to FFmpeg, which probes many more containers than we list.
        return VideoFileSource.open(path);
    }

    /**
     * Whether a file's leading bytes mark a video container (MP4/MOV, Matroska/WebM, AVI, FLV, MPEG
     * program/transport streams, ASF/WMV, Ogg, Y4M, RealMedia). Cheap (reads a few hundred bytes,
     * no decoding), for sorting a mixed folder into images and videos; false for unreadable files.
     */
    public static boolean looksLikeVideo(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return false;
        }
        return MediaFiles.isVideoSignature(MediaFiles.head(file));
    }
}
