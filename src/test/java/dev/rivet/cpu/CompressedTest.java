package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static dev.rivet.cpu.Machine.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * C extension (c-st-ext.adoc). Every 16-bit encoding of RV64C is generated from the encoders in
 * {@link Asm} together with its 32-bit expansion; the decoder must give both the same operation and
 * fields (differing only in the length bit), and every encoding no form produces must be ILLEGAL.
 */
class CompressedTest {
    /** The length field of a decoded instruction (see {@link Insn}): halfwords, at bit 28. */
    static final long LENGTH_FIELD = 3L << 28;

    /** {@code d} with the length of a compressed instruction. */
    static long compressedForm(long d) {
        return d & ~LENGTH_FIELD | 1L << 28;
    }

    /** {@code d} with the length of a 4-byte instruction. */
    static long fullForm(long d) {
        return d & ~LENGTH_FIELD | 2L << 28;
    }

    /** All RV64C encodings (RV64GC: C.FLD/C.FSD/C.FLDSP/C.FSDSP included), mapped to their expansions. */
    static Map<Integer, Integer> allForms() {
        Map<Integer, Integer> m = new HashMap<>();
        java.util.function.BiConsumer<Integer, Integer> put = (c, e) -> {
            Integer old = m.put(c & 0xffff, e);
            if (old != null) throw new AssertionError("two forms encode to 0x%04x".formatted(c));
        };
        int[] primes = {8, 9, 10, 11, 12, 13, 14, 15};
        // Quadrant 0
        for (int rd : primes) {
            for (int u = 4; u < 1024; u += 4) put.accept(cAddi4spn(rd, u), addi(rd, 2, u));
            for (int rs1 : primes) {
                for (int u = 0; u < 256; u += 8) {
                    put.accept(cFld(rd, rs1, u), fld(rd, rs1, u));
                    put.accept(cLd(rd, rs1, u), ld(rd, rs1, u));
                    put.accept(cFsd(rd, rs1, u), fsd(rd, rs1, u));
                    put.accept(cSd(rd, rs1, u), sd(rd, rs1, u));
                }
                for (int u = 0; u < 128; u += 4) {
                    put.accept(cLw(rd, rs1, u), lw(rd, rs1, u));
                    put.accept(cSw(rd, rs1, u), sw(rd, rs1, u));
                }
            }
        }
        // Quadrant 1
        for (int rd = 0; rd < 32; rd++) {
            for (int imm = -32; imm < 32; imm++) {
                put.accept(cAddi(rd, imm), addi(rd, rd, imm)); // rd = 0: c.nop and HINTs
                put.accept(cLi(rd, imm), addi(rd, 0, imm)); // rd = 0: HINTs
                if (rd != 0) put.accept(cAddiw(rd, imm), addiw(rd, rd, imm));
                if (rd != 2 && imm != 0) put.accept(cLui(rd, imm), lui(rd, imm & 0xfffff));
            }
        }
        for (int imm = -512; imm < 512; imm += 16) if (imm != 0) put.accept(cAddi16sp(imm), addi(2, 2, imm));
        for (int rd : primes) {
            for (int sh = 0; sh < 64; sh++) {
                put.accept(cSrli(rd, sh), srli(rd, rd, sh));
                put.accept(cSrai(rd, sh), srai(rd, rd, sh));
            }
            for (int imm = -32; imm < 32; imm++) put.accept(cAndi(rd, imm), andi(rd, rd, imm));
            for (int rs2 : primes) {
                put.accept(cSub(rd, rs2), sub(rd, rd, rs2));
                put.accept(cXor(rd, rs2), xor(rd, rd, rs2));
                put.accept(cOr(rd, rs2), or(rd, rd, rs2));
                put.accept(cAnd(rd, rs2), and(rd, rd, rs2));
                put.accept(cSubw(rd, rs2), subw(rd, rd, rs2));
                put.accept(cAddw(rd, rs2), addw(rd, rd, rs2));
            }
            for (int off = -256; off < 256; off += 2) {
                put.accept(cBeqz(rd, off), beq(rd, 0, off));
                put.accept(cBnez(rd, off), bne(rd, 0, off));
            }
        }
        for (int off = -2048; off < 2048; off += 2) put.accept(cJ(off), jal(0, off));
        // Quadrant 2
        for (int rd = 0; rd < 32; rd++) {
            for (int sh = 0; sh < 64; sh++) put.accept(cSlli(rd, sh), slli(rd, rd, sh)); // rd = 0: HINTs
            for (int u = 0; u < 512; u += 8) {
                put.accept(cFldsp(rd, u), fld(rd, 2, u));
                put.accept(cFsdsp(rd, u), fsd(rd, 2, u));
                put.accept(cSdsp(rd, u), sd(rd, 2, u));
                if (rd != 0) put.accept(cLdsp(rd, u), ld(rd, 2, u));
            }
            for (int u = 0; u < 256; u += 4) {
                put.accept(cSwsp(rd, u), sw(rd, 2, u));
                if (rd != 0) put.accept(cLwsp(rd, u), lw(rd, 2, u));
            }
            if (rd != 0) {
                put.accept(cJr(rd), jalr(0, rd, 0));
                put.accept(cJalr(rd), jalr(1, rd, 0));
            }
            for (int rs2 = 1; rs2 < 32; rs2++) {
                put.accept(cMv(rd, rs2), add(rd, 0, rs2));
                put.accept(cAdd(rd, rs2), add(rd, rd, rs2));
            }
        }
        put.accept(cEbreak(), ebreak());
        return m;
    }

