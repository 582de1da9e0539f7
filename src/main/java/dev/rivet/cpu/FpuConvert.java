package dev.rivet.cpu;

import static dev.rivet.cpu.SoftFloat.NV;
import static dev.rivet.cpu.SoftFloat.NX;
import static dev.rivet.cpu.SoftFloat.RDN;
import static dev.rivet.cpu.SoftFloat.RNE;
import static dev.rivet.cpu.SoftFloat.RTZ;
import static dev.rivet.cpu.SoftFloat.RUP;

/**
 * Conversions between floating-point and integer values for {@link Fpu} (unprivileged spec, F
 * chapter, "Single-Precision Floating-Point Conversion and Move Instructions").
 */
final class FpuConvert {
    private FpuConvert() {}

    /** Integer destination kinds: fcvt.w, fcvt.wu, fcvt.l, fcvt.lu. */
    static final int W = 0, WU = 1, L = 2, LU = 3;

    private static final double TWO_31 = 0x1p31, TWO_32 = 0x1p32, TWO_63 = 0x1p63, TWO_64 = 0x1p64;

    /** v rounded to an integral value in mode rm (exact in double precision). */
    static double roundIntegral(double v, int rm) {
        return switch (rm) {
            case RNE -> Math.rint(v);
            case RTZ -> v < 0 ? Math.ceil(v) : Math.floor(v);
            case RDN -> Math.floor(v);
            case RUP -> Math.ceil(v);
            default -> { // RMM
                double m = Math.abs(v);
                double t = Math.floor(m);
                if (m - t >= 0.5) t += 1;
                yield Math.copySign(t, v);
            }
        };
    }

    /**
     * A float or double value v (binary32 values are exact in double) converted to integer kind
     * {@code kind}. Out-of-range results, infinities and NaN saturate with NV (NaN as the largest
     * value); 32-bit results are sign-extended, also for WU.
     */
    static long toInt(Hart h, double v, int kind, int rm) {
        double r = roundIntegral(v, rm);
        long result;
        switch (kind) {
            case W -> {
                if (r >= -TWO_31 && r < TWO_31) result = (long) r;
                else return invalid(h, r < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE);
            }
            case WU -> {
                if (r >= 0 && r < TWO_32) result = (int) (long) r; // -0 is valid: 0
                else return invalid(h, r < 0 ? 0 : -1L);
            }
            case L -> {
                if (r >= -TWO_63 && r < TWO_63) result = (long) r;
                else return invalid(h, r < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
            }
            default -> {
                if (r >= 0 && r < TWO_63) result = (long) r;
                else if (r >= TWO_63 && r < TWO_64) result = (long) (r - TWO_63) ^ Long.MIN_VALUE;
                else return invalid(h, r < 0 ? 0 : -1L);
            }
        }
        if (r != v) h.fflags |= NX;
        return result;
    }

    /** NaN (comparisons false: the largest value) and out-of-range inputs. */
    private static long invalid(Hart h, long saturated) {
        h.fflags |= NV;
        return saturated;
    }

    /** A signed or unsigned 64-bit integer x rounded to binary32, boxed. */
    static long toSingle(Hart h, long x, boolean unsigned, int rm) {
        boolean neg = !unsigned && x < 0;
        long mag = neg ? -x : x; // -Long.MIN_VALUE is 2^63 read unsigned
        if (mag >= 0 && mag <= 1 << 24) {
            float v = mag;
            return Fpu.box(Float.floatToRawIntBits(neg ? -v : v));
        }
        return Fpu.BOX | SoftFloat.fromInteger(h, neg, mag, SoftFloat.S, rm);
    }

    /** A signed or unsigned 64-bit integer x rounded to binary64. */
    static long toDouble(Hart h, long x, boolean unsigned, int rm) {
        boolean neg = !unsigned && x < 0;
        long mag = neg ? -x : x;
        if (mag >= 0 && mag <= 1L << 53) {
            double v = mag;
            return Double.doubleToRawLongBits(neg ? -v : v);
        }
        return SoftFloat.fromInteger(h, neg, mag, SoftFloat.D, rm);
    }
}
