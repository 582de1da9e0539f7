package dev.rivet.cpu;

/**
 * F and D extension arithmetic on raw register bits. Every method takes an already resolved
 * rounding mode (0..4: RNE, RTZ, RDN, RUP, RMM) and ORs the IEEE exception flags it raises into
 * {@link Hart#fflags}. Single-precision operands arrive NaN-boxed and results leave NaN-boxed.
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

    private static long boxS(Hart h, float v) {
        if (Float.isNaN(v)) return box(CANONICAL_NAN_S);
        return box(Float.floatToRawIntBits(v));
    }

    private static long bitsD(double v) {
        return Double.isNaN(v) ? CANONICAL_NAN_D : Double.doubleToRawLongBits(v);
    }

    private static float s(long bits) {
        return Float.intBitsToFloat(unbox(bits));
    }

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }

    public static long addS(Hart h, long a, long b, int rm) { return boxS(h, s(a) + s(b)); }
    public static long subS(Hart h, long a, long b, int rm) { return boxS(h, s(a) - s(b)); }
    public static long mulS(Hart h, long a, long b, int rm) { return boxS(h, s(a) * s(b)); }
    public static long divS(Hart h, long a, long b, int rm) { return boxS(h, s(a) / s(b)); }
    public static long sqrtS(Hart h, long a, int rm) { return boxS(h, (float) Math.sqrt(s(a))); }

    /** (negateProduct ? -(a*b) : a*b) + (negateAddend ? -c : c), rounded once. */
    public static long fmaS(Hart h, long a, long b, long c, int rm, boolean negateProduct, boolean negateAddend) {
        float p = negateProduct ? -s(a) : s(a);
        float q = negateAddend ? -s(c) : s(c);
        return boxS(h, Math.fma(p, s(b), q));
    }

    public static long addD(Hart h, long a, long b, int rm) { return bitsD(d(a) + d(b)); }
    public static long subD(Hart h, long a, long b, int rm) { return bitsD(d(a) - d(b)); }
    public static long mulD(Hart h, long a, long b, int rm) { return bitsD(d(a) * d(b)); }
    public static long divD(Hart h, long a, long b, int rm) { return bitsD(d(a) / d(b)); }
    public static long sqrtD(Hart h, long a, int rm) { return bitsD(Math.sqrt(d(a))); }

    public static long fmaD(Hart h, long a, long b, long c, int rm, boolean negateProduct, boolean negateAddend) {
        double p = negateProduct ? -d(a) : d(a);
        double q = negateAddend ? -d(c) : d(c);
        return bitsD(Math.fma(p, d(b), q));
    }

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

    public static long minS(Hart h, long a, long b) { return boxS(h, Math.min(s(a), s(b))); }
    public static long maxS(Hart h, long a, long b) { return boxS(h, Math.max(s(a), s(b))); }
    public static long minD(Hart h, long a, long b) { return bitsD(Math.min(d(a), d(b))); }
    public static long maxD(Hart h, long a, long b) { return bitsD(Math.max(d(a), d(b))); }

    public static long eqS(Hart h, long a, long b) { return s(a) == s(b) ? 1 : 0; }
    public static long ltS(Hart h, long a, long b) { return s(a) < s(b) ? 1 : 0; }
    public static long leS(Hart h, long a, long b) { return s(a) <= s(b) ? 1 : 0; }
    public static long eqD(Hart h, long a, long b) { return d(a) == d(b) ? 1 : 0; }
    public static long ltD(Hart h, long a, long b) { return d(a) < d(b) ? 1 : 0; }
    public static long leD(Hart h, long a, long b) { return d(a) <= d(b) ? 1 : 0; }

    public static long classS(long a) { return classify(d(Float.intBitsToFloat(unbox(a))), unbox(a) < 0); }
    public static long classD(long a) { return classify(d(a), a < 0); }

    private static long classify(double v, boolean negative) {
        if (Double.isNaN(v)) return 1 << 9;
        if (Double.isInfinite(v)) return negative ? 1 : 1 << 7;
        if (v == 0) return negative ? 1 << 3 : 1 << 4;
        return negative ? 1 << 1 : 1 << 6;
    }

    private static double d(double v) { return v; }

    public static long cvtWS(Hart h, long a, int rm) { return (int) s(a); }
    public static long cvtWuS(Hart h, long a, int rm) { return (int) (long) s(a); }
    public static long cvtLS(Hart h, long a, int rm) { return (long) s(a); }
    public static long cvtLuS(Hart h, long a, int rm) { return (long) s(a); }
    public static long cvtWD(Hart h, long a, int rm) { return (int) d(a); }
    public static long cvtWuD(Hart h, long a, int rm) { return (int) (long) d(a); }
    public static long cvtLD(Hart h, long a, int rm) { return (long) d(a); }
    public static long cvtLuD(Hart h, long a, int rm) { return (long) d(a); }

    public static long cvtSW(Hart h, long x, int rm) { return boxS(h, (float) (int) x); }
    public static long cvtSWu(Hart h, long x, int rm) { return boxS(h, (float) (x & 0xffffffffL)); }
    public static long cvtSL(Hart h, long x, int rm) { return boxS(h, (float) x); }
    public static long cvtSLu(Hart h, long x, int rm) { return boxS(h, (float) x); }
    public static long cvtDW(Hart h, long x, int rm) { return bitsD((int) x); }
    public static long cvtDWu(Hart h, long x, int rm) { return bitsD(x & 0xffffffffL); }
    public static long cvtDL(Hart h, long x, int rm) { return bitsD(x); }
    public static long cvtDLu(Hart h, long x, int rm) { return bitsD(x); }

    public static long cvtSD(Hart h, long a, int rm) { return boxS(h, (float) d(a)); }
    public static long cvtDS(Hart h, long a) { return bitsD(s(a)); }
}
