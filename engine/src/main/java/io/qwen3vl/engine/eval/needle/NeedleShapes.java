package io.qwen3vl.engine.eval.needle;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * The pictures of the test: a saturated shape on a plain dark background filling the frame. The
 * needle is a red star; distractors in the video are the same star in other colours; the decoy of
 * the two-image question is a red triangle that never appears in the video.
 */
public final class NeedleShapes {
    public static final Color BACKGROUND = new Color(32, 32, 32);
    public static final Color RED = new Color(230, 20, 20);
    public static final Color BLUE = new Color(20, 40, 230);
    public static final Color GREEN = new Color(20, 200, 40);

    public enum Shape { STAR, TRIANGLE }

    private NeedleShapes() {
    }

    public static BufferedImage draw(Shape shape, Color colour, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(colour);
        double cx = width / 2.0;
        double cy = height / 2.0;
        double r = 0.42 * Math.min(width, height);
        Polygon p = new Polygon();
        if (shape == Shape.STAR) {
            for (int k = 0; k < 10; k++) {
                double radius = k % 2 == 0 ? r : r * 0.45;
                double a = -Math.PI / 2 + k * Math.PI / 5;
                p.addPoint((int) Math.round(cx + radius * Math.cos(a)), (int) Math.round(cy + radius * Math.sin(a)));
            }
        } else {
            for (int k = 0; k < 3; k++) {
                double a = -Math.PI / 2 + k * 2 * Math.PI / 3;
                p.addPoint((int) Math.round(cx + r * Math.cos(a)), (int) Math.round(cy + r * Math.sin(a)));
            }
        }
        g.fillPolygon(p);
        g.dispose();
        return img;
    }
}