    @Test
    void everyCompressedEncodingDecodesLikeItsExpansionOrIsIllegal() {
        Map<Integer, Integer> forms = allForms();
        int reserved = 0;
        for (int c = 0; c < 0x10000; c++) {
            if ((c & 3) == 3) continue;
            long got = Decoder.decode(c);
            assertThat(Insn.length(got)).as("length of 0x%04x", c).isEqualTo(2);
            Integer expansion = forms.get(c);
            if (expansion == null) {
                reserved++;
                assertThat(Op.name(Insn.op(got))).as("reserved 0x%04x", c).isEqualTo(Op.name(Op.ILLEGAL));
                assertThat(Insn.imm(got)).as("raw bits of 0x%04x", c).isEqualTo(c);
            } else {
                long want = Decoder.decode(expansion);
                assertThat(Insn.op(want)).as("expansion 0x%08x of 0x%04x", expansion, c).isNotEqualTo(Op.ILLEGAL);
                assertThat(Long.toHexString(got)).as("0x%04x (%s) vs 0x%08x (%s)", c, Op.name(Insn.op(got)), expansion,
                        Op.name(Insn.op(want))).isEqualTo(Long.toHexString(compressedForm(want)));
            }
        }
        // Reserved in RV64C: c.addi4spn nzuimm=0 (8), quadrant 0 funct3 100 (2048), c.addiw rd=0 (64),
        // c.addi16sp nzimm=0 (1), c.lui nzimm=0 (31), c.subw/c.addw's reserved neighbours (128),
        // c.lwsp rd=0 (64), c.ldsp rd=0 (64), c.jr rs1=0 (1).
        assertThat(reserved).isEqualTo(8 + 2048 + 64 + 1 + 31 + 128 + 64 + 64 + 1);
    }

    @Test
    void knownEncodings() {
        // Encodings as produced by GNU as for RV64GC.
        assertThat(cNop()).isEqualTo(0x0001);
        assertThat(cEbreak()).isEqualTo(0x9002);
        assertThat(cJr(1)).isEqualTo(0x8082); // ret
        assertThat(cMv(10, 11)).isEqualTo(0x852e);
        assertThat(cLi(10, 0)).isEqualTo(0x4501);
        assertThat(cAddi(2, -16)).isEqualTo(0x1141);
        assertThat(cAddi16sp(-48)).isEqualTo(0x7179);
        assertThat(cSdsp(1, 8)).isEqualTo(0xe406);
        assertThat(cLdsp(1, 8)).isEqualTo(0x60a2);
        assertThat(cAddi4spn(8, 48)).isEqualTo(0x1800);
        assertThat(Decoder.decode(0x0000)).isEqualTo(Insn.pack(Op.ILLEGAL, 0, 0, 0, 0, 0, true));
    }

