package dev.rivet.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.FpuRef.Out;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** Known-answer tests for the F and D arithmetic (expected values worked out by hand and checked independently). */
class FpuEdgeCaseTest {
    static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;
    static final int NV = 16, DZ = 8, OF = 4, UF = 2, NX = 1;

    // binary64 constants
    static final long ONE = 0x3ff0000000000000L, M_ONE = 0xbff0000000000000L, TWO = 0x4000000000000000L;
    static final long THREE = 0x4008000000000000L, HALF = 0x3fe0000000000000L;
    static final long PZ = 0L, NZ = 0x8000000000000000L;
    static final long MAX = 0x7fefffffffffffffL, M_MAX = 0xffefffffffffffffL;
    static final long INF = 0x7ff0000000000000L, M_INF = 0xfff0000000000000L;
    static final long MIN_NORMAL = 0x0010000000000000L, MIN_SUB = 1L, MAX_SUB = 0x000fffffffffffffL;
    static final long QNAN = 0x7ff8000000000000L, QNAN_PAYLOAD = 0x7ff8000000000123L, M_QNAN = 0xfff8000000000000L;
    static final long SNAN = 0x7ff0000000000001L, M_SNAN = 0xfff4000000000000L;

    // binary32 constants (boxed when passed to Fpu)
    static final int S_ONE = 0x3f800000, S_M_ONE = 0xbf800000, S_TWO = 0x40000000, S_THREE = 0x40400000;
    static final int S_PZ = 0, S_NZ = 0x80000000, S_MAX = 0x7f7fffff, S_INF = 0x7f800000, S_M_INF = 0xff800000;
    static final int S_QNAN = 0x7fc00000, S_SNAN = 0x7f800001, S_MIN_NORMAL = 0x00800000;
    static final long BAD_BOX = 0x000000003f800000L; // 1.0f without the NaN box: reads as the canonical NaN

    private final Hart h = FpuTesting.hart();

    private void check(LongSupplier op, long bits, int flags) {
        h.fflags = 0;
        long result = op.getAsLong();
        assertThat(new Out(result, h.fflags)).isEqualTo(new Out(bits, flags));
    }

    private static long b(int single) {
        return Fpu.box(single);
    }

    private static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    // ---- rounding modes ----

