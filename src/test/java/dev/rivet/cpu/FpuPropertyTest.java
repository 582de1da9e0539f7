package dev.rivet.cpu;

import static dev.rivet.cpu.FpuRef.D;
import static dev.rivet.cpu.FpuRef.S;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.FpuRef.Out;
import java.math.BigInteger;
import java.util.function.LongSupplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every arithmetic operation and conversion, single and double precision, in all five rounding
 * modes, against the exact reference {@link FpuRef}: result bits and raised flags must both match.
 */
class FpuPropertyTest {
    static final int TRIES = 3000;

    private final Hart h = FpuTesting.hart();

    /**
     * Checks the operation from clear flags, and with NX already set (the flags are accrued: an
     * operation ORs into them, and the result must not depend on them; the double-precision fast
     * paths skip their exactness tests then).
     */
    private void check(String op, long[] operands, int rm, Out expected, LongSupplier actual) {
        StringBuilder what = new StringBuilder(op).append(" rm=").append(rm);
        for (long v : operands) what.append(String.format(" %016x", v));
        for (int before : new int[] {0, SoftFloat.NX}) {
            h.fflags = before;
            long bits = actual.getAsLong();
            assertThat(new Out(bits, h.fflags)).as(what + " fflags before=" + before)
                    .isEqualTo(new Out(expected.bits(), expected.flags() | before));
        }
    }

    /** The binary32 operand the reference sees in a register. */
    private static long u(long register) {
        return FpuRef.unbox(register);
    }

    @Provide
    Arbitrary<Integer> rm() {
        return Arbitraries.integers().between(0, 4);
    }

    @Provide
    Arbitrary<long[]> oneS() {
        return FpuTesting.registersS(FpuTesting.operand(S).map(a -> new long[] {a}));
    }

    @Provide
    Arbitrary<Long> oneD() {
        return FpuTesting.operand(D);
    }

    @Provide
    Arbitrary<long[]> pairS() {
        return FpuTesting.registersS(FpuTesting.pairs(S));
    }

    @Provide
    Arbitrary<long[]> pairD() {
        return FpuTesting.pairs(D);
    }

    @Provide
    Arbitrary<long[]> tripleS() {
        return FpuTesting.registersS(FpuTesting.triples(S));
    }

    @Provide
    Arbitrary<long[]> tripleD() {
        return FpuTesting.triples(D);
    }

    @Provide
    Arbitrary<Long> integer() {
        return FpuTesting.integers();
    }

    // ---- binary32 (operands are register values, sometimes not properly NaN-boxed) ----

    @Property(tries = TRIES)
    void addS(@ForAll("pairS") long[] v, @ForAll("rm") int rm) {
        check("fadd.s", v, rm, FpuRef.add(S, u(v[0]), u(v[1]), rm), () -> Fpu.addS(h, v[0], v[1], rm));
    }

    @Property(tries = TRIES)
    void subS(@ForAll("pairS") long[] v, @ForAll("rm") int rm) {
        check("fsub.s", v, rm, FpuRef.sub(S, u(v[0]), u(v[1]), rm), () -> Fpu.subS(h, v[0], v[1], rm));
    }

    @Property(tries = TRIES)
    void mulS(@ForAll("pairS") long[] v, @ForAll("rm") int rm) {
        check("fmul.s", v, rm, FpuRef.mul(S, u(v[0]), u(v[1]), rm), () -> Fpu.mulS(h, v[0], v[1], rm));
    }

    @Property(tries = TRIES)
    void divS(@ForAll("pairS") long[] v, @ForAll("rm") int rm) {
        check("fdiv.s", v, rm, FpuRef.div(S, u(v[0]), u(v[1]), rm), () -> Fpu.divS(h, v[0], v[1], rm));
    }

    @Property(tries = TRIES)
    void sqrtS(@ForAll("oneS") long[] v, @ForAll("rm") int rm) {
        check("fsqrt.s", v, rm, FpuRef.sqrt(S, u(v[0]), rm), () -> Fpu.sqrtS(h, v[0], rm));
    }