    @Test
    void explicitFormsDecodeToTheirExpansions() {
        int[][] pairs = {
            {cAddi4spn(9, 1020), addi(9, 2, 1020)},
            {cFld(10, 11, 248), fld(10, 11, 248)},
            {cLw(12, 13, 124), lw(12, 13, 124)},
            {cLd(14, 15, 8), ld(14, 15, 8)},
            {cFsd(8, 9, 16), fsd(8, 9, 16)},
            {cSw(10, 8, 64), sw(10, 8, 64)},
            {cSd(11, 12, 128), sd(11, 12, 128)},
            {cNop(), addi(0, 0, 0)},
            {cAddi(5, -32), addi(5, 5, -32)},
            {cAddiw(6, 31), addiw(6, 6, 31)},
            {cLi(7, -1), addi(7, 0, -1)},
            {cAddi16sp(496), addi(2, 2, 496)},
            {cAddi16sp(-512), addi(2, 2, -512)},
            {cLui(3, -32), lui(3, 0xfffe0)},
            {cLui(31, 1), lui(31, 1)},
            {cSrli(8, 63), srli(8, 8, 63)},
            {cSrai(9, 32), srai(9, 9, 32)},
            {cAndi(10, -1), andi(10, 10, -1)},
            {cSub(11, 12), sub(11, 11, 12)},
            {cXor(13, 14), xor(13, 13, 14)},
            {cOr(15, 8), or(15, 15, 8)},
            {cAnd(8, 15), and(8, 8, 15)},
            {cSubw(9, 10), subw(9, 9, 10)},
            {cAddw(10, 9), addw(10, 10, 9)},
            {cJ(-2048), jal(0, -2048)},
            {cJ(2046), jal(0, 2046)},
            {cBeqz(8, -256), beq(8, 0, -256)},
            {cBnez(15, 254), bne(15, 0, 254)},
            {cSlli(31, 63), slli(31, 31, 63)},
            {cFldsp(0, 504), fld(0, 2, 504)},
            {cLwsp(1, 252), lw(1, 2, 252)},
            {cLdsp(31, 0), ld(31, 2, 0)},
            {cJr(5), jalr(0, 5, 0)},
            {cMv(1, 31), add(1, 0, 31)},
            {cEbreak(), ebreak()},
            {cJalr(7), jalr(1, 7, 0)},
            {cAdd(2, 3), add(2, 2, 3)},
            {cFsdsp(31, 8), fsd(31, 2, 8)},
            {cSwsp(0, 4), sw(0, 2, 4)},
            {cSdsp(17, 504), sd(17, 2, 504)},
        };
        for (int[] p : pairs) {
            long c = Decoder.decode(p[0]);
            long e = Decoder.decode(p[1]);
            assertThat(Insn.length(c)).isEqualTo(2);
            assertThat(Insn.length(e)).isEqualTo(4);
            assertThat(Op.name(Insn.op(c))).as("0x%04x", p[0]).isEqualTo(Op.name(Insn.op(e)));
            assertThat(fullForm(c)).as("0x%04x", p[0]).isEqualTo(e);
        }
    }

