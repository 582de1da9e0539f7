package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static dev.rivet.cpu.Machine.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * F/D loads, stores, moves and sign injection: bit-exact operations with no rounding (f-st-ext.adoc,
 * d-st-ext.adoc, NaN boxing). Arithmetic is deliberately not tested here.
 */
class FpMoveTest {
    static final long BOX = 0xffff_ffff_0000_0000L;

    @Test
    void flwNaNBoxesAndFswStoresLowWord() {
        Machine m = new Machine();
        m.mem.write(DATA, 8, 0x1234_5678_bf80_0000L); // -1.0f in the low word
        m.code(flw(3, RS1, 0), fsw(3, RS1, 8), fsw(4, RS1, 12)).set(RS1, DATA);
        m.h.f[4] = 0x7654_3210_4049_0fdbL; // not boxed: fsw still stores the low 32 bits
        m.runToEcall();
        assertThat(m.h.f[3]).isEqualTo(BOX | 0xbf80_0000L);
        assertThat(m.mem.read(DATA + 8, 4)).isEqualTo(0xbf80_0000L);
        assertThat(m.mem.read(DATA + 12, 4)).isEqualTo(0x4049_0fdbL);
    }

    @Test
    void fldFsdAreRawBitCopies() {
        Machine m = new Machine();
        long snan = 0x7ff0_0000_0000_0001L; // a signalling NaN must not be quieted by a load or store
        m.mem.write(DATA + 8, 8, snan);
        m.code(fld(31, RS1, 0), fsd(31, RS1, 16), fld(0, RS1, 16), fsd(0, RS1, -8)).set(RS1, DATA + 8);
        m.runToEcall();
        assertThat(m.h.f[31]).isEqualTo(snan);
        assertThat(m.h.f[0]).isEqualTo(snan); // f0 is an ordinary register
        assertThat(m.mem.read(DATA + 24, 8)).isEqualTo(snan);
        assertThat(m.mem.read(DATA, 8)).isEqualTo(snan);
    }

    @Test
    void misalignedAndPageCrossingFpAccesses() {
        Machine m = new Machine();
        long addr = DATA + 0x1000 - 3;
        m.code(fsd(1, RS1, 0), fld(2, RS1, 0), fsw(1, RS1, 1), flw(3, RS1, 1)).set(RS1, addr);
        m.h.f[1] = 0x0102_0304_0506_0708L;
        m.runToEcall();
        assertThat(m.h.f[2]).isEqualTo(0x0102_0304_0506_0708L);
        assertThat(m.h.f[3]).isEqualTo(BOX | 0x0506_0708L);
        assertThat(m.mem.read(addr, 8)).isEqualTo(0x0102_0305_0607_0808L);
    }

    @Test
    void integerMoves() {
        Machine m = new Machine().code(fmvWX(1, RS1), fmvXW(RD, 1), fmvDX(2, RS2), fmvXD(13, 2), fmvXW(14, 3),
                fmvXD(15, 3));
        m.set(RS1, 0x1234_5678_8000_0001L).set(RS2, 0xfff8_0000_0000_0001L);
        m.h.f[3] = 0x0000_0000_7fc0_0000L; // an improperly boxed single
        m.runToEcall();
        assertThat(m.h.f[1]).isEqualTo(BOX | 0x8000_0001L);
        assertThat(m.x(RD)).isEqualTo(0xffff_ffff_8000_0001L); // fmv.x.w sign-extends
        assertThat(m.h.f[2]).isEqualTo(0xfff8_0000_0000_0001L); // NaN payload kept
        assertThat(m.x(13)).isEqualTo(0xfff8_0000_0000_0001L);
        assertThat(m.x(14)).isEqualTo(0x7fc0_0000L); // fmv.x.w copies the low bits whatever the boxing
        assertThat(m.x(15)).isEqualTo(0x7fc0_0000L);
    }

    @Test
    void signInjectionSingle() {
        Machine m = new Machine().code(fsgnjS(10, 1, 2), fsgnjnS(11, 1, 2), fsgnjxS(12, 1, 2), fsgnjxS(13, 2, 2),
                fsgnjS(14, 1, 1), fsgnjnS(15, 1, 1), fsgnjS(16, 4, 1), fsgnjS(17, 1, 4));
        m.h.f[1] = BOX | 0x3f80_0000L; // +1.0
        m.h.f[2] = BOX | 0xc000_0000L; // -2.0
        m.h.f[4] = 0x0000_0000_bf80_0000L; // not NaN-boxed: reads as the canonical NaN 0x7fc00000
        m.runToEcall();
        assertThat(m.h.f[10]).isEqualTo(BOX | 0xbf80_0000L);
        assertThat(m.h.f[11]).isEqualTo(BOX | 0x3f80_0000L);
        assertThat(m.h.f[12]).isEqualTo(BOX | 0xbf80_0000L);
        assertThat(m.h.f[13]).isEqualTo(BOX | 0x4000_0000L); // fabs
        assertThat(m.h.f[14]).isEqualTo(BOX | 0x3f80_0000L); // fmv
        assertThat(m.h.f[15]).isEqualTo(BOX | 0xbf80_0000L); // fneg
        assertThat(m.h.f[16]).isEqualTo(BOX | 0x7fc0_0000L);
        assertThat(m.h.f[17]).isEqualTo(BOX | 0x3f80_0000L); // sign of canonical NaN is +
    }

    @Test
    void signInjectionDouble() {
        Machine m = new Machine().code(fsgnjD(10, 1, 2), fsgnjnD(11, 1, 2), fsgnjxD(12, 1, 2), fsgnjxD(13, 2, 2),
                fsgnjnD(14, 3, 3), fsgnjD(15, 3, 1));
        m.h.f[1] = 0x3ff0_0000_0000_0000L; // +1.0
        m.h.f[2] = 0xc000_0000_0000_0000L; // -2.0
        m.h.f[3] = 0x7ff0_0000_0000_0001L; // sNaN: sign injection never quiets
        m.runToEcall();
        assertThat(m.h.f[10]).isEqualTo(0xbff0_0000_0000_0000L);
        assertThat(m.h.f[11]).isEqualTo(0x3ff0_0000_0000_0000L);
        assertThat(m.h.f[12]).isEqualTo(0xbff0_0000_0000_0000L);
        assertThat(m.h.f[13]).isEqualTo(0x4000_0000_0000_0000L);
        assertThat(m.h.f[14]).isEqualTo(0xfff0_0000_0000_0001L);
        assertThat(m.h.f[15]).isEqualTo(0x7ff0_0000_0000_0001L);
        assertThat(m.h.fflags).isZero();
    }

    @Test
    void fpLoadFaultsLeaveRegisterUnchanged() {
        Machine m = new Machine().code(fld(5, RS1, 0)).set(RS1, 0x99000);
        m.h.f[5] = 42;
        m.runToException(Cause.LOAD_PAGE_FAULT);
        assertThat(m.h.f[5]).isEqualTo(42);
    }
}
