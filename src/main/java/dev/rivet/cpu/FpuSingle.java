package dev.rivet.cpu;

import static dev.rivet.cpu.SoftFloat.DZ;
import static dev.rivet.cpu.SoftFloat.NV;
import static dev.rivet.cpu.SoftFloat.NX;
import static dev.rivet.cpu.SoftFloat.OF;
import static dev.rivet.cpu.SoftFloat.RDN;
import static dev.rivet.cpu.SoftFloat.RNE;

/**
 * Binary32 arithmetic for {@link Fpu} on unboxed bits, returning NaN-boxed results.
 *
 * <p>Every operation is computed in double precision, where binary32 operands never overflow or
 * underflow: the double result r is exact for products, and for sums, quotients, square roots and
 * fused multiply-adds an exact error term (Fast2Sum, or the remainder via Math.fma) gives the sign
 * of the exact value's distance from r. {@link #pack} then rounds r plus that sign to binary32.
 */
final class FpuSingle {
    private FpuSingle() {}

    static final int SIGN = 0x80000000;
    static final long NAN = Fpu.box(Fpu.CANONICAL_NAN_S);

    static boolean isNaN(int u) {
        return (u & 0x7fffffff) > 0x7f800000;
    }

    static boolean isSNaN(int u) {
        return isNaN(u) && (u & 0x00400000) == 0;
    }

    static boolean isInf(int u) {
        return (u & 0x7fffffff) == 0x7f800000;
    }

    static boolean isZero(int u) {
        return (u & 0x7fffffff) == 0;
    }

    static double f(int u) {
        return Float.intBitsToFloat(u);
    }

    /** The canonical NaN, boxed, raising NV when {@code invalid}. */
    static long nan(Hart h, boolean invalid) {
        if (invalid) h.fflags |= NV;
        return NAN;
    }

    private static int sign(double v) {
        return v > 0 ? 1 : v < 0 ? -1 : 0;
    }

    /** A result that binary32 represents exactly (an infinity, a zero, or a value of r's double). */
    private static long exact(double r) {
        return Fpu.box(Float.floatToRawIntBits((float) r));
    }

    /**
     * The boxed binary32 rounding of r + err, where r is a finite nonzero double (normal if dir is
     * nonzero), err lies within half an ulp of r and dir is its sign.
     */
    static long pack(Hart h, double r, int dir, int rm) {
        long rb = Double.doubleToRawLongBits(r);
        int e = (int) (rb >>> 52) & 0x7ff;
        if (rm == RNE && e >= 898 && e <= 1150) { // 2^-125 <= |r| < 2^128: the result can't be tiny
            int low = (int) rb & 0x1fffffff; // the bits below binary32 precision
            if (low == 0 && dir == 0) return exact(r);
            // Rounding r gives the rounding of r + err unless r is a binary32 midpoint and err decides.
            if (low != 0x10000000 || dir == 0) {
                float v = (float) r;
                h.fflags |= Float.isInfinite(v) ? OF | NX : NX;
                return Fpu.box(Float.floatToRawIntBits(v));
            }
        }
        return Fpu.BOX | SoftFloat.fromDouble(h, r, dir, SoftFloat.S, rm);
    }

    /**
     * The boxed round-to-nearest binary32 result for the exact value r + err (r a finite double,
     * err within half of r's ulp), when that needs no err: NX has accrued already ({@link
     * FpuDouble#inexactAlready}), the result can be neither tiny nor over the range before
     * rounding, and r is no binary32 midpoint (where err's sign would decide: after an fma's sum
     * rounded to double; a sum, product, quotient or root of binary32 values rounded to double
     * never lands there inexactly, 53 bits being at least 2 * 24 + 2). 0 otherwise (a boxed value
     * never is): the caller computes err and goes on as before. A single-precision nbody ran 3.64
     * s instead of 4.62 (bench/ab.sh -n 4, 4 of 4; qemu-riscv64 6.05-6.45 s).
     */
    private static long roundedAccrued(Hart h, double r, int rm) {
        if (!FpuDouble.inexactAlready(h, rm)) return 0;
        long rb = Double.doubleToRawLongBits(r);
        int e = (int) (rb >>> 52) & 0x7ff;
        if (e < 898 || e > 1150 || ((int) rb & 0x1fffffff) == 0x10000000) return 0;
        float v = (float) r;
        if (Float.isInfinite(v)) h.fflags |= OF;
        return Fpu.box(Float.floatToRawIntBits(v));
    }