    @Test
    void reservedFormsAreIllegal() {
        int[] reserved = {
            0x0000, // c.addi4spn with nzuimm 0 (the defined illegal instruction)
            cAddi4spn(9, 4) & ~(0xff << 5), // same, rd' = x9
            0x8000, // quadrant 0 funct3 100
            cAddiw(1, 5) & ~(31 << 7), // c.addiw rd = 0
            0x6101, // c.addi16sp with nzimm 0
            cLui(5, 1) & ~(1 << 2), // c.lui with nzimm 0
            cSubw(8, 8) | 2 << 5, // reserved CA encodings
            cSubw(8, 8) | 3 << 5,
            cLwsp(1, 0) & ~(31 << 7), // c.lwsp rd = 0
            cLdsp(1, 0) & ~(31 << 7), // c.ldsp rd = 0
            0x8002, // c.jr x0
        };
        for (int c : reserved) {
            Machine m = new Machine().code(c);
            m.runToException(Cause.ILLEGAL_INSTRUCTION);
            assertThat(m.h.pc).isEqualTo(CODE);
            assertThat(m.h.trapValue).as("0x%04x", c).isEqualTo(c);
        }
    }

    // ------------------------------------------------------------------ execution

    @Test
    void arithmeticAndMoves() {
        Machine m = new Machine().code(
                cLi(10, -5), // a0 = -5
                cAddi(10, 7), // a0 = 2
                cMv(11, 10), // a1 = 2
                cAdd(11, 10), // a1 = 4
                cSlli(11, 62), // a1 = 0 (4 << 62 overflows)
                cLi(12, 1), cSlli(12, 63), // a2 = MIN
                cMv(13, 12), cSrai(13, 3), // a3 = 0xf000...
                cMv(14, 12), cSrli(14, 60), // a4 = 8
                cLi(15, -1), cAndi(15, 0x15), // a5 = 0x15
                cLi(8, 9), cSub(8, 15), // s0 = 9 - 21 = -12
                cLi(9, 6), cXor(9, 15), // s1 = 6 ^ 0x15 = 0x13
                cLi(5, 0), cLui(5, -1), // t0 = 0xffff_ffff_ffff_f000
                cLi(6, 1), cLui(6, 31), // t1 = 0x1f000
                cLui(7, 16), cAddiw(7, 0), // t2 = 0x10000 (c.addiw rd, 0 is sext.w)
                cLui(28, 0x10), cSlli(28, 15), cAddiw(28, 0)); // t3 = 0x10000 << 15 = 2^31 -> sext
        m.runToEcall();
        assertThat(m.x(10)).isEqualTo(2);
        assertThat(m.x(11)).isEqualTo(0);
        assertThat(m.x(12)).isEqualTo(Long.MIN_VALUE);
        assertThat(m.x(13)).isEqualTo(0xf000_0000_0000_0000L);
        assertThat(m.x(14)).isEqualTo(8);
        assertThat(m.x(15)).isEqualTo(0x15);
        assertThat(m.x(8)).isEqualTo(-12);
        assertThat(m.x(9)).isEqualTo(0x13);
        assertThat(m.x(5)).isEqualTo(0xffff_ffff_ffff_f000L);
        assertThat(m.x(6)).isEqualTo(0x1f000);
        assertThat(m.x(7)).isEqualTo(0x10000);
        assertThat(m.x(28)).isEqualTo(0xffff_ffff_8000_0000L);
    }

