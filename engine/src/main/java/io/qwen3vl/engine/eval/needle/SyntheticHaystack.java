package io.qwen3vl.engine.eval.needle;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Slowly drifting colour waves: every frame differs from the last (so the model has to look), none
 * resembles the needle. Channel values stay within [60, 196], so no pixel is ever the saturated
 * red, green or blue of the needle and distractor shapes.
 */
public final class SyntheticHaystack implements Haystack {
    private final double[] phase = new double[6];
    private final double[] speed = new double[3];

    public SyntheticHaystack(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < phase.length; i++) {
            phase[i] = r.nextDouble() * 2 * Math.PI;
        }
        for (int i = 0; i < speed.length; i++) {
            speed[i] = 0.05 + 0.1 * r.nextDouble(); // cycles per second: a slow drift
        }
    }

    @Override
    public BufferedImage frame(int index, double seconds, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < height; y++) {
            double v = (double) y / height;
            for (int x = 0; x < width; x++) {
                double u = (double) x / width;
                int i = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    double w = Math.sin(2 * Math.PI * ((c + 1) * 0.7 * u + speed[c] * seconds) + phase[c])
                            + Math.sin(2 * Math.PI * ((3 - c) * 0.5 * v - speed[c] * seconds) + phase[c + 3]);
                    bgr[i + 2 - c] = (byte) (128 + 34 * w); // RGB channel c sits at 2 - c in BGR
                }
            }
        }
        return img;
    }
}
