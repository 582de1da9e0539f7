package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static dev.rivet.cpu.Machine.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** M extension (m-st-ext.adoc), including the table of division by zero and overflow results. */
class MExtTest {
    static final long MIN = Long.MIN_VALUE, MAX = Long.MAX_VALUE;
    static final long WMIN = Integer.MIN_VALUE;

    @Test
    void mulKeepsLow64Bits() {
        assertThat(exec(mul(RD, RS1, RS2), 3, -7)).isEqualTo(-21);
        assertThat(exec(mul(RD, RS1, RS2), MAX, 2)).isEqualTo(-2);
        assertThat(exec(mul(RD, RS1, RS2), MIN, -1)).isEqualTo(MIN);
        assertThat(exec(mul(RD, RS1, RS2), 0x1_0000_0001L, 0x1_0000_0001L)).isEqualTo(0x2_0000_0001L);
    }

    @Test
    void mulHighVariants() {
        assertThat(exec(mulh(RD, RS1, RS2), -1, -1)).isEqualTo(0);
        assertThat(exec(mulh(RD, RS1, RS2), MIN, MIN)).isEqualTo(0x4000_0000_0000_0000L);
        assertThat(exec(mulh(RD, RS1, RS2), MIN, MAX)).isEqualTo(0xc000_0000_0000_0000L);
        assertThat(exec(mulh(RD, RS1, RS2), MAX, MAX)).isEqualTo(0x3fff_ffff_ffff_ffffL);
        assertThat(exec(mulh(RD, RS1, RS2), -1, 1)).isEqualTo(-1);
        assertThat(exec(mulhu(RD, RS1, RS2), -1, -1)).isEqualTo(0xffff_ffff_ffff_fffeL);
        assertThat(exec(mulhu(RD, RS1, RS2), MIN, 2)).isEqualTo(1);
        assertThat(exec(mulhu(RD, RS1, RS2), -1, 1)).isEqualTo(0);
        // mulhsu: rs1 signed, rs2 unsigned
        assertThat(exec(mulhsu(RD, RS1, RS2), -1, -1)).isEqualTo(-1); // -1 * (2^64-1)
        assertThat(exec(mulhsu(RD, RS1, RS2), 1, -1)).isEqualTo(0); // 1 * (2^64-1)
        assertThat(exec(mulhsu(RD, RS1, RS2), MIN, -1)).isEqualTo(MIN);
        assertThat(exec(mulhsu(RD, RS1, RS2), MAX, -1)).isEqualTo(0x7fff_ffff_ffff_fffeL);
        assertThat(exec(mulhsu(RD, RS1, RS2), -2, 3)).isEqualTo(-1);
        assertThat(exec(mulhsu(RD, RS1, RS2), 2, MIN)).isEqualTo(1);
    }

    @Test
    void divisionRoundsTowardZero() {
        assertThat(exec(div(RD, RS1, RS2), -7, 2)).isEqualTo(-3);
        assertThat(exec(rem(RD, RS1, RS2), -7, 2)).isEqualTo(-1);
        assertThat(exec(div(RD, RS1, RS2), 7, -2)).isEqualTo(-3);
        assertThat(exec(rem(RD, RS1, RS2), 7, -2)).isEqualTo(1);
        assertThat(exec(divu(RD, RS1, RS2), -1, 2)).isEqualTo(MAX);
        assertThat(exec(remu(RD, RS1, RS2), -1, 10)).isEqualTo(5); // 18446744073709551615 % 10
        assertThat(exec(divu(RD, RS1, RS2), MIN, -1)).isEqualTo(0);
        assertThat(exec(remu(RD, RS1, RS2), MIN, -1)).isEqualTo(MIN);
    }

    @Test
    void divisionByZero() {
        for (long x : new long[] {0, 1, -1, 42, MIN, MAX}) {
            assertThat(exec(div(RD, RS1, RS2), x, 0)).isEqualTo(-1);
            assertThat(exec(divu(RD, RS1, RS2), x, 0)).isEqualTo(-1); // 2^64 - 1
            assertThat(exec(rem(RD, RS1, RS2), x, 0)).isEqualTo(x);
            assertThat(exec(remu(RD, RS1, RS2), x, 0)).isEqualTo(x);
            // W forms: the divisor is rs2[31:0], so a nonzero upper half still divides by zero.
            assertThat(exec(divw(RD, RS1, RS2), x, 0xffff_ffff_0000_0000L)).isEqualTo(-1);
            assertThat(exec(divuw(RD, RS1, RS2), x, 0x1_0000_0000L)).isEqualTo(-1);
            assertThat(exec(remw(RD, RS1, RS2), x, 0)).isEqualTo((long) (int) x);
            assertThat(exec(remuw(RD, RS1, RS2), x, 0)).isEqualTo((long) (int) x);
        }
        assertThat(exec(remuw(RD, RS1, RS2), 0x8000_0000L, 0)).isEqualTo(0xffff_ffff_8000_0000L);
    }

    @Test
    void signedOverflow() {
        assertThat(exec(div(RD, RS1, RS2), MIN, -1)).isEqualTo(MIN);
        assertThat(exec(rem(RD, RS1, RS2), MIN, -1)).isEqualTo(0);
        assertThat(exec(divw(RD, RS1, RS2), WMIN, -1)).isEqualTo(WMIN);
        assertThat(exec(remw(RD, RS1, RS2), WMIN, -1)).isEqualTo(0);
        // Upper halves are ignored: 0x1234_5678_8000_0000 is -2^31 as a word.
        assertThat(exec(divw(RD, RS1, RS2), 0x1234_5678_8000_0000L, 0xffff_ffffL)).isEqualTo(WMIN);
    }

    @Test
    void wordForms() {
        assertThat(exec(mulw(RD, RS1, RS2), 0x10000, 0x8000)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(mulw(RD, RS1, RS2), 0x7_0000_0003L, 0x9_0000_0005L)).isEqualTo(15);
        assertThat(exec(mulw(RD, RS1, RS2), -1, -1)).isEqualTo(1);
        assertThat(exec(divw(RD, RS1, RS2), -7, 2)).isEqualTo(-3);
        assertThat(exec(divw(RD, RS1, RS2), 0xf_0000_0064L, 0xa_0000_000aL)).isEqualTo(10);
        assertThat(exec(remw(RD, RS1, RS2), -7, 2)).isEqualTo(-1);
        assertThat(exec(divuw(RD, RS1, RS2), 0xffff_ffffL, 1)).isEqualTo(-1); // 0xffffffff sign-extended
        assertThat(exec(divuw(RD, RS1, RS2), 0xffff_ffffL, 2)).isEqualTo(0x7fff_ffffL);
        assertThat(exec(divuw(RD, RS1, RS2), 0x8000_0000L, 0xffff_ffffL)).isEqualTo(0);
        assertThat(exec(remuw(RD, RS1, RS2), 0xffff_fffeL, 0xffff_ffffL)).isEqualTo(0xffff_ffff_ffff_fffeL);
        assertThat(exec(remuw(RD, RS1, RS2), 0xffff_ffffL, 10)).isEqualTo(5);
    }
}