    @Test
    void wordOpsAndOr() {
        Machine m = new Machine().code(cSubw(8, 9), cAddw(10, 11), cOr(12, 13), cAnd(14, 15));
        m.set(8, 0x1_0000_0000L).set(9, 1).set(10, 0x7fff_ffff).set(11, 1).set(12, 0xf0).set(13, 0x0f)
                .set(14, 0xff).set(15, 0x3c).runToEcall();
        assertThat(m.x(8)).isEqualTo(-1);
        assertThat(m.x(10)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(m.x(12)).isEqualTo(0xff);
        assertThat(m.x(14)).isEqualTo(0x3c);
        assertThat(m.h.pc).isEqualTo(CODE + 8);
    }

    @Test
    void stackPointerForms() {
        Machine m = new Machine().code(
                cAddi16sp(-64), // sp = DATA + 0x800 - 64
                cAddi4spn(8, 16), // s0 = sp + 16
                cSdsp(10, 8), cSwsp(11, 4), cLdsp(12, 8), cLwsp(13, 4),
                cSd(10, 8, 8), cLd(14, 8, 8), cSw(11, 8, 0), cLw(15, 8, 0),
                cFsdsp(9, 40), cFldsp(2, 40), cFsd(9, 8, 16), cFld(10, 8, 16));
        m.set(2, DATA + 0x800).set(10, 0x1122_3344_5566_7788L).set(11, 0x8000_0001L);
        m.h.f[9] = 0x4009_21fb_5444_2d18L;
        m.runToEcall();
        long sp = DATA + 0x800 - 64;
        assertThat(m.x(2)).isEqualTo(sp);
        assertThat(m.x(8)).isEqualTo(sp + 16);
        assertThat(m.mem.read(sp + 8, 8)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(m.mem.read(sp + 4, 4)).isEqualTo(0x8000_0001L);
        assertThat(m.x(12)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(m.x(13)).isEqualTo(0xffff_ffff_8000_0001L);
        assertThat(m.mem.read(sp + 24, 8)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(m.x(14)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(m.x(15)).isEqualTo(0xffff_ffff_8000_0001L);
        assertThat(m.h.f[2]).isEqualTo(0x4009_21fb_5444_2d18L);
        assertThat(m.h.f[10]).isEqualTo(0x4009_21fb_5444_2d18L);
        assertThat(m.mem.read(sp + 32, 8)).isEqualTo(0x4009_21fb_5444_2d18L);
        assertThat(m.mem.read(sp + 40, 8)).isEqualTo(0x4009_21fb_5444_2d18L);
    }

    @Test
    void controlTransfersUseTwoByteLength() {
        Machine m = new Machine();
        long pc = CODE;
        // 0: c.jal-less call through c.jalr: link must be pc + 2.
        pc = m.place(pc, cJalr(5)); // CODE + 0 -> jumps to t0, ra = CODE + 2
        pc = m.place(pc, cJ(8)); // CODE + 2 -> CODE + 10
        pc = m.place(pc, cLi(10, 1)); // CODE + 4 (skipped)
        pc = m.place(pc, cLi(10, 2)); // CODE + 6 (skipped)
        pc = m.place(pc, cLi(10, 3)); // CODE + 8 (skipped)
        pc = m.place(pc, cBeqz(11, 8)); // CODE + 10: a1 == 0 -> CODE + 18
        pc = m.place(pc, cLi(10, 4)); // CODE + 12 (skipped)
        pc = m.place(pc, ecall()); // CODE + 14 (4 bytes)
        pc = m.place(pc, cBnez(11, -2)); // CODE + 18: a1 == 0, falls through
        pc = m.place(pc, cJ(-6)); // CODE + 20 -> CODE + 14 (ecall)
        m.place(CODE + 0x100, cAddi(12, 1), cJr(1)); // subroutine: a2++, return to ra
        m.set(5, CODE + 0x100).set(11, 0).runToEcall();
        assertThat(m.h.pc).isEqualTo(CODE + 14);
        assertThat(m.x(1)).isEqualTo(CODE + 2);
        assertThat(m.x(10)).isZero();
        assertThat(m.x(12)).isEqualTo(1);
        assertThat(m.h.instret).isEqualTo(7); // jalr, addi, jr, j, beqz, bnez, j
    }

    @Test
    void mixedLengthsAdvancePcExactly() {
        Machine m = new Machine().code(cLi(10, 1), addi(10, 10, 1), cAddi(10, 1), addi(10, 10, 1), cNop());
        assertThat(m.run(3)).isEqualTo(Stop.BUDGET);
        assertThat(m.h.pc).isEqualTo(CODE + 8);
        assertThat(m.x(10)).isEqualTo(3);
        m.runToEcall();
        assertThat(m.h.pc).isEqualTo(CODE + 14);
        assertThat(m.h.instret).isEqualTo(5);
    }

    @Test
    void compressedEbreakRaisesBreakpoint() {
        Machine m = new Machine().code(cNop(), cEbreak()).runToException(Cause.BREAKPOINT);
        assertThat(m.h.pc).isEqualTo(CODE + 2);
    }
}
