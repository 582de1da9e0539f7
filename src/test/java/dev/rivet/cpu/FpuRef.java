package dev.rivet.cpu;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A slow, deliberately simple reference for the F and D arithmetic: exact values with BigInteger,
 * rounding found by binary search against an exact comparison oracle, and the special cases written
 * straight from the spec. Shares no code with the implementation.
 *
 * <p>Operands and results are raw bit patterns: binary64 bits, or binary32 bits in the low 32 bits
 * (results for binary32 are returned NaN-boxed, as the registers hold them).
 */
final class FpuRef {
    private FpuRef() {}

    static final int NV = 16, DZ = 8, OF = 4, UF = 2, NX = 1;
    static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;

    record Fmt(int p, int emin, int emax, int width) {}

    static final Fmt S = new Fmt(24, -126, 127, 32);
    static final Fmt D = new Fmt(53, -1022, 1023, 64);

    /** A result: register bits and the flags raised. */
    record Out(long bits, int flags) {
        @Override
        public String toString() {
            return String.format("bits=%016x flags=%s", bits, flagNames(flags));
        }
    }

    static String flagNames(int flags) {
        StringBuilder s = new StringBuilder();
        String[] names = {"NX", "UF", "OF", "DZ", "NV"};
        for (int i = 4; i >= 0; i--) if ((flags & (1 << i)) != 0) s.append(names[i]).append(' ');
        return s.isEmpty() ? "-" : s.toString().trim();
    }

    // ---- Decoding ----

    static long signBit(Fmt f) {
        return 1L << (f.width - 1);
    }

    static int fracBits(Fmt f) {
        return f.p - 1;
    }

    static long expField(Fmt f, long u) {
        return (u >>> fracBits(f)) & ((1L << (f.width - f.p)) - 1);
    }

    static long frac(Fmt f, long u) {
        return u & ((1L << fracBits(f)) - 1);
    }

    static long maxExpField(Fmt f) {
        return (1L << (f.width - f.p)) - 1;
    }

    static boolean neg(Fmt f, long u) {
        return (u & signBit(f)) != 0;
    }

    static boolean isNaN(Fmt f, long u) {
        return expField(f, u) == maxExpField(f) && frac(f, u) != 0;
    }

    static boolean isSNaN(Fmt f, long u) {
        return isNaN(f, u) && (frac(f, u) & (1L << (fracBits(f) - 1))) == 0;
    }

    static boolean isInf(Fmt f, long u) {
        return expField(f, u) == maxExpField(f) && frac(f, u) == 0;
    }

    static boolean isZero(Fmt f, long u) {
        return expField(f, u) == 0 && frac(f, u) == 0;
    }

    /** |value| = mag * 2^exp for a finite operand. */
    static BigInteger mag(Fmt f, long u) {
        long e = expField(f, u);
        return BigInteger.valueOf(e == 0 ? frac(f, u) : frac(f, u) | (1L << fracBits(f)));
    }

    static int exp(Fmt f, long u) {
        int bias = f.emax;
        long e = expField(f, u);
        return (int) (e == 0 ? 1 : e) - bias - fracBits(f);
    }

    static BigInteger signed(Fmt f, long u) {
        return neg(f, u) ? mag(f, u).negate() : mag(f, u);
    }

    // ---- Encoding ----

    static long finish(Fmt f, long raw) {
        return f == S ? 0xffffffff00000000L | (raw & 0xffffffffL) : raw;
    }

    static Out out(Fmt f, long raw, int flags) {
        return new Out(finish(f, raw), flags);
    }

    static Out nan(Fmt f, boolean invalid) {
        return out(f, f == S ? 0x7fc00000L : 0x7ff8000000000000L, invalid ? NV : 0);
    }

    static long zero(Fmt f, boolean negative) {
        return negative ? signBit(f) : 0;
    }

    static long inf(Fmt f, boolean negative) {
        return zero(f, negative) | (maxExpField(f) << fracBits(f));
    }

    static long maxFinite(Fmt f, boolean negative) {
        return inf(f, negative) - 1;
    }

    /** The bits of k * 2^q, a value the format represents exactly. */
    static long encode(Fmt f, boolean negative, BigInteger k, int q) {
        if (f == S) {
            float v = Math.scalb((float) k.longValueExact(), q);
            return Float.floatToRawIntBits(negative ? -v : v) & 0xffffffffL;
        }
        double v = Math.scalb((double) k.longValueExact(), q);
        return Double.doubleToRawLongBits(negative ? -v : v);
    }

    // ---- Exact values and rounding ----

    /** An exact nonzero magnitude, known only through comparisons with m * 2^e. */
    interface Mag {
        int cmp(BigInteger m, int e);
    }

