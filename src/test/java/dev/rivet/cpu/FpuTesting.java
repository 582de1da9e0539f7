package dev.rivet.cpu;

import dev.rivet.mem.Page;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Test support for the FPU tests: a hart, and operand generators biased toward hard cases. */
final class FpuTesting {
    private FpuTesting() {}

    static Hart hart() {
        MemoryPort port = new MemoryPort() {
            @Override
            public Page translate(Hart hart, long vaddr, Access access) {
                return null;
            }

            @Override
            public long mappingEpoch() {
                return 0;
            }

            @Override
            public long bumpMappingEpoch() {
                return 0;
            }
        };
        return new Hart(0, port, Clock.host(), true);
    }

    static final long[] EDGES_D = {
        0L, 0x8000000000000000L, // +-0
        0x0000000000000001L, 0x8000000000000001L, // smallest subnormal
        0x000fffffffffffffL, 0x800fffffffffffffL, // largest subnormal
        0x0008000000000000L, // a middle subnormal
        0x0010000000000000L, 0x8010000000000000L, // smallest normal
        0x0010000000000001L, 0x001fffffffffffffL,
        0x3ff0000000000000L, 0xbff0000000000000L, // +-1
        0x3ff0000000000001L, 0x3fefffffffffffffL, 0x4000000000000000L, 0x3fe0000000000000L,
        0x4008000000000000L, 0x3fd5555555555555L, // 3, 1/3
        0x7fefffffffffffffL, 0xffefffffffffffffL, // +-max
        0x7fe0000000000000L, 0x7fdfffffffffffffL,
        0x7ff0000000000000L, 0xfff0000000000000L, // +-inf
        0x7ff8000000000000L, 0xfff8000000000000L, 0x7ff8000000000123L, // quiet NaNs
        0x7ff0000000000001L, 0xfff4000000000000L, 0x7ff7ffffffffffffL, // signaling NaNs
        0x0350000000000000L, 0x0360000000000000L, // 2^-970, 2^-969 (fast-path edges)
        0x26f0000000000000L, 0x5900000000000000L, 0x58ffffffffffffffL, // 2^-400, 2^401, below
        0x43e0000000000000L, 0xc3e0000000000000L, 0x43f0000000000000L, // 2^63, -2^63, 2^64
        0x41e0000000000000L, 0xc1e0000000000000L, 0x41f0000000000000L, // 2^31, -2^31, 2^32
        0x41dfffffffc00000L, 0x41efffffffe00000L, 0xbfe0000000000000L, 0xbfd3333333333333L, // 2^31-1, 2^32-1, -0.5, -0.3
        0x3fe8000000000000L, 0x3ff8000000000000L, 0x4004000000000000L, // 0.75, 1.5, 2.5
    };

    static final long[] EDGES_S = {
        0x00000000L, 0x80000000L, 0x00000001L, 0x80000001L, 0x007fffffL, 0x807fffffL, 0x00400000L,
        0x00800000L, 0x80800000L, 0x00800001L, 0x00ffffffL, 0x01000000L,
        0x3f800000L, 0xbf800000L, 0x3f800001L, 0x3f7fffffL, 0x40000000L, 0x3f000000L, 0x40400000L, 0x3eaaaaabL,
        0x7f7fffffL, 0xff7fffffL, 0x7f000000L, 0x7effffffL,
        0x7f800000L, 0xff800000L, 0x7fc00000L, 0xffc00000L, 0x7fc00123L, 0x7f800001L, 0xffa00000L, 0x7fbfffffL,
        0x5f000000L, 0xdf000000L, 0x5f800000L, 0x4f000000L, 0xcf000000L, 0x4f800000L, 0x4effffffL, 0x4f7fffffL,
        0xbf000000L, 0xbe99999aL, 0x3f400000L, 0x3fc00000L, 0x40200000L,
    };

    static int expBits(FpuRef.Fmt f) {
        return f.width() - f.p();
    }

