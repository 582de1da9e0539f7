package dev.rivet.cpu;

/**
 * F and D extension arithmetic on raw register bits. Every method takes an already resolved
 * rounding mode (0..4: RNE, RTZ, RDN, RUP, RMM) and ORs the IEEE exception flags it raises into
 * {@link Hart#fflags} (NV=16, DZ=8, OF=4, UF=2, NX=1). Single-precision operands arrive NaN-boxed
 * (a wrongly boxed one reads as the canonical NaN) and results leave NaN-boxed. Every NaN result is
 * the canonical NaN; signaling NaN inputs raise NV.
 *
 * <p>The arithmetic lives in {@link FpuSingle}, {@link FpuDouble}, {@link FpuConvert} and the
 * rounding core {@link SoftFloat}; this class is the entry point the interpreter and translated
 * code call.
 */
public final class Fpu {
    private Fpu() {}

    public static final long BOX = 0xffffffff00000000L;
    public static final int CANONICAL_NAN_S = 0x7fc00000;
    public static final long CANONICAL_NAN_D = 0x7ff8000000000000L;

    /** The single-precision value in a register: a wrongly boxed one reads as the canonical NaN. */
    public static int unbox(long bits) {
        return (bits & BOX) == BOX ? (int) bits : CANONICAL_NAN_S;
    }

    public static long box(int bits) {
        return BOX | (bits & 0xffffffffL);
    }

    // ---- Arithmetic ----

    public static long addS(Hart h, long a, long b, int rm) { return FpuSingle.add(h, unbox(a), unbox(b), rm); }
    public static long subS(Hart h, long a, long b, int rm) { return FpuSingle.add(h, unbox(a), unbox(b) ^ FpuSingle.SIGN, rm); }
    public static long mulS(Hart h, long a, long b, int rm) { return FpuSingle.mul(h, unbox(a), unbox(b), rm); }
    public static long divS(Hart h, long a, long b, int rm) { return FpuSingle.div(h, unbox(a), unbox(b), rm); }
    public static long sqrtS(Hart h, long a, int rm) { return FpuSingle.sqrt(h, unbox(a), rm); }

    /** (negateProduct ? -(a*b) : a*b) + (negateAddend ? -c : c), rounded once. */
    public static long fmaS(Hart h, long a, long b, long c, int rm, boolean negateProduct, boolean negateAddend) {
        int x = negateProduct ? unbox(a) ^ FpuSingle.SIGN : unbox(a);
        int z = negateAddend ? unbox(c) ^ FpuSingle.SIGN : unbox(c);
        return FpuSingle.fma(h, x, unbox(b), z, rm);
    }

    public static long addD(Hart h, long a, long b, int rm) { return FpuDouble.add(h, a, b, rm); }
    public static long subD(Hart h, long a, long b, int rm) { return FpuDouble.add(h, a, b ^ Long.MIN_VALUE, rm); }
    public static long mulD(Hart h, long a, long b, int rm) { return FpuDouble.mul(h, a, b, rm); }
    public static long divD(Hart h, long a, long b, int rm) { return FpuDouble.div(h, a, b, rm); }
    public static long sqrtD(Hart h, long a, int rm) { return FpuDouble.sqrt(h, a, rm); }

    public static long fmaD(Hart h, long a, long b, long c, int rm, boolean negateProduct, boolean negateAddend) {
        long x = negateProduct ? a ^ Long.MIN_VALUE : a;
        long z = negateAddend ? c ^ Long.MIN_VALUE : c;
        return FpuDouble.fma(h, x, b, z, rm);
    }

    // ---- Sign injection (no flags, no canonicalization) ----

    /** fsgnj.s / fsgnjn.s / fsgnjx.s: kind 0, 1, 2. */
    public static long sgnjS(long a, long b, int kind) {
        int x = unbox(a), y = unbox(b);
        int sign = switch (kind) {
            case 0 -> y & 0x80000000;
            case 1 -> ~y & 0x80000000;
            default -> (x ^ y) & 0x80000000;
        };
        return box((x & 0x7fffffff) | sign);
    }

