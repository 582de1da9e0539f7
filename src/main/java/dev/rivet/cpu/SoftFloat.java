package dev.rivet.cpu;

import java.math.BigInteger;

/**
 * The exact rounding core of the F and D extensions, and the exact (BigInteger) slow paths of the
 * binary64 operations.
 *
 * <p>{@link #roundPack} rounds a value given as sign, integer significand and binary exponent to
 * binary32 or binary64 in one of the five rounding modes, raising NX, OF and UF. As the unprivileged
 * spec requires, tininess is detected after rounding: a result is tiny when rounding it to the
 * format's precision with an unbounded exponent range gives a magnitude below the smallest normal
 * number, and UF is raised only for a tiny inexact result. Overflow is detected the same way (the
 * rounded value with unbounded exponent exceeds the largest finite number), so in RTZ a value just
 * above the largest finite number rounds to it without OF.
 *
 * <p>The slow paths take operands whose special cases (NaN, infinity, and the zero operands that
 * give exact results) the caller has already dealt with. They are used only for operands or
 * results near the ends of the exponent range, where the hardware error terms that {@link
 * FpuDouble} relies on are not exact.
 */
final class SoftFloat {
    private SoftFloat() {}

    static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;
    static final int NV = 16, DZ = 8, OF = 4, UF = 2, NX = 1;

    /** Format selectors: binary32 and binary64. */
    static final int S = 0, D = 1;

    static final long FRAC_D = 0x000fffffffffffffL;
    static final long HIDDEN_D = 0x0010000000000000L;

    /**
     * Rounds {@code (-1)^neg * sig * 2^exp} to format {@code fmt} in mode {@code rm}, ORs the flags
     * into {@code h.fflags} and returns the raw bits (binary32 in the low 32 bits, upper bits zero).
     *
     * @param sig positive and below 2^62. When it has at least p+2 significant bits (p the
     *     format's precision) its least significant bit may be a sticky bit: the OR of bits of the
     *     exact value below it, which then only has to lie strictly between sig-1 and sig+1 units.
     */
    static long roundPack(Hart h, boolean neg, long sig, int exp, int fmt, int rm) {
        int p = fmt == D ? 53 : 24;
        int emax = fmt == D ? 1023 : 127;
        int emin = 1 - emax;
        long sign = !neg ? 0 : fmt == D ? Long.MIN_VALUE : 0x80000000L;
        int e = exp + 63 - Long.numberOfLeadingZeros(sig); // exponent of the leading bit
        int q = Math.max(e, emin) - (p - 1); // exponent of the result's last place
        int shift = q - exp;
        long k;
        boolean inexact = false;
        if (shift <= 0) {
            k = sig << -shift;
        } else {
            k = shift >= 64 ? 0 : sig >>> shift;
            long rest = shift >= 64 ? sig : sig & ((1L << shift) - 1);
            if (rest != 0) {
                inexact = true;
                int half = shift >= 63 ? -1 : Long.compare(rest, 1L << (shift - 1));
                if (roundsUp(rm, neg, k, half)) k++;
            }
        }
        if (k == 1L << p) { // carried into the next binade
            k >>>= 1;
            q++;
        }
        long inf = (long) (2 * emax + 1) << (p - 1);
        if (q + p - 1 > emax) {
            h.fflags |= OF | NX;
            boolean toInf = rm == RNE || rm == RMM || (rm == RUP && !neg) || (rm == RDN && neg);
            return sign | (toInf ? inf : inf - 1);
        }
        if (inexact) {
            h.fflags |= e < emin && tiny(rm, neg, sig, exp, e, emin, p) ? UF | NX : NX;
        }
        // Adding k (with its leading bit) to the exponent field below carries into it for normal results.
        return sign | (((long) (q + p - 2 + emax) << (p - 1)) + k);
    }

    /** Whether rounding up (away from zero) is right for a discarded part compared with half a unit. */
    private static boolean roundsUp(int rm, boolean neg, long k, int half) {
        return switch (rm) {
            case RNE -> half > 0 || (half == 0 && (k & 1) != 0);
            case RTZ -> false;
            case RDN -> neg;
            case RUP -> !neg;
            default -> half >= 0;
        };
    }

    /**
     * Tininess after rounding of a value whose leading bit is below 2^emin: it is tiny unless rounding
     * to p bits with an unbounded exponent carries it up to 2^emin exactly.
     */
    private static boolean tiny(int rm, boolean neg, long sig, int exp, int e, int emin, int p) {
        if (e < emin - 1) return true;
        int shift = e - (p - 1) - exp;
        if (shift <= 0) return true;
        long k = sig >>> shift;
        long rest = sig & ((1L << shift) - 1);
        if (k != (1L << p) - 1 || rest == 0) return true;
        return !roundsUp(rm, neg, k, Long.compare(rest, 1L << (shift - 1)));
    }