    static long compose(FpuRef.Fmt f, boolean neg, long exp, long frac) {
        long sign = neg ? 1L << (f.width() - 1) : 0;
        return sign | (exp << (f.p() - 1)) | (frac & ((1L << (f.p() - 1)) - 1));
    }

    static long exponent(Random r, FpuRef.Fmt f) {
        int max = (1 << expBits(f)) - 1;
        int bias = max >> 1;
        int k = r.nextInt(10);
        if (f == FpuRef.D && k >= 8) { // the double fast paths' range boundaries
            // double fast-path limits, and the binary32 limits seen from binary64 (fcvt.s.d)
            int[] centres = {54, 623, 1423, 970, 1075, 897, 873, 1151};
            return Math.clamp(centres[r.nextInt(centres.length)] + r.nextInt(9) - 4, 0, max);
        }
        return switch (k) {
            case 0, 1 -> r.nextInt(max + 1);
            case 2 -> r.nextInt(f.p() + 8); // subnormal and smallest normals
            case 3 -> max - r.nextInt(f.p() + 8); // largest, infinities and NaNs
            default -> bias - f.p() + r.nextInt(2 * f.p()); // ordinary magnitudes
        };
    }

    static long fraction(Random r, FpuRef.Fmt f) {
        int bits = f.p() - 1;
        long mask = (1L << bits) - 1;
        return switch (r.nextInt(6)) {
            case 0, 1 -> r.nextLong() & mask;
            case 2 -> ((long) r.nextInt(256) << r.nextInt(bits - 7)) & mask; // few significant bits
            case 3 -> mask - r.nextInt(256); // nearly all ones
            case 4 -> r.nextInt(16);
            default -> (1L << (bits - 1)) | r.nextInt(4) | ((r.nextLong() & 3) << (bits - 3));
        };
    }

    /** A random operand of format f (binary32 in the low 32 bits). */
    static long value(Random r, FpuRef.Fmt f) {
        long[] edges = f == FpuRef.D ? EDGES_D : EDGES_S;
        return switch (r.nextInt(12)) {
            case 0 -> r.nextLong() & mask(f);
            case 1, 2 -> edges[r.nextInt(edges.length)];
            default -> compose(f, r.nextBoolean(), exponent(r, f), fraction(r, f));
        };
    }

    static long mask(FpuRef.Fmt f) {
        return f == FpuRef.D ? -1L : 0xffffffffL;
    }

    /** A value close to v in magnitude: cancellation, near ties, and sums with distant exponents. */
    static long near(Random r, FpuRef.Fmt f, long v) {
        long sign = 1L << (f.width() - 1);
        long exp = (v >>> (f.p() - 1)) & ((1L << expBits(f)) - 1);
        long max = (1L << expBits(f)) - 1;
        return switch (r.nextInt(6)) {
            case 0 -> (v ^ sign) ^ r.nextInt(16); // near cancellation
            case 1 -> v ^ ((long) r.nextInt(4) << r.nextInt(f.p() - 2)); // nearly equal
            case 2 -> compose(f, r.nextBoolean(), Math.clamp(exp - r.nextInt(f.p() + 4), 0, max), fraction(r, f));
            case 3 -> compose(f, r.nextBoolean(), Math.clamp(exp + r.nextInt(3) - 1, 0, max), fraction(r, f));
            case 4 -> v ^ sign;
            default -> value(r, f);
        };
    }

    /**
     * A value b for which a * b or a / b lands within a few ulps of a power of two at the edge of
     * the range: the smallest normal (tininess after rounding), inside the subnormals, or the
     * overflow threshold.
     */
    static long boundary(Random r, FpuRef.Fmt f, long a) {
        double x = f == FpuRef.D ? Double.longBitsToDouble(a) : Float.intBitsToFloat((int) a);
        if (x == 0 || !Double.isFinite(x)) return value(r, f);
        int[] targets = {f.emin(), f.emin(), f.emin() - 1, f.emin() - f.p() / 2, f.emax() + 1, f.emax()};
        int t = targets[r.nextInt(targets.length)];
        double y = r.nextBoolean() ? Math.scalb(1 / x, t) : Math.scalb(x, -t);
        if (r.nextBoolean()) y = -y;
        long bits = f == FpuRef.D ? Double.doubleToRawLongBits(y) : Float.floatToRawIntBits((float) y) & 0xffffffffL;
        return bits + r.nextInt(5) - 2;
    }