    static int cmpDyadic(BigInteger a, int ea, BigInteger b, int eb) {
        int e = Math.min(ea, eb);
        return a.shiftLeft(ea - e).compareTo(b.shiftLeft(eb - e));
    }

    static Mag dyadic(BigInteger n, int e0) {
        return (m, e) -> cmpDyadic(n, e0, m, e);
    }

    /** (na * 2^ea) / (nb * 2^eb) for positive na, nb. */
    static Mag quotient(BigInteger na, int ea, BigInteger nb, int eb) {
        return (m, e) -> cmpDyadic(na, ea, m.multiply(nb), e + eb);
    }

    /** sqrt(n * 2^e0) for positive n. */
    static Mag squareRoot(BigInteger n, int e0) {
        return (m, e) -> cmpDyadic(n, e0, m.multiply(m), 2 * e);
    }

    /** The largest E with 2^E <= v. */
    static int floorLog2(Mag v) {
        int lo = -4000, hi = 4000;
        while (lo < hi) {
            int mid = Math.floorDiv(lo + hi + 1, 2);
            if (v.cmp(BigInteger.ONE, mid) >= 0) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** floor(v / 2^q), known to be below 2^bits. */
    static BigInteger floorAt(Mag v, int q, int bits) {
        BigInteger lo = BigInteger.ZERO, hi = BigInteger.ONE.shiftLeft(bits);
        while (lo.compareTo(hi) < 0) {
            BigInteger mid = lo.add(hi).add(BigInteger.ONE).shiftRight(1);
            if (v.cmp(mid, q) >= 0) lo = mid;
            else hi = mid.subtract(BigInteger.ONE);
        }
        return lo;
    }

    /** v rounded to a multiple of 2^q in mode rm: the multiple's count. */
    static BigInteger roundAt(boolean negative, Mag v, int q, int bits, int rm) {
        BigInteger k = floorAt(v, q, bits);
        if (v.cmp(k, q) == 0) return k;
        int half = v.cmp(k.shiftLeft(1).add(BigInteger.ONE), q - 1);
        boolean up = switch (rm) {
            case RNE -> half > 0 || (half == 0 && k.testBit(0));
            case RTZ -> false;
            case RDN -> negative;
            case RUP -> !negative;
            case RMM -> half >= 0;
            default -> throw new IllegalArgumentException("rm " + rm);
        };
        return up ? k.add(BigInteger.ONE) : k;
    }

    /** The exact nonzero value (-1)^negative * v rounded to f in mode rm, with NX, OF and UF. */
    static Out round(Fmt f, boolean negative, Mag v, int rm) {
        int e = floorLog2(v);
        int q = Math.max(e, f.emin) - (f.p - 1);
        BigInteger k = roundAt(negative, v, q, f.p + 1, rm);
        boolean inexact = v.cmp(k, q) != 0;
        int flags = inexact ? NX : 0;
        BigInteger maxMant = BigInteger.ONE.shiftLeft(f.p).subtract(BigInteger.ONE);
        if (cmpDyadic(k, q, maxMant, f.emax - (f.p - 1)) > 0) {
            // Overflow (the rounding above has an unbounded exponent when e >= emin).
            boolean toInf = switch (rm) {
                case RNE, RMM -> true;
                case RTZ -> false;
                case RDN -> negative;
                default -> !negative;
            };
            return out(f, toInf ? inf(f, negative) : maxFinite(f, negative), OF | NX);
        }
        if (inexact && e < f.emin) {
            // Tininess after rounding: round to p bits with an unbounded exponent range.
            int qu = e - (f.p - 1);
            BigInteger ku = roundAt(negative, v, qu, f.p + 1, rm);
            if (cmpDyadic(ku, qu, BigInteger.ONE, f.emin) < 0) flags |= UF;
        }
        return out(f, encode(f, negative, k, q), flags);
    }

    /** A signed exact dyadic value n * 2^e rounded; a zero gets the sign {@code zeroNeg}. */
    static Out roundDyadic(Fmt f, BigInteger n, int e, boolean zeroNeg, int rm) {
        if (n.signum() == 0) return out(f, zero(f, zeroNeg), 0);
        return round(f, n.signum() < 0, dyadic(n.abs(), e), rm);
    }

    /** A binary32 register's operand: properly NaN-boxed, or else the canonical NaN. */
    static long unbox(long register) {
        return (register >>> 32) == 0xffffffffL ? register & 0xffffffffL : 0x7fc00000L;
    }

    // ---- Operations ----

    static Out add(Fmt f, long a, long b, int rm) {
        if (isNaN(f, a) || isNaN(f, b)) return nan(f, isSNaN(f, a) || isSNaN(f, b));
        if (isInf(f, a) && isInf(f, b)) {
            return neg(f, a) != neg(f, b) ? nan(f, true) : out(f, a, 0);
        }
        if (isInf(f, a)) return out(f, a, 0);
        if (isInf(f, b)) return out(f, b, 0);
        int e = Math.min(exp(f, a), exp(f, b));
        BigInteger sum = signed(f, a).shiftLeft(exp(f, a) - e).add(signed(f, b).shiftLeft(exp(f, b) - e));
        // Zero sum: x + x keeps x's sign; otherwise +0, or -0 when rounding down.
        boolean zeroNeg = isZero(f, a) && isZero(f, b) && neg(f, a) == neg(f, b) ? neg(f, a) : rm == RDN;
        return roundDyadic(f, sum, e, zeroNeg, rm);
    }

    static Out sub(Fmt f, long a, long b, int rm) {
        return add(f, a, b ^ signBit(f), rm);
    }

    static Out mul(Fmt f, long a, long b, int rm) {
        if (isNaN(f, a) || isNaN(f, b)) return nan(f, isSNaN(f, a) || isSNaN(f, b));
        boolean negative = neg(f, a) != neg(f, b);
        if (isInf(f, a) || isInf(f, b)) {
            if (isZero(f, a) || isZero(f, b)) return nan(f, true);
            return out(f, inf(f, negative), 0);
        }
        BigInteger p = mag(f, a).multiply(mag(f, b));
        if (p.signum() == 0) return out(f, zero(f, negative), 0);
        return round(f, negative, dyadic(p, exp(f, a) + exp(f, b)), rm);
    }

    static Out div(Fmt f, long a, long b, int rm) {
        if (isNaN(f, a) || isNaN(f, b)) return nan(f, isSNaN(f, a) || isSNaN(f, b));
        boolean negative = neg(f, a) != neg(f, b);
        if (isInf(f, a)) return isInf(f, b) ? nan(f, true) : out(f, inf(f, negative), 0);
        if (isInf(f, b)) return out(f, zero(f, negative), 0);
        if (isZero(f, b)) return isZero(f, a) ? nan(f, true) : out(f, inf(f, negative), DZ);
        if (isZero(f, a)) return out(f, zero(f, negative), 0);
        return round(f, negative, quotient(mag(f, a), exp(f, a), mag(f, b), exp(f, b)), rm);
    }

    static Out sqrt(Fmt f, long a, int rm) {
        if (isNaN(f, a)) return nan(f, isSNaN(f, a));
        if (isZero(f, a)) return out(f, a, 0);
        if (neg(f, a)) return nan(f, true);
        if (isInf(f, a)) return out(f, a, 0);
        return round(f, false, squareRoot(mag(f, a), exp(f, a)), rm);
    }

    /** (negProduct ? -(a*b) : a*b) + (negAddend ? -c : c), rounded once. */
    static Out fma(Fmt f, long a, long b, long c, boolean negProduct, boolean negAddend, int rm) {
        boolean infTimesZero = (isInf(f, a) && isZero(f, b)) || (isZero(f, a) && isInf(f, b));
        if (isNaN(f, a) || isNaN(f, b) || isNaN(f, c) || infTimesZero) {
            return nan(f, isSNaN(f, a) || isSNaN(f, b) || isSNaN(f, c) || infTimesZero);
        }
        boolean pNeg = (neg(f, a) != neg(f, b)) != negProduct;
        boolean cNeg = neg(f, c) != negAddend;
        if (isInf(f, a) || isInf(f, b)) {
            if (isInf(f, c) && cNeg != pNeg) return nan(f, true);
            return out(f, inf(f, pNeg), 0);
        }
        if (isInf(f, c)) return out(f, inf(f, cNeg), 0);
        BigInteger p = mag(f, a).multiply(mag(f, b));
        int pe = exp(f, a) + exp(f, b);
        BigInteger cm = mag(f, c);
        int ce = exp(f, c);
        int e = Math.min(pe, ce);
        BigInteger sum = (pNeg ? p.negate() : p).shiftLeft(pe - e).add((cNeg ? cm.negate() : cm).shiftLeft(ce - e));
        boolean zeroNeg = p.signum() == 0 && cm.signum() == 0 && pNeg == cNeg ? pNeg : rm == RDN;
        return roundDyadic(f, sum, e, zeroNeg, rm);
    }

    /** The order of two non-NaN values (-0 equals +0). */
    static int compare(Fmt f, long a, long b) {
        int ia = isInf(f, a) ? (neg(f, a) ? -1 : 1) : 0, ib = isInf(f, b) ? (neg(f, b) ? -1 : 1) : 0;
        if (ia != 0 || ib != 0) return Integer.compare(ia, ib);
        return Integer.signum(cmpDyadic(signed(f, a), exp(f, a), signed(f, b), exp(f, b)));
    }

    /** feq (quiet: NV only for signaling NaNs), flt and fle (signaling: NV for any NaN). */
    static Out compare(Fmt f, long a, long b, String relation) {
        if (isNaN(f, a) || isNaN(f, b)) {
            boolean invalid = !relation.equals("eq") || isSNaN(f, a) || isSNaN(f, b);
            return new Out(0, invalid ? NV : 0);
        }
        int c = compare(f, a, b);
        boolean holds = switch (relation) {
            case "eq" -> c == 0;
            case "lt" -> c < 0;
            default -> c <= 0;
        };
        return new Out(holds ? 1 : 0, 0);
    }

    /** fmin / fmax: NaNs lose to numbers, two NaNs give the canonical NaN, -0 < +0. */
    static Out minMax(Fmt f, long a, long b, boolean min) {
        int flags = isSNaN(f, a) || isSNaN(f, b) ? NV : 0;
        if (isNaN(f, a) && isNaN(f, b)) return new Out(nan(f, false).bits(), flags);
        if (isNaN(f, a)) return out(f, b, flags);
        if (isNaN(f, b)) return out(f, a, flags);
        int c = compare(f, a, b);
        if (c == 0 && isZero(f, a)) c = Boolean.compare(!neg(f, a), !neg(f, b)); // -0 < +0
        return out(f, (c <= 0) == min ? a : b, flags);
    }

    static long classify(Fmt f, long a) {
        boolean n = neg(f, a);
        if (isNaN(f, a)) return isSNaN(f, a) ? 1 << 8 : 1 << 9;
        if (isInf(f, a)) return n ? 1 : 1 << 7;
        if (isZero(f, a)) return n ? 1 << 3 : 1 << 4;
        if (expField(f, a) == 0) return n ? 1 << 2 : 1 << 5;
        return n ? 1 << 1 : 1 << 6;
    }

    /** Integer conversion kinds. */
    static final int W = 0, WU = 1, L = 2, LU = 3;

    static final BigInteger[] MIN = {
        BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.ZERO, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.ZERO
    };
    static final BigInteger[] MAX = {
        BigInteger.valueOf(Integer.MAX_VALUE), BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE),
        BigInteger.valueOf(Long.MAX_VALUE), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)
    };