    @Property(tries = TRIES)
    void fmaS(@ForAll("tripleS") long[] v, @ForAll("rm") int rm, @ForAll boolean negP, @ForAll boolean negC) {
        check("fma.s negP=" + negP + " negC=" + negC, v, rm, FpuRef.fma(S, u(v[0]), u(v[1]), u(v[2]), negP, negC, rm),
                () -> Fpu.fmaS(h, v[0], v[1], v[2], rm, negP, negC));
    }

    @Property(tries = TRIES)
    void toIntS(@ForAll("oneS") long[] v, @ForAll("rm") int rm) {
        long a = v[0];
        check("fcvt.w.s", v, rm, FpuRef.toInt(S, u(a), FpuRef.W, rm), () -> Fpu.cvtWS(h, a, rm));
        check("fcvt.wu.s", v, rm, FpuRef.toInt(S, u(a), FpuRef.WU, rm), () -> Fpu.cvtWuS(h, a, rm));
        check("fcvt.l.s", v, rm, FpuRef.toInt(S, u(a), FpuRef.L, rm), () -> Fpu.cvtLS(h, a, rm));
        check("fcvt.lu.s", v, rm, FpuRef.toInt(S, u(a), FpuRef.LU, rm), () -> Fpu.cvtLuS(h, a, rm));
    }

    @Property(tries = TRIES)
    void fromIntS(@ForAll("integer") long x, @ForAll("rm") int rm) {
        long[] v = {x};
        check("fcvt.s.w", v, rm, FpuRef.fromInt(S, BigInteger.valueOf((int) x), rm), () -> Fpu.cvtSW(h, x, rm));
        check("fcvt.s.wu", v, rm, FpuRef.fromInt(S, BigInteger.valueOf(x & 0xffffffffL), rm), () -> Fpu.cvtSWu(h, x, rm));
        check("fcvt.s.l", v, rm, FpuRef.fromInt(S, BigInteger.valueOf(x), rm), () -> Fpu.cvtSL(h, x, rm));
        check("fcvt.s.lu", v, rm, FpuRef.fromInt(S, unsigned(x), rm), () -> Fpu.cvtSLu(h, x, rm));
    }

    @Property(tries = TRIES)
    void narrowDoubleToSingle(@ForAll("oneD") long a, @ForAll("rm") int rm) {
        check("fcvt.s.d", new long[] {a}, rm, FpuRef.narrow(a, rm), () -> Fpu.cvtSD(h, a, rm));
    }

    @Property(tries = TRIES)
    void widenSingleToDouble(@ForAll("oneS") long[] v) {
        check("fcvt.d.s", v, 0, FpuRef.widen(u(v[0])), () -> Fpu.cvtDS(h, v[0]));
    }

    @Property(tries = TRIES)
    void compareMinMaxClassifyS(@ForAll("pairS") long[] v) {
        long a = u(v[0]), b = u(v[1]);
        check("feq.s", v, 0, FpuRef.compare(S, a, b, "eq"), () -> Fpu.eqS(h, v[0], v[1]));
        check("flt.s", v, 0, FpuRef.compare(S, a, b, "lt"), () -> Fpu.ltS(h, v[0], v[1]));
        check("fle.s", v, 0, FpuRef.compare(S, a, b, "le"), () -> Fpu.leS(h, v[0], v[1]));
        check("fmin.s", v, 0, FpuRef.minMax(S, a, b, true), () -> Fpu.minS(h, v[0], v[1]));
        check("fmax.s", v, 0, FpuRef.minMax(S, a, b, false), () -> Fpu.maxS(h, v[0], v[1]));
        check("fclass.s", v, 0, new Out(FpuRef.classify(S, a), 0), () -> Fpu.classS(v[0]));
    }

    // ---- binary64 ----

    @Property(tries = TRIES)
    void addD(@ForAll("pairD") long[] v, @ForAll("rm") int rm) {
        check("fadd.d", v, rm, FpuRef.add(D, v[0], v[1], rm), () -> Fpu.addD(h, v[0], v[1], rm));
    }

    @Property(tries = TRIES)
    void subD(@ForAll("pairD") long[] v, @ForAll("rm") int rm) {
        check("fsub.d", v, rm, FpuRef.sub(D, v[0], v[1], rm), () -> Fpu.subD(h, v[0], v[1], rm));
    }