    static Arbitrary<Long> operand(FpuRef.Fmt f) {
        long[] edges = f == FpuRef.D ? EDGES_D : EDGES_S;
        Long[] boxed = java.util.Arrays.stream(edges).boxed().toArray(Long[]::new);
        Arbitrary<Long> bits = f == FpuRef.D ? Arbitraries.longs() : Arbitraries.integers().map(i -> i & 0xffffffffL);
        return Arbitraries.frequencyOf(
                Tuple.of(1, bits),
                Tuple.of(1, Arbitraries.of(boxed)),
                Tuple.of(6, Arbitraries.randomValue(r -> value(r, f))));
    }

    static Arbitrary<long[]> pairs(FpuRef.Fmt f) {
        Arbitrary<long[]> independent = Combinators.combine(operand(f), operand(f)).as((a, b) -> new long[] {a, b});
        Arbitrary<long[]> related = Arbitraries.randomValue(r -> {
            long a = value(r, f);
            return new long[] {a, r.nextBoolean() ? near(r, f, a) : boundary(r, f, a)};
        });
        return Arbitraries.frequencyOf(Tuple.of(1, independent), Tuple.of(2, related));
    }

    /** Operand triples for fused multiply-add; the addend is often close to minus the product. */
    static Arbitrary<long[]> triples(FpuRef.Fmt f) {
        Arbitrary<long[]> independent = Combinators.combine(operand(f), operand(f), operand(f))
                .as((a, b, c) -> new long[] {a, b, c});
        Arbitrary<long[]> related = Arbitraries.randomValue(r -> {
            long a = value(r, f);
            long b = r.nextInt(3) == 0 ? boundary(r, f, a) : value(r, f);
            long product = f == FpuRef.D
                    ? Double.doubleToRawLongBits(Double.longBitsToDouble(a) * Double.longBitsToDouble(b))
                    : Float.floatToRawIntBits(Float.intBitsToFloat((int) a) * Float.intBitsToFloat((int) b)) & 0xffffffffL;
            return new long[] {a, b, near(r, f, product)};
        });
        return Arbitraries.frequencyOf(Tuple.of(1, independent), Tuple.of(3, related));
    }

    /**
     * binary32 operands as register values: NaN-boxed, except that now and then one operand's upper
     * half is not all ones (such an operand must read as the canonical NaN).
     */
    static Arbitrary<long[]> registersS(Arbitrary<long[]> raw) {
        return Combinators.combine(raw, Arbitraries.integers().between(0, 39), Arbitraries.longs())
                .as((v, k, junk) -> {
                    long[] regs = new long[v.length];
                    for (int i = 0; i < v.length; i++) regs[i] = 0xffffffff00000000L | (v[i] & 0xffffffffL);
                    if (k < v.length) {
                        long upper = (junk >>> 32) == 0xffffffffL ? 0 : junk & 0xffffffff00000000L;
                        regs[k] = upper | (v[k] & 0xffffffffL);
                    }
                    return regs;
                });
    }

    /** 64-bit integer register values: small, near powers of two, and random. */
    static Arbitrary<Long> integers() {
        Arbitrary<Long> structured = Arbitraries.randomValue(r -> {
            int shift = r.nextInt(64);
            long base = switch (r.nextInt(4)) {
                case 0 -> 1L << shift;
                case 1 -> (1L << shift) - 1 - r.nextInt(4);
                case 2 -> ((long) r.nextInt(1 << 12) << shift) | r.nextInt(2);
                default -> r.nextLong() >>> shift;
            };
            return r.nextBoolean() ? -base : base;
        });
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.longs()), Tuple.of(3, structured));
    }
}
