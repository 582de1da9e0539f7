package dev.rivet.cpu;

import static dev.rivet.cpu.SoftFloat.DZ;
import static dev.rivet.cpu.SoftFloat.NV;
import static dev.rivet.cpu.SoftFloat.NX;
import static dev.rivet.cpu.SoftFloat.OF;
import static dev.rivet.cpu.SoftFloat.RDN;
import static dev.rivet.cpu.SoftFloat.RMM;
import static dev.rivet.cpu.SoftFloat.RNE;
import static dev.rivet.cpu.SoftFloat.RTZ;
import static dev.rivet.cpu.SoftFloat.RUP;

/**
 * Binary64 arithmetic for {@link Fpu} on raw bits.
 *
 * <p>Fast path: the host's IEEE round-to-nearest-even result r plus an exact error term from an
 * error-free transformation (Fast2Sum for sums, Math.fma for the product error, the division and
 * square-root remainders, ErrFma for fused multiply-add). The error gives NX, and for the directed
 * modes and RMM it tells whether the exact value lies below or above r (or exactly half an ulp
 * away), so the correctly rounded result is r or its neighbour. The fast path is taken only where
 * those error terms are exact and the result can be neither tiny nor overflow before adjustment;
 * everything else goes to {@link SoftFloat}.
 */
final class FpuDouble {
    private FpuDouble() {}

    static final long SIGN = Long.MIN_VALUE;
    static final long INF = 0x7ff0000000000000L;

    static boolean isNaN(long b) {
        return (b & ~SIGN) > INF;
    }

    static boolean isSNaN(long b) {
        return isNaN(b) && (b & 0x0008000000000000L) == 0;
    }

    static boolean isInf(long b) {
        return (b & ~SIGN) == INF;
    }

    static boolean isZero(long b) {
        return (b & ~SIGN) == 0;
    }

    private static int biasedExp(long b) {
        return (int) (b >>> 52) & 0x7ff;
    }

    /** Zero, or a normal number in [2^-400, 2^401): the operand range of the fused multiply-add fast path. */
    private static boolean moderate(long b) {
        int e = biasedExp(b);
        return (e >= 623 && e <= 1423) || isZero(b);
    }

