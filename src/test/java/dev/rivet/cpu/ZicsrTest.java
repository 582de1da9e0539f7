package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static dev.rivet.cpu.Machine.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Zicsr (zicsr.adoc) on the user-level CSRs: fflags, frm, fcsr and the Zicntr counters. */
class ZicsrTest {
    static final int FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003, CYCLE = 0xc00, TIME = 0xc01, INSTRET = 0xc02;

    @Test
    void fflagsReadWriteSetClear() {
        Machine m = new Machine().code(
                csrrw(RD, FFLAGS, RS1), // a0 = old (0), fflags = 0x3f & 0x1f
                csrrs(13, FFLAGS, 0), // a3 = 0x1f
                csrrc(14, FFLAGS, RS2), // a4 = 0x1f, clear 0b00101
                csrrs(15, FFLAGS, 0), // a5 = 0x1a
                csrrsi(16, FFLAGS, 1), // a6 = 0x1a, set bit 0
                csrrci(17, FFLAGS, 0x10), // a7 = 0x1b, clear bit 4
                csrrwi(18, FFLAGS, 0x1f), // s2 = 0x0b
                csrrs(19, FFLAGS, 0));
        m.set(RS1, 0x3f).set(RS2, 5).runToEcall();
        assertThat(m.x(RD)).isZero();
        assertThat(m.x(13)).isEqualTo(0x1f);
        assertThat(m.x(14)).isEqualTo(0x1f);
        assertThat(m.x(15)).isEqualTo(0x1a);
        assertThat(m.x(16)).isEqualTo(0x1a);
        assertThat(m.x(17)).isEqualTo(0x1b);
        assertThat(m.x(18)).isEqualTo(0x0b);
        assertThat(m.x(19)).isEqualTo(0x1f);
        assertThat(m.h.fflags).isEqualTo(0x1f);
    }

    @Test
    void frmAndFcsrAreViewsOfTheSameBits() {
        Machine m = new Machine().code(
                csrrwi(0, FRM, 3), // frm = 3
                csrrwi(0, FFLAGS, 0x11),
                csrrs(RD, FCSR, 0), // a0 = 3 << 5 | 0x11
                csrrw(13, FCSR, RS1), // write fcsr = 0xfff: frm = 7, fflags = 0x1f; bits above 7 dropped
                csrrs(14, FRM, 0),
                csrrs(15, FFLAGS, 0),
                csrrs(16, FCSR, 0),
                csrrw(17, FRM, RS2), // frm = 0x2a & 7 = 2
                csrrs(18, FCSR, 0),
                csrrci(19, FCSR, 0x1f), // clears fflags, leaves frm
                csrrs(20, FCSR, 0));
        m.set(RS1, 0xfff).set(RS2, 0x2a).runToEcall();
        assertThat(m.x(RD)).isEqualTo(3 << 5 | 0x11);
        assertThat(m.x(13)).isEqualTo(3 << 5 | 0x11);
        assertThat(m.x(14)).isEqualTo(7);
        assertThat(m.x(15)).isEqualTo(0x1f);
        assertThat(m.x(16)).isEqualTo(0xff);
        assertThat(m.x(17)).isEqualTo(7);
        assertThat(m.x(18)).isEqualTo(2 << 5 | 0x1f);
        assertThat(m.x(19)).isEqualTo(2 << 5 | 0x1f);
        assertThat(m.x(20)).isEqualTo(2 << 5);
        assertThat(m.h.frm).isEqualTo(2);
        assertThat(m.h.fflags).isZero();
    }

    @Test
    void csrrwWithRdZeroAndReadOnlyFormsWithZeroSource() {
        Machine m = new Machine().code(csrrw(0, FFLAGS, RS1), csrrs(RD, FFLAGS, 0), csrrc(13, FFLAGS, 0),
                csrrsi(14, FFLAGS, 0), csrrci(15, FFLAGS, 0));
        m.set(RS1, 0x15).runToEcall();
        assertThat(m.x(RD)).isEqualTo(0x15);
        assertThat(m.x(13)).isEqualTo(0x15);
        assertThat(m.x(14)).isEqualTo(0x15);
        assertThat(m.x(15)).isEqualTo(0x15);
    }

