package io.qwen3vl.models.checkpoint;

/**
 * IEEE 754 binary16 conversions with torch's exact behaviour (round to nearest-even, NaN payloads
 * kept and quieted), checked bit for bit against DJL's casts; Java 17 has no Float.float16ToFloat.
 */
public final class HalfFloat {
    private HalfFloat() {
    }

    /** The fp32 value of fp16 bits (exact). */
    public static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            // torch quiets a signalling NaN on the way (sets the top mantissa bit); inf stays inf.
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13) | (mant != 0 ? 0x400000 : 0));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** {@code value} rounded to the nearest fp16 value (ties to even), as a float. */
    public static float round(float value) {
        return toFloat(fromFloat(value));
    }

    /** {@link #round} applied to {@code a[from, to)} in place. */
    public static void round(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = round(a[i]);
        }
    }

    /** The fp16 nearest to {@code value}, ties to even; NaN stays NaN (quiet) and overflow becomes inf. */
    public static short fromFloat(float value) {
        return fromFloatBits(Float.floatToRawIntBits(value));
    }

    /** {@link #fromFloat} on raw fp32 bits, for conversion loops that never box or reinterpret. */
    public static short fromFloatBits(int f) {
        int sign = (f >>> 16) & 0x8000;
        int abs = f & 0x7FFFFFFF;
        if (abs >= 0x7F800000) { // inf or nan
            // NaN keeps the top 10 payload bits and is quieted, as torch's (F16C) cast does.
            return (short) (sign | 0x7C00 | (abs > 0x7F800000 ? 0x200 | ((abs >>> 13) & 0x3FF) : 0));
        }
        if (abs >= 0x477FF000) { // rounds to >= 65520: overflow to inf
            return (short) (sign | 0x7C00);
        }
        if (abs < 0x38800000) { // below 2^-14: a subnormal half or zero
            // In units of the smallest subnormal (2^-24) the value is mant24 / 2^shift.
            int shift = 126 - (abs >>> 23);
            if (shift > 24) { // below 2^-25, half the smallest subnormal: rounds to zero
                return (short) sign;
            }
            int mant = (abs & 0x7FFFFF) | 0x800000;
            int halfMant = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (halfMant & 1) != 0)) {
                halfMant++;
            }
            return (short) (sign | halfMant);
        }
        int exp = (abs >>> 23) - 112;
        int mant = abs & 0x7FFFFF;
        int half = (exp << 10) | (mant >>> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }
}
