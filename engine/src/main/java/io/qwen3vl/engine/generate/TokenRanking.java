package io.qwen3vl.engine.generate;

import java.util.Arrays;

/**
 * Ranks tokens by logit without boxing or comparators: each (logit, id) pair is packed into one
 * {@code long} whose natural order is "higher logit first, then lower id first" once sorted
 * descending, so ties resolve to the lowest id as {@code torch.argmax} and {@code torch.topk} do.
 * Selection of the best k of V keys is O(V) (quickselect); only the selected keys get sorted.
 */
final class TokenRanking {
    private TokenRanking() {
    }

    static long key(float logit, int id) {
        int bits = Float.floatToRawIntBits(logit);
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff); // float order as signed-int order
        return ((long) ordered << 32) | (~id & 0xffffffffL);
    }

    static float logit(long key) {
        int ordered = (int) (key >> 32);
        return Float.intBitsToFloat(ordered ^ ((ordered >> 31) & 0x7fffffff));
    }

    static int id(long key) {
        return ~(int) key;
    }

    /** Moves the {@code k} largest keys of {@code a[from, to)} to {@code a[from, from + k)}, unordered. */
    static void selectLargest(long[] a, int from, int to, int k) {
        if (k <= 0 || k >= to - from) {
            return;
        }
        int target = from + k - 1; // where the k-th largest ends up
        int lo = from;
        int hi = to - 1;
        while (lo < hi) {
            long pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int i = lo;
            int j = hi;
            do {
                while (a[i] > pivot) {
                    i++;
                }
                while (a[j] < pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            } while (i <= j);
            // Now a[lo..j] >= pivot >= a[i..hi]; keep the side holding target.
            if (j < target) {
                lo = i;
            }
            if (target < i) {
                hi = j;
            }
        }
    }

    /** Sorts {@code a[from, to)} largest first. */
    static void sortDescending(long[] a, int from, int to) {
        Arrays.sort(a, from, to);
        for (int i = from, j = to - 1; i < j; i++, j--) {
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static long medianOfThree(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