    @Test
    void rdAndRs1SameRegisterSwaps() {
        Machine m = new Machine().code(csrrw(RD, FFLAGS, RD), csrrw(RD, FFLAGS, RD));
        m.set(RD, 7).runToEcall();
        assertThat(m.x(RD)).isEqualTo(7); // first swap: a0 = 0, fflags = 7; second: a0 = 7, fflags = 0
        assertThat(m.h.fflags).isZero();
    }

    @Test
    void instretCountsRetiredInstructions() {
        Machine m = new Machine().code(csrrs(RD, INSTRET, 0), nop(), nop(), nop(), csrrs(13, INSTRET, 0),
                csrrs(14, INSTRET, 0));
        m.h.instret = 1000;
        m.runToEcall();
        assertThat(m.x(RD)).isEqualTo(1000);
        assertThat(m.x(13) - m.x(RD)).isEqualTo(4);
        assertThat(m.x(14) - m.x(13)).isEqualTo(1);
        assertThat(m.h.instret).isEqualTo(1006);
    }

    @Test
    void instretIsExactAcrossBudgetedRuns() {
        Machine m = new Machine().code(nop(), nop(), csrrs(RD, INSTRET, 0), nop(), csrrs(13, INSTRET, 0));
        assertThat(m.run(2)).isEqualTo(Stop.BUDGET);
        assertThat(m.h.instret).isEqualTo(2);
        assertThat(m.run(2)).isEqualTo(Stop.BUDGET);
        assertThat(m.x(RD)).isEqualTo(2);
        m.runToEcall();
        assertThat(m.x(13)).isEqualTo(4);
        assertThat(m.h.instret).isEqualTo(5);
    }

    @Test
    void cycleAndTimeAreReadable() {
        Machine m = new Machine().code(csrrs(RD, CYCLE, 0), nop(), csrrs(13, CYCLE, 0), csrrs(14, TIME, 0),
                csrrsi(15, TIME, 0), csrrci(16, CYCLE, 0), csrrc(17, INSTRET, 0));
        m.runToEcall();
        assertThat(m.x(13)).isGreaterThan(m.x(RD));
        assertThat(m.x(14)).isEqualTo(CLOCK.ticks());
        assertThat(m.x(14)).isEqualTo(1_234_567);
        assertThat(m.x(15)).isEqualTo(1_234_567);
        assertThat(m.x(16)).isGreaterThanOrEqualTo(m.x(13));
        assertThat(m.x(17)).isEqualTo(6);
    }

    @Test
    void writesToCountersAreIllegal() {
        int[] writes = {
            csrrw(RD, CYCLE, RS1), csrrw(0, CYCLE, RS1), csrrw(RD, TIME, RS1), csrrw(RD, INSTRET, RS1),
            csrrs(RD, CYCLE, RS1), // rs1 != x0 writes (even though its value is 0)
            csrrc(RD, INSTRET, RS1), csrrwi(RD, CYCLE, 0), csrrwi(0, INSTRET, 5), csrrsi(RD, TIME, 1),
            csrrci(RD, CYCLE, 2),
        };
        for (int insn : writes) {
            Machine m = new Machine().code(nop(), insn);
            m.set(RS1, 0).set(RD, 55);
            m.runToException(Cause.ILLEGAL_INSTRUCTION);
            assertThat(m.h.pc).isEqualTo(CODE + 4);
            assertThat(m.x(RD)).as("rd untouched by 0x%08x", insn).isEqualTo(55);
            assertThat(m.h.instret).isEqualTo(1);
        }
    }

    @Test
    void unknownCsrsAreIllegal() {
        for (int csr : new int[] {0x000, 0x004, 0x100, 0x180, 0x300, 0x341, 0xc80, 0xf11, 0x7c0}) {
            Machine m = new Machine().code(csrrs(RD, csr, 0));
            m.runToException(Cause.ILLEGAL_INSTRUCTION);
            assertThat(m.h.pc).isEqualTo(CODE);
        }
    }
}