    /** {@link #roundPack} for a magnitude of any size; the bits shifted out become a sticky bit. */
    static long roundBig(Hart h, boolean neg, BigInteger mag, int exp, int fmt, int rm) {
        int n = mag.bitLength();
        if (n <= 62) return roundPack(h, neg, mag.longValue(), exp, fmt, rm);
        int s = n - 62;
        long sig = mag.shiftRight(s).longValue();
        if (mag.getLowestSetBit() < s) sig |= 1;
        return roundPack(h, neg, sig, exp + s, fmt, rm);
    }

    /**
     * Rounds {@code r + err} to {@code fmt}, where r is a finite nonzero double, err is an unknown
     * amount of at most half an ulp of r whose sign is {@code dir} (-1, 0, +1), and r is normal unless
     * dir is 0. Rounding to fewer than 52 bits only depends on that sign, which becomes a sticky bit
     * a quarter ulp below or above r.
     */
    static long fromDouble(Hart h, double r, int dir, int fmt, int rm) {
        long b = Double.doubleToRawLongBits(r);
        boolean neg = b < 0;
        int be = (int) (b >>> 52) & 0x7ff;
        long sig = b & FRAC_D;
        if (be == 0) be = 1;
        else sig |= HIDDEN_D;
        sig <<= 2;
        if (dir != 0) sig += (dir > 0) != neg ? 1 : -1;
        return roundPack(h, neg, sig, be - 1077, fmt, rm);
    }

    /**
     * Rounds a 64-bit integer magnitude (unsigned) with the given sign to {@code fmt}; magnitude
     * must be nonzero.
     */
    static long fromInteger(Hart h, boolean neg, long mag, int fmt, int rm) {
        if (mag < 0 || mag >= 1L << 62) {
            return roundPack(h, neg, (mag >>> 2) | ((mag & 3) != 0 ? 1 : 0), 2, fmt, rm);
        }
        return roundPack(h, neg, mag, 0, fmt, rm);
    }

    // ---- Exact binary64 slow paths ----

    static long sig(long bits) {
        long f = bits & FRAC_D;
        return (bits & 0x7ff0000000000000L) == 0 ? f : f | HIDDEN_D;
    }

    static int exp(long bits) {
        int be = (int) (bits >>> 52) & 0x7ff;
        return (be == 0 ? 1 : be) - 1075;
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    /** a + b for finite a and b. */
    static long addD(Hart h, long a, long b, int rm) {
        return sum(h, a < 0, big(sig(a)), exp(a), b < 0, big(sig(b)), exp(b), rm);
    }

    /** a * b for finite nonzero a and b. */
    static long mulD(Hart h, long a, long b, int rm) {
        return roundBig(h, (a ^ b) < 0, big(sig(a)).multiply(big(sig(b))), exp(a) + exp(b), D, rm);
    }

    /** a / b for finite nonzero a and b. */
    static long divD(Hart h, long a, long b, int rm) {
        BigInteger[] qr = big(sig(a)).shiftLeft(128).divideAndRemainder(big(sig(b)));
        BigInteger q = qr[0].shiftLeft(1);
        if (qr[1].signum() != 0) q = q.setBit(0);
        return roundBig(h, (a ^ b) < 0, q, exp(a) - exp(b) - 129, D, rm);
    }

    /** The square root of a finite positive a. */
    static long sqrtD(Hart h, long a, int rm) {
        BigInteger m = big(sig(a));
        int e = exp(a);
        if ((e & 1) != 0) {
            m = m.shiftLeft(1);
            e--;
        }
        m = m.shiftLeft(128);
        BigInteger s = m.sqrt();
        boolean sticky = !s.multiply(s).equals(m);
        s = s.shiftLeft(1);
        if (sticky) s = s.setBit(0);
        return roundBig(h, false, s, (e - 128) / 2 - 1, D, rm);
    }

    /** a * b + c, rounded once, for finite a, b, c (signs already adjusted by the caller). */
    static long fmaD(Hart h, long a, long b, long c, int rm) {
        BigInteger p = big(sig(a)).multiply(big(sig(b)));
        return sum(h, (a ^ b) < 0, p, exp(a) + exp(b), c < 0, big(sig(c)), exp(c), rm);
    }

    /** The exact sum of two signed terms m * 2^e, rounded to binary64, with IEEE zero signs. */
    private static long sum(Hart h, boolean n1, BigInteger m1, int e1, boolean n2, BigInteger m2, int e2, int rm) {
        int e = Math.min(e1, e2);
        BigInteger t1 = m1.shiftLeft(e1 - e);
        BigInteger t2 = m2.shiftLeft(e2 - e);
        BigInteger s = (n1 ? t1.negate() : t1).add(n2 ? t2.negate() : t2);
        if (s.signum() == 0) {
            // Both terms zero: the common sign, else +0 (-0 in RDN); exact cancellation: +0 (-0 in RDN).
            boolean neg = rm == RDN ? n1 | n2 : n1 & n2;
            return neg ? Long.MIN_VALUE : 0;
        }
        return roundBig(h, s.signum() < 0, s.abs(), e, D, rm);
    }
}
