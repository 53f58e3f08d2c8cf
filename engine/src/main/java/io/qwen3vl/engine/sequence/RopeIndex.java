package io.qwen3vl.engine.sequence;

/**
 * 3-D position ids for a prompt ({@code get_rope_index} semantics). Text tokens share one position
 * on all three axes, increasing by one. A vision span starts at (previous maximum + 1) and token
 * (t, h, w) of its grid gets that start plus (t, h, w) on the three axes; text after it resumes at
 * the span's maximum + 1. Videos come as one span per temporal patch (t = 1), with the time carried
 * by the timestamp text between them rather than by the ids.
 *
 * @param positions {@code [3][L]}: temporal, height and width positions
 * @param ropeDelta (final maximum position + 1) − L: the offset between a generated token's index
 *                  in the sequence and its position id
 */
public record RopeIndex(long[][] positions, long ropeDelta) {

    public static RopeIndex of(TokenSequence sequence) {
        int len = sequence.length();
        long[][] pos = new long[3][len];
        long next = 0; // position of the next text token
        int cursor = 0;
        for (VisionSpan span : sequence.spans()) {
            for (; cursor < span.start(); cursor++, next++) {
                pos[0][cursor] = pos[1][cursor] = pos[2][cursor] = next;
            }
            long start = next;
            long max = start;
            for (int t = 0; t < span.gridT(); t++) {
                for (int h = 0; h < span.gridH(); h++) {
                    for (int w = 0; w < span.gridW(); w++, cursor++) {
                        pos[0][cursor] = start + t;
                        pos[1][cursor] = start + h;
                        pos[2][cursor] = start + w;
                    }
                }
            }
            max = Math.max(max, start + Math.max(span.gridT(), Math.max(span.gridH(), span.gridW())) - 1);
            next = max + 1;
        }
        for (; cursor < len; cursor++, next++) {
            pos[0][cursor] = pos[1][cursor] = pos[2][cursor] = next;
        }
        return new RopeIndex(pos, next - len);
    }

    /** Positions of {@code count} tokens generated after {@code sequenceIndex} tokens of context. */
    public long[][] decodePositions(int sequenceIndex, int count) {
        long[][] p = new long[3][count];
        for (int i = 0; i < count; i++) {
            long v = sequenceIndex + i + ropeDelta;
            p[0][i] = p[1][i] = p[2][i] = v;
        }
        return p;
    }
}