    public static long sgnjD(long a, long b, int kind) {
        long sign = switch (kind) {
            case 0 -> b & Long.MIN_VALUE;
            case 1 -> ~b & Long.MIN_VALUE;
            default -> (a ^ b) & Long.MIN_VALUE;
        };
        return (a & Long.MAX_VALUE) | sign;
    }

    // ---- Minimum and maximum (IEEE 754-2019 minimumNumber / maximumNumber) ----

    public static long minS(Hart h, long a, long b) { return box(minMaxS(h, unbox(a), unbox(b), true)); }
    public static long maxS(Hart h, long a, long b) { return box(minMaxS(h, unbox(a), unbox(b), false)); }
    public static long minD(Hart h, long a, long b) { return minMaxD(h, a, b, true); }
    public static long maxD(Hart h, long a, long b) { return minMaxD(h, a, b, false); }

    private static int minMaxS(Hart h, int x, int y, boolean min) {
        boolean xn = FpuSingle.isNaN(x), yn = FpuSingle.isNaN(y);
        if (xn || yn) {
            if (FpuSingle.isSNaN(x) || FpuSingle.isSNaN(y)) h.fflags |= SoftFloat.NV;
            return xn ? (yn ? CANONICAL_NAN_S : y) : x;
        }
        float fx = Float.intBitsToFloat(x), fy = Float.intBitsToFloat(y);
        if (fx == fy) return min ? x | y : x & y; // equal values differ at most in a zero's sign
        return (fx < fy) == min ? x : y;
    }

    private static long minMaxD(Hart h, long x, long y, boolean min) {
        boolean xn = FpuDouble.isNaN(x), yn = FpuDouble.isNaN(y);
        if (xn || yn) {
            if (FpuDouble.isSNaN(x) || FpuDouble.isSNaN(y)) h.fflags |= SoftFloat.NV;
            return xn ? (yn ? CANONICAL_NAN_D : y) : x;
        }
        double dx = Double.longBitsToDouble(x), dy = Double.longBitsToDouble(y);
        if (dx == dy) return min ? x | y : x & y;
        return (dx < dy) == min ? x : y;
    }

    // ---- Comparisons: feq is quiet (NV only for signaling NaNs), flt and fle signal on any NaN ----

    public static long eqS(Hart h, long a, long b) {
        int x = unbox(a), y = unbox(b);
        if (FpuSingle.isNaN(x) || FpuSingle.isNaN(y)) {
            if (FpuSingle.isSNaN(x) || FpuSingle.isSNaN(y)) h.fflags |= SoftFloat.NV;
            return 0;
        }
        return Float.intBitsToFloat(x) == Float.intBitsToFloat(y) ? 1 : 0;
    }

    public static long ltS(Hart h, long a, long b) {
        int x = unbox(a), y = unbox(b);
        if (FpuSingle.isNaN(x) || FpuSingle.isNaN(y)) return unordered(h);
        return Float.intBitsToFloat(x) < Float.intBitsToFloat(y) ? 1 : 0;
    }

    public static long leS(Hart h, long a, long b) {
        int x = unbox(a), y = unbox(b);
        if (FpuSingle.isNaN(x) || FpuSingle.isNaN(y)) return unordered(h);
        return Float.intBitsToFloat(x) <= Float.intBitsToFloat(y) ? 1 : 0;
    }

    public static long eqD(Hart h, long a, long b) {
        if (FpuDouble.isNaN(a) || FpuDouble.isNaN(b)) {
            if (FpuDouble.isSNaN(a) || FpuDouble.isSNaN(b)) h.fflags |= SoftFloat.NV;
            return 0;
        }
        return Double.longBitsToDouble(a) == Double.longBitsToDouble(b) ? 1 : 0;
    }

    public static long ltD(Hart h, long a, long b) {
        if (FpuDouble.isNaN(a) || FpuDouble.isNaN(b)) return unordered(h);
        return Double.longBitsToDouble(a) < Double.longBitsToDouble(b) ? 1 : 0;
    }

    public static long leD(Hart h, long a, long b) {
        if (FpuDouble.isNaN(a) || FpuDouble.isNaN(b)) return unordered(h);
        return Double.longBitsToDouble(a) <= Double.longBitsToDouble(b) ? 1 : 0;
    }

