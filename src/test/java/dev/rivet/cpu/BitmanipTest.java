package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static dev.rivet.cpu.Machine.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Zba, Zbb and Zbs (b-st-ext.adoc, zba.adoc, zbb.adoc, zbs.adoc) with edge values. */
class BitmanipTest {
    static final long MIN = Long.MIN_VALUE, MAX = Long.MAX_VALUE;

    @Test
    void zba() {
        assertThat(exec(sh1add(RD, RS1, RS2), 5, 100)).isEqualTo(110);
        assertThat(exec(sh2add(RD, RS1, RS2), 5, 100)).isEqualTo(120);
        assertThat(exec(sh3add(RD, RS1, RS2), 5, 100)).isEqualTo(140);
        assertThat(exec(sh1add(RD, RS1, RS2), MIN | 1, 0)).isEqualTo(2); // top bit shifted out
        assertThat(exec(sh3add(RD, RS1, RS2), -1, 8)).isEqualTo(0);
        assertThat(exec(addUw(RD, RS1, RS2), 0xffff_ffff_ffff_ffffL, 1)).isEqualTo(0x1_0000_0000L);
        assertThat(exec(addUw(RD, RS1, RS2), 0x1234_5678_8000_0000L, 0)).isEqualTo(0x8000_0000L); // zext.w
        assertThat(exec(addUw(RD, RS1, RS2), 0x8000_0000L, -1)).isEqualTo(0x7fff_ffffL);
        assertThat(exec(sh1addUw(RD, RS1, RS2), 0xffff_ffff_ffff_ffffL, 0)).isEqualTo(0x1_ffff_fffeL);
        assertThat(exec(sh2addUw(RD, RS1, RS2), 0xaaaa_aaaa_8000_0001L, 3)).isEqualTo(0x2_0000_0007L);
        assertThat(exec(sh3addUw(RD, RS1, RS2), 0xffff_ffff_ffff_ffffL, MIN)).isEqualTo(MIN + 0x7_ffff_fff8L);
        assertThat(exec(slliUw(RD, RS1, 0), 0xffff_ffff_ffff_ffffL)).isEqualTo(0xffff_ffffL);
        assertThat(exec(slliUw(RD, RS1, 32), 0xffff_ffff_8000_0001L)).isEqualTo(0x8000_0001_0000_0000L);
        assertThat(exec(slliUw(RD, RS1, 63), 0xffff_ffff_0000_0001L)).isEqualTo(MIN);
        assertThat(exec(slliUw(RD, RS1, 40), 0xffff_ffffL)).isEqualTo(0xffff_ff00_0000_0000L);
    }

    @Test
    void zbbLogicWithNegate() {
        assertThat(exec(andn(RD, RS1, RS2), 0xff, 0x0f)).isEqualTo(0xf0);
        assertThat(exec(andn(RD, RS1, RS2), -1, 0)).isEqualTo(-1);
        assertThat(exec(orn(RD, RS1, RS2), 0, -1)).isEqualTo(0);
        assertThat(exec(orn(RD, RS1, RS2), 0xf0, 0xffff_ffff_ffff_ff0fL)).isEqualTo(0xf0);
        assertThat(exec(orn(RD, RS1, RS2), 0, 0)).isEqualTo(-1);
        assertThat(exec(xnor(RD, RS1, RS2), 0x1234, 0x1234)).isEqualTo(-1);
        assertThat(exec(xnor(RD, RS1, RS2), MIN, MAX)).isEqualTo(0);
    }

