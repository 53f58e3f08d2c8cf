package io.qwen3vl.engine.eval.needle;

import io.qwen3vl.vision.RgbImage;
import io.qwen3vl.vision.VideoFileSource;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;

/** A user's clip as the haystack: the frame shown at each time, looping when the clip is shorter. */
public final class ClipHaystack implements Haystack {
    private final VideoFileSource source;

    public ClipHaystack(Path clip) {
        source = VideoFileSource.open(clip);
    }

    @Override
    public BufferedImage frame(int index, double seconds, int width, int height) {
        double clipSeconds = source.frameCount() / source.fps();
        int sourceIndex = (int) Math.floor((seconds % clipSeconds) * source.fps());
        RgbImage rgb = source.frame(Math.min(sourceIndex, source.frameCount() - 1));
        BufferedImage src = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) src.getRaster().getDataBuffer()).getData();
        byte[] in = rgb.rgb();
        for (int i = 0; i < in.length; i += 3) {
            bgr[i] = in[i + 2];
            bgr[i + 1] = in[i + 1];
            bgr[i + 2] = in[i];
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    @Override
    public void close() {
        source.close();
    }
}