    private static long unordered(Hart h) {
        h.fflags |= SoftFloat.NV;
        return 0;
    }

    // ---- Classification ----

    public static long classS(long a) {
        int u = unbox(a);
        return classify(u < 0, (u >>> 23) & 0xff, 0xff, u & 0x7fffff, 0x400000);
    }

    public static long classD(long a) {
        return classify(a < 0, (int) (a >>> 52) & 0x7ff, 0x7ff, a & SoftFloat.FRAC_D, 1L << 51);
    }

    /** The fclass mask: bit 0 -inf ... 3 -0, 4 +0 ... 7 +inf, 8 signaling NaN, 9 quiet NaN. */
    private static long classify(boolean neg, int exp, int maxExp, long frac, long quietBit) {
        if (exp == maxExp) {
            if (frac != 0) return (frac & quietBit) != 0 ? 1 << 9 : 1 << 8;
            return neg ? 1 : 1 << 7;
        }
        int bit = exp != 0 ? 1 : frac != 0 ? 2 : 3; // normal, subnormal, zero (negative side)
        return neg ? 1L << bit : 1L << (7 - bit);
    }

    // ---- Conversions ----

    public static long cvtWS(Hart h, long a, int rm) { return toInt(h, unbox(a), FpuConvert.W, rm); }
    public static long cvtWuS(Hart h, long a, int rm) { return toInt(h, unbox(a), FpuConvert.WU, rm); }
    public static long cvtLS(Hart h, long a, int rm) { return toInt(h, unbox(a), FpuConvert.L, rm); }
    public static long cvtLuS(Hart h, long a, int rm) { return toInt(h, unbox(a), FpuConvert.LU, rm); }
    public static long cvtWD(Hart h, long a, int rm) { return FpuConvert.toInt(h, Double.longBitsToDouble(a), FpuConvert.W, rm); }
    public static long cvtWuD(Hart h, long a, int rm) { return FpuConvert.toInt(h, Double.longBitsToDouble(a), FpuConvert.WU, rm); }
    public static long cvtLD(Hart h, long a, int rm) { return FpuConvert.toInt(h, Double.longBitsToDouble(a), FpuConvert.L, rm); }
    public static long cvtLuD(Hart h, long a, int rm) { return FpuConvert.toInt(h, Double.longBitsToDouble(a), FpuConvert.LU, rm); }

    private static long toInt(Hart h, int u, int kind, int rm) {
        return FpuConvert.toInt(h, Float.intBitsToFloat(u), kind, rm);
    }

    public static long cvtSW(Hart h, long x, int rm) { return FpuConvert.toSingle(h, (int) x, false, rm); }
    public static long cvtSWu(Hart h, long x, int rm) { return FpuConvert.toSingle(h, x & 0xffffffffL, false, rm); }
    public static long cvtSL(Hart h, long x, int rm) { return FpuConvert.toSingle(h, x, false, rm); }
    public static long cvtSLu(Hart h, long x, int rm) { return FpuConvert.toSingle(h, x, true, rm); }
    public static long cvtDW(Hart h, long x, int rm) { return FpuConvert.toDouble(h, (int) x, false, rm); }
    public static long cvtDWu(Hart h, long x, int rm) { return FpuConvert.toDouble(h, x & 0xffffffffL, false, rm); }
    public static long cvtDL(Hart h, long x, int rm) { return FpuConvert.toDouble(h, x, false, rm); }
    public static long cvtDLu(Hart h, long x, int rm) { return FpuConvert.toDouble(h, x, true, rm); }

    /** fcvt.s.d: rounds according to rm. */
    public static long cvtSD(Hart h, long a, int rm) { return FpuSingle.fromDouble(h, a, rm); }

    /** fcvt.d.s: exact; a NaN becomes the canonical NaN (NV for a signaling one). */
    public static long cvtDS(Hart h, long a) {
        int u = unbox(a);
        if (FpuSingle.isNaN(u)) return FpuDouble.nan(h, FpuSingle.isSNaN(u));
        return Double.doubleToRawLongBits(Float.intBitsToFloat(u));
    }
}