    @Test
    void zbbCounts() {
        assertThat(exec(clz(RD, RS1), 0)).isEqualTo(64);
        assertThat(exec(clz(RD, RS1), 1)).isEqualTo(63);
        assertThat(exec(clz(RD, RS1), -1)).isEqualTo(0);
        assertThat(exec(clz(RD, RS1), 0x0000_0001_0000_0000L)).isEqualTo(31);
        assertThat(exec(ctz(RD, RS1), 0)).isEqualTo(64);
        assertThat(exec(ctz(RD, RS1), MIN)).isEqualTo(63);
        assertThat(exec(ctz(RD, RS1), -1)).isEqualTo(0);
        assertThat(exec(ctz(RD, RS1), 0x0000_0001_0000_0000L)).isEqualTo(32);
        assertThat(exec(cpop(RD, RS1), 0)).isEqualTo(0);
        assertThat(exec(cpop(RD, RS1), -1)).isEqualTo(64);
        assertThat(exec(cpop(RD, RS1), 0x8000_0001_0000_0003L)).isEqualTo(4);
        assertThat(exec(clzw(RD, RS1), 0xffff_ffff_0000_0000L)).isEqualTo(32);
        assertThat(exec(clzw(RD, RS1), 0x0000_0000_8000_0000L)).isEqualTo(0);
        assertThat(exec(clzw(RD, RS1), 1)).isEqualTo(31);
        assertThat(exec(ctzw(RD, RS1), 0xffff_ffff_0000_0000L)).isEqualTo(32);
        assertThat(exec(ctzw(RD, RS1), 0x8000_0000L)).isEqualTo(31);
        assertThat(exec(ctzw(RD, RS1), -1)).isEqualTo(0);
        assertThat(exec(cpopw(RD, RS1), -1)).isEqualTo(32);
        assertThat(exec(cpopw(RD, RS1), 0xffff_ffff_0000_0000L)).isEqualTo(0);
        assertThat(exec(cpopw(RD, RS1), 0x8000_0001L)).isEqualTo(2);
    }

    @Test
    void zbbMinMax() {
        assertThat(exec(max(RD, RS1, RS2), -1, 1)).isEqualTo(1);
        assertThat(exec(max(RD, RS1, RS2), MIN, MAX)).isEqualTo(MAX);
        assertThat(exec(maxu(RD, RS1, RS2), -1, 1)).isEqualTo(-1);
        assertThat(exec(maxu(RD, RS1, RS2), MIN, MAX)).isEqualTo(MIN);
        assertThat(exec(min(RD, RS1, RS2), -1, 1)).isEqualTo(-1);
        assertThat(exec(min(RD, RS1, RS2), MIN, MAX)).isEqualTo(MIN);
        assertThat(exec(minu(RD, RS1, RS2), -1, 1)).isEqualTo(1);
        assertThat(exec(minu(RD, RS1, RS2), MIN, MAX)).isEqualTo(MAX);
        assertThat(exec(minu(RD, RS1, RS2), 0, -1)).isEqualTo(0);
        assertThat(exec(max(RD, RS1, RS2), 7, 7)).isEqualTo(7);
    }

    @Test
    void zbbExtensions() {
        assertThat(exec(sextB(RD, RS1), 0x80)).isEqualTo(-128);
        assertThat(exec(sextB(RD, RS1), 0xffff_ff7fL)).isEqualTo(127);
        assertThat(exec(sextH(RD, RS1), 0x8000)).isEqualTo(-32768);
        assertThat(exec(sextH(RD, RS1), 0x1234_7fffL)).isEqualTo(0x7fff);
        assertThat(exec(zextH(RD, RS1), -1)).isEqualTo(0xffff);
        assertThat(exec(zextH(RD, RS1), 0x1234_5678_9abc_8001L)).isEqualTo(0x8001);
    }