    private static double d(long b) {
        return Double.longBitsToDouble(b);
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    /**
     * True when a round-to-nearest result needs no test of its exactness: NX is set already. The
     * flags are accrued, set until software clears them (unprivileged spec, "F" chapter, "Floating-
     * Point Control and Status Register"), so once one inexact operation has set NX an inexact
     * result changes nothing, and the host's result is the correctly rounded one. A program's first
     * inexact operation sets it (nbody's first step); the error-free transformations that tell
     * exactness (a Fast2Sum, an fma, ErrFma's dozen operations) are then skipped.
     */
    static boolean inexactAlready(Hart h, int rm) {
        return rm == RNE && (h.fflags & NX) != 0;
    }

    /** The canonical NaN, raising NV when {@code invalid}. */
    static long nan(Hart h, boolean invalid) {
        if (invalid) h.fflags |= NV;
        return Fpu.CANONICAL_NAN_D;
    }

    /**
     * The correctly rounded result when the exact value is r + err with err nonzero, r its
     * round-to-nearest-even rounding and both finite. Only the sign of err matters, except for RMM
     * where {@code tieable} says err is exact, so |err| equal to half an ulp means a tie.
     */
    private static long inexact(Hart h, double r, double err, boolean tieable, int rm) {
        // Round to nearest, the host's rounding, needs nothing more; the other modes are rare and
        // kept out of line, so translated code that inlines an operation stays small.
        if (rm != RNE) r = directed(r, err, tieable, rm);
        h.fflags |= Double.isInfinite(r) ? OF | NX : NX;
        return bits(r);
    }

    /** Moves the round-to-nearest result {@code r} (exact value r + err) to the result under rm. */
    private static double directed(double r, double err, boolean tieable, int rm) {
        switch (rm) {
            case RTZ -> {
                if ((err > 0) != (r > 0)) r = r > 0 ? Math.nextDown(r) : Math.nextUp(r);
            }
            case RDN -> {
                if (err < 0) r = Math.nextDown(r);
            }
            case RUP -> {
                if (err > 0) r = Math.nextUp(r);
            }
            case RMM -> {
                if (tieable && (err > 0) == (r > 0) && Math.abs(err) == 0.5 * Math.ulp(r)) {
                    r = r > 0 ? Math.nextUp(r) : Math.nextDown(r);
                }
            }
            default -> { }
        }
        return r;
    }

    static long add(Hart h, long a, long b, int rm) {
        double x = d(a), y = d(b);
        double r = x + y;
        if (r - r != 0) { // infinite or NaN
            if (r != r) return nan(h, isSNaN(a) || isSNaN(b) || !(isNaN(a) || isNaN(b)));
            if (isInf(a) || isInf(b)) return bits(r);
            return SoftFloat.addD(h, a, b, rm); // overflow
        }
        if (inexactAlready(h, rm)) return bits(r); // an exact zero sum is +0 in RNE, as the host's
        // Fast2Sum: with |x| >= |y|, r - x is exact and y - (r - x) is the exact error.
        double err = Math.abs(x) >= Math.abs(y) ? y - (r - x) : x - (r - y);
        if (err != 0) return inexact(h, r, err, true, rm);
        if (r == 0 && rm == RDN) return (a | b) & SIGN; // an exact zero sum is -0 in RDN
        return bits(r);
    }

    static long mul(Hart h, long a, long b, int rm) {
        double x = d(a), y = d(b);
        double r = x * y;
        long rb = bits(r);
        int e = biasedExp(rb);
        if (e >= 54 && e < 2047) { // |r| >= 2^-969: the product error is representable
            if (inexactAlready(h, rm)) return rb;
            double err = Math.fma(x, y, -r);
            return err == 0 ? rb : inexact(h, r, err, true, rm);
        }
        if (r != r) return nan(h, isSNaN(a) || isSNaN(b) || !(isNaN(a) || isNaN(b)));
        if (isInf(a) || isInf(b) || isZero(a) || isZero(b)) return rb; // exact infinity or zero
        return SoftFloat.mulD(h, a, b, rm); // overflow, underflow or tiny
    }

    static long div(Hart h, long a, long b, int rm) {
        double x = d(a), y = d(b);
        double q = x / y;
        long qb = bits(q);
        int ea = biasedExp(a), eb = biasedExp(b), eq = biasedExp(qb);
        // x >= 2^-969 and y normal make the remainder x - q*y representable; q can't be tiny.
        if (ea >= 54 && ea < 2047 && eb > 0 && eb < 2047 && eq >= 54 && eq < 2047) {
            if (inexactAlready(h, rm)) return qb;
            double rem = Math.fma(-q, y, x);
            if (rem == 0) return qb;
            return inexact(h, q, (rem > 0) == (y > 0) ? 1 : -1, false, rm); // a quotient is never a tie
        }
        if (q != q) return nan(h, isSNaN(a) || isSNaN(b) || !(isNaN(a) || isNaN(b)));
        if (isInf(a)) return qb; // inf / finite
        if (isZero(b)) { // finite nonzero / 0
            h.fflags |= DZ;
            return qb;
        }
        if (isInf(b) || isZero(a)) return qb; // exact zero
        return SoftFloat.divD(h, a, b, rm);
    }

    static long sqrt(Hart h, long a, int rm) {
        int e = biasedExp(a);
        if (a > 0 && e >= 54 && e < 2047) {
            double x = d(a);
            double r = Math.sqrt(x);
            if (inexactAlready(h, rm)) return bits(r);
            double rem = Math.fma(-r, r, x);
            return rem == 0 ? bits(r) : inexact(h, r, rem, false, rm); // a square root is never a tie
        }
        if (isZero(a) || a == INF) return a; // sqrt(-0) = -0
        if (a < 0 || isNaN(a)) return nan(h, isSNaN(a) || !isNaN(a));
        return SoftFloat.sqrtD(h, a, rm); // small positive
    }

    /** a * b + c rounded once; the caller has applied the negations to the sign bits. */
    static long fma(Hart h, long a, long b, long c, int rm) {
        double x = d(a), y = d(b), z = d(c);
        double r = Math.fma(x, y, z);
        if (moderate(a) && moderate(b) && moderate(c)) {
            // A zero result keeps its sign rule below (the host's fma may give either zero).
            if (r != 0 && inexactAlready(h, rm)) return bits(r);
            // ErrFma (Boldo and Muller): x*y + z = r + r2 + r3 exactly, |r2 + r3| <= ulp(r)/2,
            // |r3| <= ulp(r2)/2. With operands in [2^-400, 2^401) every intermediate is a multiple
            // of 2^-904 below 2^803, so nothing underflows or overflows.
            double u1 = x * y;
            double u2 = Math.fma(x, y, -u1);
            double a1 = z + u2; // TwoSum(z, u2) = (a1, a2)
            double t = a1 - z;
            double a2 = (z - (a1 - t)) + (u2 - t);
            double b1 = u1 + a1; // TwoSum(u1, a1) = (b1, b2)
            t = b1 - u1;
            double b2 = (u1 - (b1 - t)) + (a1 - t);
            double g = (b1 - r) + b2;
            double r2 = g + a2; // Fast2Sum(g, a2) = (r2, r3)
            double r3 = a2 - (r2 - g);
            if (r2 != 0) return inexact(h, r, r2, r3 == 0, rm);
            if (r == 0) { // exact zero: the product's and addend's common sign, else +0 (-0 in RDN)
                return rm == RDN ? ((a ^ b) | c) & SIGN : (a ^ b) & c & SIGN;
            }
            return bits(r);
        }
        if (r != r) {
            boolean invalid = isSNaN(a) || isSNaN(b) || isSNaN(c)
                    || (isInf(a) && isZero(b)) || (isZero(a) && isInf(b)) // even when c is a quiet NaN
                    || !(isNaN(a) || isNaN(b) || isNaN(c));
            return nan(h, invalid);
        }
        if (isInf(a) || isInf(b) || isInf(c)) return bits(r); // exact infinity
        return SoftFloat.fmaD(h, a, b, c, rm);
    }
}