    /** The integer register value of a result of the given kind (32-bit kinds sign-extended). */
    static long intResult(BigInteger v, int kind) {
        return kind <= WU ? (long) v.intValue() : v.longValue();
    }

    static Out toInt(Fmt f, long a, int kind, int rm) {
        if (isNaN(f, a)) return new Out(intResult(MAX[kind], kind), NV);
        if (isInf(f, a)) return new Out(intResult(neg(f, a) ? MIN[kind] : MAX[kind], kind), NV);
        // new BigDecimal(double) is the exact value (binary32 values are exact as doubles).
        BigDecimal exact = new BigDecimal(f == S ? Float.intBitsToFloat((int) a) : Double.longBitsToDouble(a));
        RoundingMode mode = switch (rm) {
            case RNE -> RoundingMode.HALF_EVEN;
            case RTZ -> RoundingMode.DOWN;
            case RDN -> RoundingMode.FLOOR;
            case RUP -> RoundingMode.CEILING;
            default -> RoundingMode.HALF_UP;
        };
        BigInteger r = exact.setScale(0, mode).toBigIntegerExact();
        if (r.compareTo(MIN[kind]) < 0) return new Out(intResult(MIN[kind], kind), NV);
        if (r.compareTo(MAX[kind]) > 0) return new Out(intResult(MAX[kind], kind), NV);
        return new Out(intResult(r, kind), new BigDecimal(r).compareTo(exact) != 0 ? NX : 0);
    }

    /** An integer (already extended to its mathematical value) rounded to f. */
    static Out fromInt(Fmt f, BigInteger v, int rm) {
        return roundDyadic(f, v, 0, false, rm);
    }

    /** fcvt.s.d: a binary64 value rounded to binary32. */
    static Out narrow(long a, int rm) {
        if (isNaN(D, a)) return nan(S, isSNaN(D, a));
        if (isInf(D, a)) return out(S, inf(S, neg(D, a)), 0);
        if (isZero(D, a)) return out(S, zero(S, neg(D, a)), 0);
        return round(S, neg(D, a), dyadic(mag(D, a), exp(D, a)), rm);
    }

    /** fcvt.d.s: exact. */
    static Out widen(long a) {
        if (isNaN(S, a)) return nan(D, isSNaN(S, a));
        if (isInf(S, a)) return out(D, inf(D, neg(S, a)), 0);
        if (isZero(S, a)) return out(D, zero(D, neg(S, a)), 0);
        return round(D, neg(S, a), dyadic(mag(S, a), exp(S, a)), RNE);
    }
}