    @Test
    void zbbRotates() {
        assertThat(exec(rol(RD, RS1, RS2), MIN | 1, 1)).isEqualTo(3);
        assertThat(exec(rol(RD, RS1, RS2), 0x1234, 64)).isEqualTo(0x1234);
        assertThat(exec(rol(RD, RS1, RS2), 0x1234, 68)).isEqualTo(0x12340);
        assertThat(exec(ror(RD, RS1, RS2), 3, 1)).isEqualTo(MIN | 1);
        assertThat(exec(ror(RD, RS1, RS2), 0x1234, -4)).isEqualTo(0x12340); // -4 & 63 = 60
        assertThat(exec(rori(RD, RS1, 63), 1)).isEqualTo(2);
        assertThat(exec(rori(RD, RS1, 32), 0x1111_2222_3333_4444L)).isEqualTo(0x3333_4444_1111_2222L);
        assertThat(exec(rori(RD, RS1, 0), 0x1234)).isEqualTo(0x1234);
        assertThat(exec(rolw(RD, RS1, RS2), 0x8000_0001L, 1)).isEqualTo(3);
        assertThat(exec(rolw(RD, RS1, RS2), 0x4000_0000L, 33)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(rolw(RD, RS1, RS2), 0xffff_ffff_0000_0001L, 0)).isEqualTo(1);
        assertThat(exec(rorw(RD, RS1, RS2), 1, 1)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(rorw(RD, RS1, RS2), 0x1234_5678L, 36)).isEqualTo(0xffff_ffff_8123_4567L);
        assertThat(exec(roriw(RD, RS1, 31), 0xaaaa_aaaa_4000_0000L)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(roriw(RD, RS1, 16), 0x0000_ffffL)).isEqualTo(0xffff_ffff_ffff_0000L);
        assertThat(exec(roriw(RD, RS1, 0), 0x1_7fff_ffffL)).isEqualTo(0x7fff_ffffL);
    }

    @Test
    void zbbBytes() {
        assertThat(exec(orcB(RD, RS1), 0)).isEqualTo(0);
        assertThat(exec(orcB(RD, RS1), 0x0100_8000_0010_0001L)).isEqualTo(0xff00_ff00_00ff_00ffL);
        assertThat(exec(orcB(RD, RS1), MIN)).isEqualTo(0xff00_0000_0000_0000L);
        assertThat(exec(rev8(RD, RS1), 0x0102_0304_0506_0708L)).isEqualTo(0x0807_0605_0403_0201L);
        assertThat(exec(rev8(RD, RS1), 0xffL)).isEqualTo(0xff00_0000_0000_0000L);
    }

    @Test
    void zbs() {
        assertThat(exec(bclr(RD, RS1, RS2), -1, 63)).isEqualTo(MAX);
        assertThat(exec(bclr(RD, RS1, RS2), -1, 64)).isEqualTo(-2); // index mod 64
        assertThat(exec(bclr(RD, RS1, RS2), 0, 5)).isEqualTo(0);
        assertThat(exec(bset(RD, RS1, RS2), 0, 63)).isEqualTo(MIN);
        assertThat(exec(bset(RD, RS1, RS2), 0, 0x7fff_ffc1L)).isEqualTo(2);
        assertThat(exec(binv(RD, RS1, RS2), 0, 32)).isEqualTo(0x1_0000_0000L);
        assertThat(exec(binv(RD, RS1, RS2), -1, 127)).isEqualTo(MAX);
        assertThat(exec(bext(RD, RS1, RS2), MIN, 63)).isEqualTo(1);
        assertThat(exec(bext(RD, RS1, RS2), MIN, 62)).isEqualTo(0);
        assertThat(exec(bext(RD, RS1, RS2), 1, -64)).isEqualTo(1);
        assertThat(exec(bclri(RD, RS1, 63), -1)).isEqualTo(MAX);
        assertThat(exec(bclri(RD, RS1, 0), -1)).isEqualTo(-2);
        assertThat(exec(bseti(RD, RS1, 63), 0)).isEqualTo(MIN);
        assertThat(exec(bseti(RD, RS1, 31), 0)).isEqualTo(0x8000_0000L);
        assertThat(exec(binvi(RD, RS1, 32), -1)).isEqualTo(0xffff_fffe_ffff_ffffL);
        assertThat(exec(binvi(RD, RS1, 0), 0)).isEqualTo(1);
        assertThat(exec(bexti(RD, RS1, 63), MIN)).isEqualTo(1);
        assertThat(exec(bexti(RD, RS1, 31), 0x8000_0000L)).isEqualTo(1);
        assertThat(exec(bexti(RD, RS1, 32), 0x8000_0000L)).isEqualTo(0);
    }
}