    @Property(tries = TRIES)
    void mulD(@ForAll("pairD") long[] v, @ForAll("rm") int rm) {
        check("fmul.d", v, rm, FpuRef.mul(D, v[0], v[1], rm), () -> Fpu.mulD(h, v[0], v[1], rm));
    }

    @Property(tries = TRIES)
    void divD(@ForAll("pairD") long[] v, @ForAll("rm") int rm) {
        check("fdiv.d", v, rm, FpuRef.div(D, v[0], v[1], rm), () -> Fpu.divD(h, v[0], v[1], rm));
    }

    @Property(tries = TRIES)
    void sqrtD(@ForAll("oneD") long a, @ForAll("rm") int rm) {
        check("fsqrt.d", new long[] {a}, rm, FpuRef.sqrt(D, a, rm), () -> Fpu.sqrtD(h, a, rm));
    }

    @Property(tries = TRIES)
    void fmaD(@ForAll("tripleD") long[] v, @ForAll("rm") int rm, @ForAll boolean negP, @ForAll boolean negC) {
        check("fma.d negP=" + negP + " negC=" + negC, v, rm, FpuRef.fma(D, v[0], v[1], v[2], negP, negC, rm),
                () -> Fpu.fmaD(h, v[0], v[1], v[2], rm, negP, negC));
    }

    @Property(tries = TRIES)
    void toIntD(@ForAll("oneD") long a, @ForAll("rm") int rm) {
        long[] v = {a};
        check("fcvt.w.d", v, rm, FpuRef.toInt(D, a, FpuRef.W, rm), () -> Fpu.cvtWD(h, a, rm));
        check("fcvt.wu.d", v, rm, FpuRef.toInt(D, a, FpuRef.WU, rm), () -> Fpu.cvtWuD(h, a, rm));
        check("fcvt.l.d", v, rm, FpuRef.toInt(D, a, FpuRef.L, rm), () -> Fpu.cvtLD(h, a, rm));
        check("fcvt.lu.d", v, rm, FpuRef.toInt(D, a, FpuRef.LU, rm), () -> Fpu.cvtLuD(h, a, rm));
    }

    @Property(tries = TRIES)
    void fromIntD(@ForAll("integer") long x, @ForAll("rm") int rm) {
        long[] v = {x};
        check("fcvt.d.w", v, rm, FpuRef.fromInt(D, BigInteger.valueOf((int) x), rm), () -> Fpu.cvtDW(h, x, rm));
        check("fcvt.d.wu", v, rm, FpuRef.fromInt(D, BigInteger.valueOf(x & 0xffffffffL), rm), () -> Fpu.cvtDWu(h, x, rm));
        check("fcvt.d.l", v, rm, FpuRef.fromInt(D, BigInteger.valueOf(x), rm), () -> Fpu.cvtDL(h, x, rm));
        check("fcvt.d.lu", v, rm, FpuRef.fromInt(D, unsigned(x), rm), () -> Fpu.cvtDLu(h, x, rm));
    }

    @Property(tries = TRIES)
    void compareMinMaxClassifyD(@ForAll("pairD") long[] v) {
        long a = v[0], b = v[1];
        check("feq.d", v, 0, FpuRef.compare(D, a, b, "eq"), () -> Fpu.eqD(h, a, b));
        check("flt.d", v, 0, FpuRef.compare(D, a, b, "lt"), () -> Fpu.ltD(h, a, b));
        check("fle.d", v, 0, FpuRef.compare(D, a, b, "le"), () -> Fpu.leD(h, a, b));
        check("fmin.d", v, 0, FpuRef.minMax(D, a, b, true), () -> Fpu.minD(h, a, b));
        check("fmax.d", v, 0, FpuRef.minMax(D, a, b, false), () -> Fpu.maxD(h, a, b));
        check("fclass.d", v, 0, new Out(FpuRef.classify(D, a), 0), () -> Fpu.classD(a));
    }

    private static BigInteger unsigned(long x) {
        BigInteger v = BigInteger.valueOf(x);
        return x < 0 ? v.add(BigInteger.ONE.shiftLeft(64)) : v;
    }
}