    /** NaN or infinite result of a two-operand operation whose infinite results are exact. */
    private static long special(Hart h, double r, int a, int b) {
        if (r != r) return nan(h, isSNaN(a) || isSNaN(b) || !(isNaN(a) || isNaN(b)));
        return exact(r);
    }

    static long add(Hart h, int a, int b, int rm) {
        double x = f(a), y = f(b);
        double r = x + y;
        if (r - r != 0) return special(h, r, a, b);
        long accrued = roundedAccrued(h, r, rm);
        if (accrued != 0) return accrued;
        double err = Math.abs(x) >= Math.abs(y) ? y - (r - x) : x - (r - y); // Fast2Sum
        if (r == 0) return Fpu.box((rm == RDN ? a | b : a & b) & SIGN); // exact zero sum
        return pack(h, r, sign(err), rm);
    }

    static long mul(Hart h, int a, int b, int rm) {
        double r = f(a) * f(b); // exact
        if (r - r != 0) return special(h, r, a, b);
        if (r == 0) return exact(r); // a zero operand
        return pack(h, r, 0, rm);
    }

    static long div(Hart h, int a, int b, int rm) {
        double x = f(a), y = f(b);
        double q = x / y;
        if (q - q != 0) {
            if (q == q && isZero(b) && !isInf(a)) h.fflags |= DZ;
            return special(h, q, a, b);
        }
        if (q == 0) return exact(q); // zero dividend or infinite divisor
        long accrued = roundedAccrued(h, q, rm);
        if (accrued != 0) return accrued;
        double rem = Math.fma(-q, y, x); // exact
        return pack(h, q, rem == 0 ? 0 : (rem > 0) == (y > 0) ? 1 : -1, rm);
    }

    static long sqrt(Hart h, int a, int rm) {
        double x = f(a);
        if (x > 0 && x < Double.POSITIVE_INFINITY) {
            double r = Math.sqrt(x);
            long accrued = roundedAccrued(h, r, rm);
            if (accrued != 0) return accrued;
            return pack(h, r, sign(Math.fma(-r, r, x)), rm);
        }
        if (x == 0 || x == Double.POSITIVE_INFINITY) return Fpu.box(a);
        return nan(h, isSNaN(a) || !isNaN(a)); // negative or NaN
    }

    /** a * b + c rounded once; the caller has applied the negations to the sign bits. */
    static long fma(Hart h, int a, int b, int c, int rm) {
        double x = f(a), y = f(b), z = f(c);
        double p = x * y; // exact
        double r = p + z;
        if (r - r != 0) {
            if (r != r) {
                boolean invalid = isSNaN(a) || isSNaN(b) || isSNaN(c)
                        || (isInf(a) && isZero(b)) || (isZero(a) && isInf(b)) // even when c is a quiet NaN
                        || !(isNaN(a) || isNaN(b) || isNaN(c));
                return nan(h, invalid);
            }
            return exact(r); // an infinite operand
        }
        long accrued = roundedAccrued(h, r, rm);
        if (accrued != 0) return accrued;
        double err = Math.abs(p) >= Math.abs(z) ? z - (r - p) : p - (r - z); // Fast2Sum
        if (r == 0) { // exact zero: the product's and addend's common sign, else +0 (-0 in RDN)
            return Fpu.box((rm == RDN ? (a ^ b) | c : (a ^ b) & c) & SIGN);
        }
        return pack(h, r, sign(err), rm);
    }

    /** fcvt.s.d: the double bits a rounded to binary32. */
    static long fromDouble(Hart h, long a, int rm) {
        double v = Double.longBitsToDouble(a);
        if (v - v != 0) {
            if (v != v) return nan(h, FpuDouble.isSNaN(a));
            return exact(v); // infinity
        }
        if (v == 0) return exact(v);
        return pack(h, v, 0, rm);
    }
}