    @Test
    void additionRoundsInEveryMode() {
        long tiny = d(0x1p-60);
        long[] up = {ONE, ONE, ONE, 0x3ff0000000000001L, ONE};
        long[] down = {M_ONE, M_ONE, 0xbff0000000000001L, M_ONE, M_ONE};
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.addD(h, ONE, tiny, m), up[m], NX);
            check(() -> Fpu.subD(h, M_ONE, tiny, m), down[m], NX);
        }
    }

    @Test
    void tiesRoundToEvenOrAwayFromZero() {
        long halfUlp = d(0x1p-53);
        // 1 + 2^-53 is halfway between 1 (even) and 1 + 2^-52.
        long[] tie = {ONE, ONE, ONE, 0x3ff0000000000001L, 0x3ff0000000000001L};
        // (1 + 2^-52) + 2^-53 is halfway between an odd and an even neighbour.
        long[] oddTie = {0x3ff0000000000002L, 0x3ff0000000000001L, 0x3ff0000000000001L, 0x3ff0000000000002L,
            0x3ff0000000000002L};
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.addD(h, ONE, halfUlp, m), tie[m], NX);
            check(() -> Fpu.addD(h, 0x3ff0000000000001L, halfUlp, m), oddTie[m], NX);
            // -1 - 2^-53 mirrors the tie: RDN and RUP swap roles.
            check(() -> Fpu.subD(h, M_ONE, halfUlp, m), tie[m == RDN ? RUP : m == RUP ? RDN : m] | NZ, NX);
        }
    }

    @Test
    void divisionOfOneByThree() {
        long[] third = {0x3fd5555555555555L, 0x3fd5555555555555L, 0x3fd5555555555555L, 0x3fd5555555555556L,
            0x3fd5555555555555L};
        long[] minusThird = {0xbfd5555555555555L, 0xbfd5555555555555L, 0xbfd5555555555556L, 0xbfd5555555555555L,
            0xbfd5555555555555L};
        int[] thirdS = {0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa, 0x3eaaaaab, 0x3eaaaaab};
        int[] minusThirdS = {0xbeaaaaab, 0xbeaaaaaa, 0xbeaaaaab, 0xbeaaaaaa, 0xbeaaaaab};
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.divD(h, ONE, THREE, m), third[m], NX);
            check(() -> Fpu.divD(h, M_ONE, THREE, m), minusThird[m], NX);
            check(() -> Fpu.divS(h, b(S_ONE), b(S_THREE), m), b(thirdS[m]), NX);
            check(() -> Fpu.divS(h, b(S_M_ONE), b(S_THREE), m), b(minusThirdS[m]), NX);
            check(() -> Fpu.divD(h, THREE, ONE, m), THREE, 0);
        }
    }

    @Test
    void squareRootRoundsInEveryMode() {
        long lo = 0x3ff6a09e667f3bccL, hi = 0x3ff6a09e667f3bcdL; // sqrt(2) lies between them, nearer hi
        long[] expected = {hi, lo, lo, hi, hi};
        int[] expectedS = {0x3fb504f3, 0x3fb504f3, 0x3fb504f3, 0x3fb504f4, 0x3fb504f3};
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.sqrtD(h, TWO, m), expected[m], NX);
            check(() -> Fpu.sqrtS(h, b(S_TWO), m), b(expectedS[m]), NX);
            check(() -> Fpu.sqrtD(h, d(4.0), m), TWO, 0);
        }
    }

    // ---- overflow ----

    @Test
    void overflowGivesInfinityOrLargestFiniteByMode() {
        long[] pos = {INF, MAX, MAX, INF, INF};
        long[] neg = {M_INF, M_MAX, M_INF, M_MAX, M_INF};
        int[] posS = {S_INF, S_MAX, S_MAX, S_INF, S_INF};
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.mulD(h, MAX, TWO, m), pos[m], OF | NX);
            check(() -> Fpu.mulD(h, M_MAX, TWO, m), neg[m], OF | NX);
            check(() -> Fpu.addD(h, M_MAX, M_MAX, m), neg[m], OF | NX);
            check(() -> Fpu.mulS(h, b(S_MAX), b(S_TWO), m), b(posS[m]), OF | NX);
            check(() -> Fpu.cvtSD(h, d(1e300), m), b(posS[m]), OF | NX);
        }
    }

    @Test
    void overflowIsJudgedAfterRoundingWithUnboundedExponent() {
        // MAX + half an ulp: rounds to 2^1024 (overflow) in RNE, RUP and RMM, but to MAX in RTZ and
        // RDN, which is no overflow, just inexact.
        long halfUlp = d(0x1p970);
        check(() -> Fpu.addD(h, MAX, halfUlp, RNE), INF, OF | NX);
        check(() -> Fpu.addD(h, MAX, halfUlp, RTZ), MAX, NX);
        check(() -> Fpu.addD(h, MAX, halfUlp, RDN), MAX, NX);
        check(() -> Fpu.addD(h, MAX, halfUlp, RUP), INF, OF | NX);
        check(() -> Fpu.addD(h, MAX, halfUlp, RMM), INF, OF | NX);
        long halfUlpS = b(0x73000000); // 2^103, half the ulp of the largest binary32
        check(() -> Fpu.addS(h, b(S_MAX), halfUlpS, RTZ), b(S_MAX), NX);
        check(() -> Fpu.addS(h, b(S_MAX), halfUlpS, RNE), b(S_INF), OF | NX);
        check(() -> Fpu.addS(h, b(S_MAX), b(0x73800000), RTZ), b(S_MAX), OF | NX); // MAX + 1 ulp = 2^128
        // Just above MAX but below the midpoint: RUP overflows, RNE does not.
        check(() -> Fpu.addD(h, MAX, MIN_NORMAL, RUP), INF, OF | NX);
        check(() -> Fpu.addD(h, MAX, MIN_NORMAL, RNE), MAX, NX);
    }

    // ---- underflow ----

    @Test
    void tinyInexactResultsRaiseUnderflow() {
        // 2^-1074 * 0.5 = 2^-1075, halfway between 0 and the smallest subnormal.
        long[] pos = {PZ, PZ, PZ, MIN_SUB, MIN_SUB};
        long[] neg = {NZ, NZ, NZ | MIN_SUB, NZ, NZ | MIN_SUB};
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.mulD(h, MIN_SUB, HALF, m), pos[m], UF | NX);
            check(() -> Fpu.mulD(h, NZ | MIN_SUB, HALF, m), neg[m], UF | NX);
        }
        check(() -> Fpu.cvtSD(h, d(1e-50), RNE), b(S_PZ), UF | NX);
        check(() -> Fpu.cvtSD(h, d(1e-50), RUP), b(1), UF | NX);
        check(() -> Fpu.divS(h, b(1), b(S_TWO), RNE), b(S_PZ), UF | NX);
    }

    @Test
    void tinyExactResultsRaiseNothing() {
        check(() -> Fpu.mulD(h, MIN_NORMAL, HALF, RNE), 0x0008000000000000L, 0);
        check(() -> Fpu.subD(h, 0x0010000000000001L, MIN_NORMAL, RNE), MIN_SUB, 0);
        check(() -> Fpu.mulS(h, b(S_MIN_NORMAL), b(0x3f000000), RNE), b(0x00400000), 0);
        check(() -> Fpu.cvtSD(h, d(0x1p-149), RNE), b(1), 0);
    }

    @Test
    void tininessIsDetectedAfterRounding() {
        // (1 + 2^-27) * (1 - 2^-27) * 2^-1022 = 2^-1022 - 2^-1076: rounded to 53 bits with unbounded
        // exponent it is 2^-1022, so it is not tiny in RNE, RUP and RMM: no underflow.
        long a = 0x3ff0000002000000L, c = 0x000ffffffe000000L;
        long[] expected = {MIN_NORMAL, MAX_SUB, MAX_SUB, MIN_NORMAL, MIN_NORMAL};
        int[] flags = {NX, UF | NX, UF | NX, NX, NX};
        // (1 - 2^-53) * 2^-1022 is exact with 53 bits below 2^-1022, so it is tiny even where the
        // delivered result rounds up to the smallest normal (it is a tie on the subnormal grid).
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.mulD(h, a, c, m), expected[m], flags[m]);
            check(() -> Fpu.mulD(h, 0x3fefffffffffffffL, MIN_NORMAL, m), expected[m], UF | NX);
        }
        // binary32: (1 + 2^-12) * (1 - 2^-12) * 2^-126 = 2^-126 - 2^-150, exact in 24 bits: tiny.
        check(() -> Fpu.mulS(h, b(0x3f800800), b(0x007ff800), RNE), b(S_MIN_NORMAL), UF | NX);
        check(() -> Fpu.mulS(h, b(0x3f800800), b(0x007ff800), RTZ), b(0x007fffff), UF | NX);
    }

    // ---- signed zeros ----

    @Test
    void exactZeroSumsArePositiveExceptWhenRoundingDown() {
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            long zero = m == RDN ? NZ : PZ;
            check(() -> Fpu.subD(h, THREE, THREE, m), zero, 0);
            check(() -> Fpu.addD(h, PZ, NZ, m), zero, 0);
            check(() -> Fpu.addD(h, NZ, NZ, m), NZ, 0);
            check(() -> Fpu.addD(h, PZ, PZ, m), PZ, 0);
            check(() -> Fpu.subD(h, NZ, PZ, m), NZ, 0);
            check(() -> Fpu.subS(h, b(S_THREE), b(S_THREE), m), b(m == RDN ? S_NZ : S_PZ), 0);
            check(() -> Fpu.fmaD(h, ONE, THREE, THREE, m, false, true), zero, 0);
            check(() -> Fpu.fmaD(h, PZ, THREE, NZ, m, false, false), zero, 0);
            check(() -> Fpu.fmaD(h, NZ, THREE, NZ, m, false, false), NZ, 0);
            check(() -> Fpu.fmaS(h, b(S_ONE), b(S_THREE), b(S_THREE), m, true, false), b(m == RDN ? S_NZ : S_PZ), 0);
        }
        check(() -> Fpu.mulD(h, NZ, THREE, RNE), NZ, 0);
        check(() -> Fpu.divD(h, PZ, M_ONE, RNE), NZ, 0);
        check(() -> Fpu.divD(h, ONE, M_INF, RNE), NZ, 0);
        check(() -> Fpu.sqrtD(h, NZ, RNE), NZ, 0);
        check(() -> Fpu.sqrtS(h, b(S_NZ), RNE), b(S_NZ), 0);
    }

    // ---- NaNs ----

    @Test
    void nanResultsAreCanonicalAndSignalingInputsRaiseInvalid() {
        long cs = b(Fpu.CANONICAL_NAN_S);
        check(() -> Fpu.addD(h, QNAN_PAYLOAD, ONE, RNE), QNAN, 0);
        check(() -> Fpu.addD(h, ONE, M_QNAN, RNE), QNAN, 0);
        check(() -> Fpu.mulD(h, SNAN, ONE, RNE), QNAN, NV);
        check(() -> Fpu.divD(h, ONE, M_SNAN, RNE), QNAN, NV);
        check(() -> Fpu.sqrtD(h, SNAN, RNE), QNAN, NV);
        check(() -> Fpu.sqrtD(h, M_QNAN, RNE), QNAN, 0);
        check(() -> Fpu.addS(h, b(0x7fc00123), b(S_ONE), RNE), cs, 0);
        check(() -> Fpu.addS(h, b(S_SNAN), b(S_ONE), RNE), cs, NV);
        check(() -> Fpu.fmaS(h, b(S_ONE), b(S_ONE), b(S_SNAN), RNE, false, false), cs, NV);
        check(() -> Fpu.fmaD(h, QNAN, ONE, ONE, RNE, true, true), QNAN, 0);
    }

    @Test
    void invalidOperationsGiveCanonicalNanWithNv() {
        long cs = b(Fpu.CANONICAL_NAN_S);
        check(() -> Fpu.addD(h, INF, M_INF, RNE), QNAN, NV);
        check(() -> Fpu.subD(h, INF, INF, RNE), QNAN, NV);
        check(() -> Fpu.mulD(h, PZ, M_INF, RNE), QNAN, NV);
        check(() -> Fpu.divD(h, PZ, NZ, RNE), QNAN, NV);
        check(() -> Fpu.divD(h, INF, M_INF, RNE), QNAN, NV);
        check(() -> Fpu.sqrtD(h, M_ONE, RNE), QNAN, NV);
        check(() -> Fpu.sqrtD(h, M_INF, RNE), QNAN, NV);
        check(() -> Fpu.sqrtD(h, NZ | MIN_SUB, RNE), QNAN, NV);
        check(() -> Fpu.mulS(h, b(S_INF), b(S_PZ), RNE), cs, NV);
        check(() -> Fpu.sqrtS(h, b(S_M_ONE), RNE), cs, NV);
        check(() -> Fpu.fmaD(h, INF, ONE, M_INF, RNE, false, false), QNAN, NV);
        check(() -> Fpu.fmaD(h, INF, ONE, INF, RNE, false, true), QNAN, NV);
    }

    @Test
    void fusedMultiplyAddOfInfinityTimesZeroIsInvalidEvenWithQuietNanAddend() {
        long cs = b(Fpu.CANONICAL_NAN_S);
        check(() -> Fpu.fmaD(h, INF, PZ, QNAN, RNE, false, false), QNAN, NV);
        check(() -> Fpu.fmaD(h, NZ, M_INF, QNAN_PAYLOAD, RNE, true, true), QNAN, NV);
        check(() -> Fpu.fmaD(h, INF, PZ, ONE, RNE, false, false), QNAN, NV);
        check(() -> Fpu.fmaS(h, b(S_INF), b(S_PZ), b(S_QNAN), RNE, false, false), cs, NV);
        check(() -> Fpu.fmaS(h, b(S_PZ), b(S_INF), b(S_QNAN), RNE, false, false), cs, NV);
        // A quiet NaN multiplicand is no invalid operation.
        check(() -> Fpu.fmaD(h, QNAN, PZ, INF, RNE, false, false), QNAN, 0);
        check(() -> Fpu.fmaD(h, INF, TWO, INF, RNE, false, false), INF, 0);
    }

    @Test
    void divisionByZero() {
        check(() -> Fpu.divD(h, ONE, PZ, RNE), INF, DZ);
        check(() -> Fpu.divD(h, M_ONE, PZ, RNE), M_INF, DZ);
        check(() -> Fpu.divD(h, ONE, NZ, RTZ), M_INF, DZ);
        check(() -> Fpu.divD(h, MIN_SUB, PZ, RNE), INF, DZ);
        check(() -> Fpu.divD(h, INF, PZ, RNE), INF, 0);
        check(() -> Fpu.divS(h, b(S_ONE), b(S_NZ), RNE), b(S_M_INF), DZ);
    }

    // ---- fused multiply-add ----

    @Test
    void fusedMultiplyAddRoundsOnce() {
        // (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 exactly; rounding the product first would give 0.
        long p = d(1 + 0x1p-30), q = d(1 - 0x1p-30);
        check(() -> Fpu.fmaD(h, p, q, ONE, RNE, false, true), d(-0x1p-60), 0);
        check(() -> Fpu.addD(h, Fpu.mulD(h, p, q, RNE), M_ONE, RNE), PZ, NX); // unfused: 0
        check(() -> Fpu.fmaS(h, b(0x3f800800), b(0x3f7ff000), b(S_M_ONE), RNE, false, false), b(0xb3800000), 0);
        // (1 - 2^-30)(2^-53 + 2^-83) + 1 = 1 + 2^-53 - 2^-113: just below a tie, so RMM keeps 1.
        long x = 0x3fefffffff800000L, y = 0x3ca0000000400000L;
        long[] expected = {ONE, ONE, ONE, 0x3ff0000000000001L, ONE};
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.fmaD(h, x, y, ONE, m, false, false), expected[m], NX);
        }
    }

    @Test
    void fusedMultiplyAddVariantsNegateProductAndAddend() {
        long five = d(5), m5 = d(-5), m1 = M_ONE;
        check(() -> Fpu.fmaD(h, ONE, TWO, THREE, RNE, false, false), five, 0); // fmadd
        check(() -> Fpu.fmaD(h, ONE, TWO, THREE, RNE, false, true), m1, 0); // fmsub
        check(() -> Fpu.fmaD(h, ONE, TWO, THREE, RNE, true, false), ONE, 0); // fnmsub
        check(() -> Fpu.fmaD(h, ONE, TWO, THREE, RNE, true, true), m5, 0); // fnmadd
        check(() -> Fpu.fmaS(h, b(S_ONE), b(S_TWO), b(S_THREE), RNE, true, true), b(0xc0a00000), 0);
    }

    // ---- min / max ----

    @Test
    void minMaxOrderZerosAndSkipNans() {
        check(() -> Fpu.minD(h, PZ, NZ), NZ, 0);
        check(() -> Fpu.minD(h, NZ, PZ), NZ, 0);
        check(() -> Fpu.maxD(h, NZ, PZ), PZ, 0);
        check(() -> Fpu.maxD(h, PZ, NZ), PZ, 0);
        check(() -> Fpu.minD(h, ONE, TWO), ONE, 0);
        check(() -> Fpu.maxD(h, M_INF, M_ONE), M_ONE, 0);
        check(() -> Fpu.minD(h, QNAN_PAYLOAD, THREE), THREE, 0);
        check(() -> Fpu.maxD(h, M_INF, M_QNAN), M_INF, 0);
        check(() -> Fpu.minD(h, SNAN, THREE), THREE, NV);
        check(() -> Fpu.maxD(h, THREE, M_SNAN), THREE, NV);
        check(() -> Fpu.minD(h, QNAN_PAYLOAD, M_QNAN), QNAN, 0);
        check(() -> Fpu.maxD(h, SNAN, QNAN), QNAN, NV);
        check(() -> Fpu.minS(h, b(S_PZ), b(S_NZ)), b(S_NZ), 0);
        check(() -> Fpu.maxS(h, b(S_NZ), b(S_PZ)), b(S_PZ), 0);
        check(() -> Fpu.minS(h, b(S_SNAN), b(S_TWO)), b(S_TWO), NV);
        check(() -> Fpu.maxS(h, b(S_QNAN), b(S_SNAN)), b(Fpu.CANONICAL_NAN_S), NV);
        check(() -> Fpu.maxS(h, BAD_BOX, b(S_TWO)), b(S_TWO), 0);
    }

    // ---- comparisons ----

    @Test
    void comparisons() {
        check(() -> Fpu.eqD(h, PZ, NZ), 1, 0);
        check(() -> Fpu.ltD(h, NZ, PZ), 0, 0);
        check(() -> Fpu.leD(h, NZ, PZ), 1, 0);
        check(() -> Fpu.ltD(h, ONE, TWO), 1, 0);
        check(() -> Fpu.leD(h, TWO, ONE), 0, 0);
        check(() -> Fpu.ltD(h, M_INF, MAX), 1, 0);
        check(() -> Fpu.eqD(h, QNAN, QNAN), 0, 0);
        check(() -> Fpu.eqD(h, ONE, SNAN), 0, NV);
        check(() -> Fpu.ltD(h, QNAN, ONE), 0, NV);
        check(() -> Fpu.leD(h, ONE, M_QNAN), 0, NV);
        check(() -> Fpu.eqS(h, b(S_ONE), b(S_ONE)), 1, 0);
        check(() -> Fpu.eqS(h, b(S_QNAN), b(S_ONE)), 0, 0);
        check(() -> Fpu.eqS(h, b(S_SNAN), b(S_ONE)), 0, NV);
        check(() -> Fpu.ltS(h, b(S_ONE), b(S_QNAN)), 0, NV);
        check(() -> Fpu.leS(h, b(S_NZ), b(S_PZ)), 1, 0);
        check(() -> Fpu.eqS(h, BAD_BOX, BAD_BOX), 0, 0);
        check(() -> Fpu.leS(h, BAD_BOX, b(S_ONE)), 0, NV);
    }

    // ---- classification ----

    @Test
    void classifiesEveryClass() {
        long[] values = {M_INF, M_ONE, NZ | MAX_SUB, NZ, PZ, MIN_SUB, MIN_NORMAL, INF, SNAN, QNAN};
        for (int bit = 0; bit < 10; bit++) assertThat(Fpu.classD(values[bit])).isEqualTo(1L << bit);
        assertThat(Fpu.classD(M_SNAN)).isEqualTo(1 << 8);
        assertThat(Fpu.classD(M_QNAN)).isEqualTo(1 << 9);
        assertThat(Fpu.classD(M_MAX)).isEqualTo(1 << 1);
        int[] singles = {S_M_INF, S_M_ONE, 0x80000001, S_NZ, S_PZ, 0x007fffff, S_MAX, S_INF, S_SNAN, S_QNAN};
        for (int bit = 0; bit < 10; bit++) assertThat(Fpu.classS(b(singles[bit]))).isEqualTo(1L << bit);
        assertThat(Fpu.classS(BAD_BOX)).isEqualTo(1 << 9);
    }

    // ---- float to integer ----

    @Test
    void floatToIntegerSaturates() {
        check(() -> Fpu.cvtWD(h, QNAN, RNE), 0x7fffffffL, NV);
        check(() -> Fpu.cvtWD(h, M_QNAN, RNE), 0x7fffffffL, NV);
        check(() -> Fpu.cvtWD(h, INF, RNE), 0x7fffffffL, NV);
        check(() -> Fpu.cvtWD(h, M_INF, RNE), 0xffffffff80000000L, NV);
        check(() -> Fpu.cvtWD(h, d(0x1p31), RNE), 0x7fffffffL, NV);
        check(() -> Fpu.cvtWD(h, d(-0x1p31), RNE), 0xffffffff80000000L, 0);
        check(() -> Fpu.cvtWD(h, d(-0x1p31 - 0.5), RTZ), 0xffffffff80000000L, NX);
        check(() -> Fpu.cvtWD(h, d(-0x1p31 - 0.5), RNE), 0xffffffff80000000L, NX);
        check(() -> Fpu.cvtWD(h, d(-0x1p31 - 0.5), RDN), 0xffffffff80000000L, NV);
        check(() -> Fpu.cvtWD(h, d(2147483647.5), RNE), 0x7fffffffL, NV); // rounds to 2^31
        check(() -> Fpu.cvtWD(h, d(2147483647.5), RTZ), 0x7fffffffL, NX);
        check(() -> Fpu.cvtWuD(h, QNAN, RNE), -1L, NV);
        check(() -> Fpu.cvtWuD(h, M_INF, RNE), 0L, NV);
        check(() -> Fpu.cvtWuD(h, M_ONE, RNE), 0L, NV);
        check(() -> Fpu.cvtWuD(h, d(4294967295.0), RNE), -1L, 0); // 0xffffffff sign-extended
        check(() -> Fpu.cvtWuD(h, d(0x1p32), RNE), -1L, NV);
        check(() -> Fpu.cvtWuD(h, d(3e9), RNE), 0xffffffffb2d05e00L, 0);
        check(() -> Fpu.cvtLD(h, d(0x1p63), RNE), Long.MAX_VALUE, NV);
        check(() -> Fpu.cvtLD(h, d(-0x1p63), RNE), Long.MIN_VALUE, 0);
        check(() -> Fpu.cvtLD(h, QNAN, RNE), Long.MAX_VALUE, NV);
        check(() -> Fpu.cvtLD(h, M_INF, RNE), Long.MIN_VALUE, NV);
        check(() -> Fpu.cvtLuD(h, d(0x1p63), RNE), Long.MIN_VALUE, 0);
        check(() -> Fpu.cvtLuD(h, d(0x1p64), RNE), -1L, NV);
        check(() -> Fpu.cvtLuD(h, M_QNAN, RNE), -1L, NV);
        check(() -> Fpu.cvtLuD(h, M_ONE, RNE), 0L, NV);
        check(() -> Fpu.cvtWS(h, b(S_QNAN), RNE), 0x7fffffffL, NV);
        check(() -> Fpu.cvtWS(h, b(S_M_INF), RNE), 0xffffffff80000000L, NV);
        check(() -> Fpu.cvtWS(h, b(0x4f000000), RNE), 0x7fffffffL, NV); // 2^31
        check(() -> Fpu.cvtWuS(h, b(0x4f32d05e), RTZ), 0xffffffffb2d05e00L, 0); // 3e9
        check(() -> Fpu.cvtLS(h, b(0xdf000000), RNE), Long.MIN_VALUE, 0); // -2^63
        check(() -> Fpu.cvtLuS(h, b(0x5f800000), RNE), -1L, NV); // 2^64
        check(() -> Fpu.cvtWS(h, BAD_BOX, RNE), 0x7fffffffL, NV);
    }

    @Test
    void unsignedConversionOfSmallNegativeValues() {
        long m03 = d(-0.3);
        check(() -> Fpu.cvtWuD(h, m03, RTZ), 0L, NX); // rounds to 0: valid
        check(() -> Fpu.cvtWuD(h, m03, RNE), 0L, NX);
        check(() -> Fpu.cvtWuD(h, m03, RUP), 0L, NX);
        check(() -> Fpu.cvtWuD(h, m03, RDN), 0L, NV); // rounds to -1
        check(() -> Fpu.cvtWuD(h, d(-0.5), RNE), 0L, NX);
        check(() -> Fpu.cvtWuD(h, d(-0.5), RMM), 0L, NV);
        check(() -> Fpu.cvtLuD(h, m03, RTZ), 0L, NX);
        check(() -> Fpu.cvtWuS(h, b(0xbe99999a), RTZ), 0L, NX);
        check(() -> Fpu.cvtLuS(h, b(0xbf666666), RTZ), 0L, NX); // -0.9
        check(() -> Fpu.cvtWuD(h, NZ, RNE), 0L, 0);
    }

    @Test
    void floatToIntegerRoundsInEveryMode() {
        long[] p25 = {2, 2, 2, 3, 3};
        long[] m25 = {-2, -2, -3, -2, -3};
        long[] p35 = {4, 3, 3, 4, 4};
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.cvtWD(h, d(2.5), m), p25[m], NX);
            check(() -> Fpu.cvtLD(h, d(-2.5), m), m25[m], NX);
            check(() -> Fpu.cvtWS(h, b(0x40600000), m), p35[m], NX); // 3.5f
            check(() -> Fpu.cvtLuS(h, b(0x40200000), m), p25[m], NX); // 2.5f
            check(() -> Fpu.cvtWD(h, M_ONE, m), -1L, 0);
        }
        check(() -> Fpu.cvtWS(h, b(0xbf8ccccd), RTZ), -1L, NX); // -1.1
    }

    // ---- integer to float ----

    @Test
    void integerToFloatRounds() {
        int[] p24 = {0x4b800000, 0x4b800000, 0x4b800000, 0x4b800001, 0x4b800001}; // 2^24 + 1
        long[] p53 = {0x4340000000000000L, 0x4340000000000000L, 0x4340000000000000L, 0x4340000000000001L,
            0x4340000000000001L}; // 2^53 + 1
        int[] u64s = {0x5f800000, 0x5f7fffff, 0x5f7fffff, 0x5f800000, 0x5f800000}; // 2^64 - 1
        long[] u64d = {0x43f0000000000000L, 0x43efffffffffffffL, 0x43efffffffffffffL, 0x43f0000000000000L,
            0x43f0000000000000L};
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.cvtSW(h, (1 << 24) + 1, m), b(p24[m]), NX);
            check(() -> Fpu.cvtSW(h, -(1 << 24) - 1, m), b(p24[m == RDN ? RUP : m == RUP ? RDN : m] | S_NZ), NX);
            check(() -> Fpu.cvtDL(h, (1L << 53) + 1, m), p53[m], NX);
            check(() -> Fpu.cvtSLu(h, -1L, m), b(u64s[m]), NX);
            check(() -> Fpu.cvtDLu(h, -1L, m), u64d[m], NX);
            check(() -> Fpu.cvtDW(h, Integer.MIN_VALUE, m), d(-0x1p31), 0);
            check(() -> Fpu.cvtDWu(h, 0xffffffffL, m), d(4294967295.0), 0);
        }
        check(() -> Fpu.cvtSW(h, 0, RNE), b(S_PZ), 0);
        check(() -> Fpu.cvtSL(h, Long.MIN_VALUE, RNE), b(0xdf000000), 0);
        check(() -> Fpu.cvtDL(h, Long.MIN_VALUE, RNE), d(-0x1p63), 0);
        check(() -> Fpu.cvtSW(h, 0x1_0000_0003L, RNE), b(0x40400000), 0); // only the low 32 bits count
        check(() -> Fpu.cvtSWu(h, 0xffff_ffff_ffff_fffdL, RNE), b(0x4f800000), NX); // 0xfffffffd
        check(() -> Fpu.cvtDWu(h, 0xffff_ffff_0000_0002L, RNE), TWO, 0);
    }

    // ---- float to float ----

    @Test
    void doubleToSingleRoundsAndSingleToDoubleIsExact() {
        int[] third = {0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa, 0x3eaaaaab, 0x3eaaaaab};
        for (int rm = 0; rm < 5; rm++) {
            int m = rm;
            check(() -> Fpu.cvtSD(h, 0x3fd5555555555555L, m), b(third[m]), NX);
        }
        check(() -> Fpu.cvtSD(h, ONE, RNE), b(S_ONE), 0);
        check(() -> Fpu.cvtSD(h, NZ, RNE), b(S_NZ), 0);
        check(() -> Fpu.cvtSD(h, M_INF, RNE), b(S_M_INF), 0);
        check(() -> Fpu.cvtSD(h, QNAN_PAYLOAD, RNE), b(Fpu.CANONICAL_NAN_S), 0);
        check(() -> Fpu.cvtSD(h, SNAN, RNE), b(Fpu.CANONICAL_NAN_S), NV);
        check(() -> Fpu.cvtDS(h, b(0x3eaaaaab)), 0x3fd5555560000000L, 0);
        check(() -> Fpu.cvtDS(h, b(1)), d(0x1p-149), 0);
        check(() -> Fpu.cvtDS(h, b(S_NZ)), NZ, 0);
        check(() -> Fpu.cvtDS(h, b(0xffc00001)), QNAN, 0);
        check(() -> Fpu.cvtDS(h, b(S_SNAN)), QNAN, NV);
        check(() -> Fpu.cvtDS(h, BAD_BOX), QNAN, 0);
    }

    // ---- NaN boxing ----

    @Test
    void singleOperandsMustBeNanBoxed() {
        long cs = b(Fpu.CANONICAL_NAN_S);
        check(() -> Fpu.addS(h, BAD_BOX, b(S_ONE), RNE), cs, 0);
        check(() -> Fpu.mulS(h, b(S_TWO), 0x7fffffff3f800000L, RNE), cs, 0);
        check(() -> Fpu.fmaS(h, b(S_ONE), b(S_ONE), BAD_BOX, RNE, false, false), cs, 0);
        check(() -> Fpu.sqrtS(h, BAD_BOX, RNE), cs, 0);
        check(() -> Fpu.addS(h, b(S_ONE), b(S_ONE), RNE), b(S_TWO), 0);
        assertThat(Fpu.sgnjS(BAD_BOX, b(S_M_ONE), 0)).isEqualTo(0xffffffffffc00000L);
        assertThat(Fpu.sgnjS(b(S_ONE), BAD_BOX, 1)).isEqualTo(b(S_M_ONE));
        assertThat(Fpu.sgnjS(b(S_M_ONE), b(S_M_ONE), 2)).isEqualTo(b(S_ONE));
        assertThat(Fpu.sgnjS(b(S_SNAN), b(S_M_ONE), 0)).isEqualTo(b(S_SNAN | S_NZ)); // no canonicalization
        assertThat(Fpu.sgnjD(SNAN, M_ONE, 0)).isEqualTo(SNAN | NZ);
        assertThat(Fpu.sgnjD(M_ONE, M_ONE, 2)).isEqualTo(ONE);
        assertThat(Fpu.sgnjD(ONE, ONE, 1)).isEqualTo(M_ONE);
    }
}
