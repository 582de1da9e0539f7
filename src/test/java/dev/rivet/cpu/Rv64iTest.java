package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static dev.rivet.cpu.Machine.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RV64I base instructions executed through Decoder + Interpreter (unprivileged spec, rv32.adoc and rv64.adoc). */
class Rv64iTest {
    static final long MIN = Long.MIN_VALUE, MAX = Long.MAX_VALUE;

    @Test
    void luiSignExtendsTo64Bits() {
        assertThat(exec(lui(RD, 0x80000), 0)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(lui(RD, 0x7ffff), 0)).isEqualTo(0x7fff_f000L);
        assertThat(exec(lui(RD, 0x12345), 0)).isEqualTo(0x1234_5000L);
    }

    @Test
    void auipcAddsToPc() {
        Machine m = new Machine().code(nop(), auipc(RD, 0x1), auipc(RS1, 0xfffff)).runToEcall();
        assertThat(m.x(RD)).isEqualTo(CODE + 4 + 0x1000);
        assertThat(m.x(RS1)).isEqualTo(CODE + 8 - 0x1000);
    }

    @Test
    void immediateAlu() {
        assertThat(exec(addi(RD, RS1, -1), 0)).isEqualTo(-1);
        assertThat(exec(addi(RD, RS1, 2047), MAX)).isEqualTo(MIN + 2046);
        assertThat(exec(addi(RD, RS1, -2048), 0)).isEqualTo(-2048);
        assertThat(exec(slti(RD, RS1, -1), -2)).isEqualTo(1);
        assertThat(exec(slti(RD, RS1, -1), -1)).isEqualTo(0);
        assertThat(exec(slti(RD, RS1, 0), MIN)).isEqualTo(1);
        assertThat(exec(slti(RD, RS1, 0), MAX)).isEqualTo(0);
        // sltiu sign-extends the immediate, then compares unsigned: x < 0xfff..f for all but -1.
        assertThat(exec(sltiu(RD, RS1, -1), MAX)).isEqualTo(1);
        assertThat(exec(sltiu(RD, RS1, -1), -1)).isEqualTo(0);
        assertThat(exec(sltiu(RD, RS1, 1), 0)).isEqualTo(1); // seqz
        assertThat(exec(sltiu(RD, RS1, 1), MIN)).isEqualTo(0);
        assertThat(exec(xori(RD, RS1, -1), 0x1234)).isEqualTo(~0x1234L);
        assertThat(exec(xori(RD, RS1, 0x7ff), 0xf0f)).isEqualTo(0xf0fL ^ 0x7ff);
        assertThat(exec(ori(RD, RS1, -2048), 1)).isEqualTo(0xffff_ffff_ffff_f801L);
        assertThat(exec(andi(RD, RS1, -16), -1)).isEqualTo(-16);
        assertThat(exec(andi(RD, RS1, 0x7ff), -1)).isEqualTo(0x7ff);
    }

    @Test
    void shiftImmediatesUseSixBitShamt() {
        assertThat(exec(slli(RD, RS1, 63), 1)).isEqualTo(MIN);
        assertThat(exec(slli(RD, RS1, 32), 0xffff_ffffL)).isEqualTo(0xffff_ffff_0000_0000L);
        assertThat(exec(slli(RD, RS1, 0), 0x1234)).isEqualTo(0x1234);
        assertThat(exec(srli(RD, RS1, 63), MIN)).isEqualTo(1);
        assertThat(exec(srli(RD, RS1, 32), -1)).isEqualTo(0xffff_ffffL);
        assertThat(exec(srai(RD, RS1, 63), MIN)).isEqualTo(-1);
        assertThat(exec(srai(RD, RS1, 32), 0x8000_0000_0000_0000L)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(srai(RD, RS1, 4), 0x7000_0000_0000_0000L)).isEqualTo(0x0700_0000_0000_0000L);
    }

    @Test
    void registerAlu() {
        assertThat(exec(add(RD, RS1, RS2), MAX, 1)).isEqualTo(MIN);
        assertThat(exec(sub(RD, RS1, RS2), MIN, 1)).isEqualTo(MAX);
        assertThat(exec(sub(RD, RS1, RS2), 0, 1)).isEqualTo(-1);
        assertThat(exec(slt(RD, RS1, RS2), -1, 1)).isEqualTo(1);
        assertThat(exec(slt(RD, RS1, RS2), 1, -1)).isEqualTo(0);
        assertThat(exec(slt(RD, RS1, RS2), MIN, MAX)).isEqualTo(1);
        assertThat(exec(sltu(RD, RS1, RS2), -1, 1)).isEqualTo(0);
        assertThat(exec(sltu(RD, RS1, RS2), 1, -1)).isEqualTo(1);
        assertThat(exec(sltu(RD, RS1, RS2), 5, 5)).isEqualTo(0);
        assertThat(exec(xor(RD, RS1, RS2), 0xff00, 0x0ff0)).isEqualTo(0xf0f0);
        assertThat(exec(or(RD, RS1, RS2), 0xff00, 0x0ff0)).isEqualTo(0xfff0);
        assertThat(exec(and(RD, RS1, RS2), 0xff00, 0x0ff0)).isEqualTo(0x0f00);
    }

    @Test
    void registerShiftsUseLowSixBitsOfRs2() {
        assertThat(exec(sll(RD, RS1, RS2), 1, 64)).isEqualTo(1);
        assertThat(exec(sll(RD, RS1, RS2), 1, 65)).isEqualTo(2);
        assertThat(exec(sll(RD, RS1, RS2), 1, -1)).isEqualTo(MIN);
        assertThat(exec(sll(RD, RS1, RS2), 3, 0x1_0000_0021L)).isEqualTo(3L << 33);
        assertThat(exec(srl(RD, RS1, RS2), MIN, 127)).isEqualTo(1);
        assertThat(exec(srl(RD, RS1, RS2), -1, 0xffff_ffc0L)).isEqualTo(-1);
        assertThat(exec(sra(RD, RS1, RS2), MIN, 63 + 64 * 5)).isEqualTo(-1);
        assertThat(exec(sra(RD, RS1, RS2), MIN, 1)).isEqualTo(0xc000_0000_0000_0000L);
    }

    @Test
    void wordForms() {
        assertThat(exec(addiw(RD, RS1, 1), 0x7fff_ffffL)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(addiw(RD, RS1, 0), 0x1234_5678_8000_0000L)).isEqualTo(0xffff_ffff_8000_0000L); // sext.w
        assertThat(exec(addiw(RD, RS1, -1), 0x1_0000_0000L)).isEqualTo(-1);
        assertThat(exec(slliw(RD, RS1, 31), 1)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(slliw(RD, RS1, 4), 0xffff_ffff_1234_5678L)).isEqualTo(0x2345_6780L);
        assertThat(exec(srliw(RD, RS1, 1), 0xffff_ffff_8000_0000L)).isEqualTo(0x4000_0000L);
        assertThat(exec(srliw(RD, RS1, 0), 0x0000_0000_8000_0000L)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(srliw(RD, RS1, 31), 0xffff_ffffL)).isEqualTo(1);
        assertThat(exec(sraiw(RD, RS1, 31), 0x8000_0000L)).isEqualTo(-1);
        assertThat(exec(sraiw(RD, RS1, 4), 0x7fff_ffff_7000_0000L)).isEqualTo(0x0700_0000L);
        assertThat(exec(addw(RD, RS1, RS2), 0x7fff_ffffL, 1)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(addw(RD, RS1, RS2), 0xaaaa_aaaa_0000_0001L, 0x5555_5555_0000_0002L)).isEqualTo(3);
        assertThat(exec(subw(RD, RS1, RS2), 0x8000_0000L, 1)).isEqualTo(0x7fff_ffffL);
        assertThat(exec(subw(RD, RS1, RS2), 0, 1)).isEqualTo(-1);
        assertThat(exec(sllw(RD, RS1, RS2), 1, 33)).isEqualTo(2); // only rs2[4:0]
        assertThat(exec(sllw(RD, RS1, RS2), 1, 31)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(sllw(RD, RS1, RS2), 0x1_8000_0001L, 32)).isEqualTo(0xffff_ffff_8000_0001L);
        assertThat(exec(srlw(RD, RS1, RS2), 0xffff_ffff_8000_0000L, 63)).isEqualTo(1);
        assertThat(exec(srlw(RD, RS1, RS2), 0x8000_0000L, 32)).isEqualTo(0xffff_ffff_8000_0000L);
        assertThat(exec(sraw(RD, RS1, RS2), 0x8000_0000L, 35)).isEqualTo(0xffff_ffff_f000_0000L);
        assertThat(exec(sraw(RD, RS1, RS2), 0xffff_ffff_4000_0000L, 30)).isEqualTo(1);
    }

    @Test
    void writesToX0AreDiscarded() {
        Machine m = new Machine().code(addi(0, 0, 5), lui(0, 0x12345), add(RD, 0, 0)).set(RD, 99).runToEcall();
        assertThat(m.x(0)).isZero();
        assertThat(m.x(RD)).isZero();
    }

    /** Runs "branch +8; addi a0, a0, 1" and tells whether the branch was taken. */
    private static boolean taken(int branch, long a, long b) {
        Machine m = new Machine().code(branch, addi(RD, RD, 1)).set(RS1, a).set(RS2, b).set(RD, 0).runToEcall();
        assertThat(m.h.pc).isEqualTo(CODE + 8);
        return m.x(RD) == 0;
    }

    @Test
    void branches() {
        assertThat(taken(beq(RS1, RS2, 8), 5, 5)).isTrue();
        assertThat(taken(beq(RS1, RS2, 8), 5, 6)).isFalse();
        assertThat(taken(bne(RS1, RS2, 8), 5, 6)).isTrue();
        assertThat(taken(bne(RS1, RS2, 8), -1, -1)).isFalse();
        assertThat(taken(blt(RS1, RS2, 8), -1, 1)).isTrue();
        assertThat(taken(blt(RS1, RS2, 8), 1, -1)).isFalse();
        assertThat(taken(blt(RS1, RS2, 8), 3, 3)).isFalse();
        assertThat(taken(blt(RS1, RS2, 8), MIN, MAX)).isTrue();
        assertThat(taken(bge(RS1, RS2, 8), 3, 3)).isTrue();
        assertThat(taken(bge(RS1, RS2, 8), 1, -1)).isTrue();
        assertThat(taken(bge(RS1, RS2, 8), -1, 1)).isFalse();
        assertThat(taken(bltu(RS1, RS2, 8), 1, -1)).isTrue();
        assertThat(taken(bltu(RS1, RS2, 8), -1, 1)).isFalse();
        assertThat(taken(bltu(RS1, RS2, 8), 7, 7)).isFalse();
        assertThat(taken(bgeu(RS1, RS2, 8), -1, 1)).isTrue();
        assertThat(taken(bgeu(RS1, RS2, 8), 7, 7)).isTrue();
        assertThat(taken(bgeu(RS1, RS2, 8), 0, MIN)).isFalse();
    }

    @Test
    void backwardBranchLoop() {
        // a0 = 0; a1 = 10; loop: a0 += 3; a1 -= 1; bnez a1, loop
        Machine m = new Machine().code(addi(RD, 0, 0), addi(RS1, 0, 10), addi(RD, RD, 3), addi(RS1, RS1, -1),
                bne(RS1, 0, -8)).runToEcall();
        assertThat(m.x(RD)).isEqualTo(30);
        assertThat(m.h.instret).isEqualTo(2 + 3 * 10);
    }

    @Test
    void jalLinksAndJumps() {
        // 0: jal ra, +12; 4: addi a0,a0,1; 8: ecall; 12: addi a1,a1,1; 16: jal x0, -8 (to 8)
        Machine m = new Machine();
        m.place(CODE, jal(1, 12), addi(RD, RD, 1), ecall(), addi(RS1, RS1, 1), jal(0, -8));
        m.runToEcall();
        assertThat(m.x(1)).isEqualTo(CODE + 4);
        assertThat(m.x(RD)).isZero();
        assertThat(m.x(RS1)).isEqualTo(1);
        assertThat(m.h.pc).isEqualTo(CODE + 8);
    }

    @Test
    void jalrClearsBitZeroAndLinks() {
        // jalr ra, 7(a1) with a1 = CODE + 6 -> target (CODE + 13) & ~1 = CODE + 12
        Machine m = new Machine();
        m.place(CODE, jalr(1, RS1, 7), addi(RD, RD, 1), addi(RD, RD, 2), ecall());
        m.set(RS1, CODE + 6).runToEcall();
        assertThat(m.x(1)).isEqualTo(CODE + 4);
        assertThat(m.x(RD)).isZero();
        assertThat(m.h.pc).isEqualTo(CODE + 12);
    }

    @Test
    void jalrWithRdEqualRs1UsesOldValue() {
        Machine m = new Machine();
        m.place(CODE, jalr(RS1, RS1, -4), addi(RD, RD, 1), ecall(), ecall());
        m.set(RS1, CODE + 16).runToEcall(); // target CODE + 12
        assertThat(m.h.pc).isEqualTo(CODE + 12);
        assertThat(m.x(RS1)).isEqualTo(CODE + 4);
        assertThat(m.x(RD)).isZero();
    }

    @Test
    void jalrNegativeOffsetAndOddBase() {
        Machine m = new Machine();
        m.place(CODE, jalr(0, RS1, -1), ecall(), ecall());
        m.set(RS1, CODE + 9).runToEcall(); // (CODE + 8) & ~1
        assertThat(m.h.pc).isEqualTo(CODE + 8);
    }

    @Test
    void loadsSignAndZeroExtend() {
        Machine m = new Machine();
        m.mem.write(DATA, 8, 0x8182_8384_8586_8788L);
        m.mem.write(DATA + 8, 8, 0x7172_7374_7576_7778L);
        m.code(lb(1, RS1, 0), lbu(2, RS1, 0), lh(3, RS1, 0), lhu(4, RS1, 0), lw(5, RS1, 0), lwu(6, RS1, 0),
                ld(7, RS1, 0), lb(8, RS1, 8), lw(9, RS1, 12), ld(13, RS2, -8), lh(14, RS1, 7), lbu(15, RS1, 15))
                .set(RS1, DATA).set(RS2, DATA + 16).runToEcall();
        assertThat(m.x(1)).isEqualTo(0xffff_ffff_ffff_ff88L);
        assertThat(m.x(2)).isEqualTo(0x88);
        assertThat(m.x(3)).isEqualTo(0xffff_ffff_ffff_8788L);
        assertThat(m.x(4)).isEqualTo(0x8788);
        assertThat(m.x(5)).isEqualTo(0xffff_ffff_8586_8788L);
        assertThat(m.x(6)).isEqualTo(0x8586_8788L);
        assertThat(m.x(7)).isEqualTo(0x8182_8384_8586_8788L);
        assertThat(m.x(8)).isEqualTo(0x78);
        assertThat(m.x(9)).isEqualTo(0x7172_7374L);
        assertThat(m.x(13)).isEqualTo(0x7172_7374_7576_7778L);
        assertThat(m.x(14)).isEqualTo(0x7881L); // misaligned halfword: bytes 0x81, 0x78
        assertThat(m.x(15)).isEqualTo(0x71);
    }

    @Test
    void storesWriteOnlyTheirBytes() {
        Machine m = new Machine();
        for (int i = 0; i < 32; i += 8) m.mem.write(DATA + i, 8, 0xeeee_eeee_eeee_eeeeL);
        m.code(sb(RS2, RS1, 0), sh(RS2, RS1, 8), sw(RS2, RS1, 16), sd(RS2, RS1, 24), sb(RS2, RS1, -1))
                .set(RS1, DATA + 1).set(RS2, 0x0102_0304_0506_0708L).runToEcall();
        assertThat(m.mem.read(DATA, 8)).isEqualTo(0xeeee_eeee_eeee_0808L);
        assertThat(m.mem.read(DATA + 8, 8)).isEqualTo(0xeeee_eeee_ee07_08eeL);
        assertThat(m.mem.read(DATA + 16, 8)).isEqualTo(0xeeee_ee05_0607_08eeL);
        assertThat(m.mem.read(DATA + 24, 8)).isEqualTo(0x0203_0405_0607_08eeL);
        assertThat(m.mem.read(DATA + 32, 8)).isEqualTo(0x0000_0000_0000_0001L);
    }

    @Test
    void loadStoreRoundTripThroughTlbPaths() {
        // sd then ld at many offsets on two pages: exercises both the slow path and TLB hits.
        Machine m = new Machine();
        m.code(sd(RS2, RS1, 0), ld(RD, RS1, 0), addi(RS1, RS1, 8), addi(RS2, RS2, 1), addi(13, 13, -1),
                bne(13, 0, -20)).set(RS1, DATA).set(RS2, 1000).set(13, 1024).runToEcall();
        for (int i = 0; i < 1024; i++) assertThat(m.mem.read(DATA + 8L * i, 8)).isEqualTo(1000 + i);
        assertThat(m.x(RD)).isEqualTo(1000 + 1023);
    }

    @Test
    void fenceIsANoOp() {
        Machine m = new Machine().code(fence(), fence(2, 1), addi(RD, 0, 1)).runToEcall();
        assertThat(m.x(RD)).isEqualTo(1);
        assertThat(m.h.instret).isEqualTo(3);
    }

    @Test
    void ecallStopsWithPcOnTheEcall() {
        Machine m = new Machine().code(addi(RD, 0, 1), addi(RD, RD, 1));
        assertThat(m.run(100)).isEqualTo(Stop.ECALL);
        assertThat(m.h.pc).isEqualTo(CODE + 8);
        assertThat(m.h.instret).isEqualTo(2); // the ecall does not retire
        assertThat(m.x(RD)).isEqualTo(2);
    }

    @Test
    void ebreakRaisesBreakpoint() {
        Machine m = new Machine().code(addi(RD, 0, 1), ebreak()).runToException(Cause.BREAKPOINT);
        assertThat(m.h.pc).isEqualTo(CODE + 4);
        assertThat(m.h.instret).isEqualTo(1);
    }

    @Test
    void illegalInstructionStopsWithCauseTwoAndTheBits() {
        int bad = 0xffff_ffff; // opcode 0x7f: reserved (>= 64-bit encodings)
        Machine m = new Machine().code(addi(RD, 0, 7), bad, addi(RD, 0, 9)).runToException(Cause.ILLEGAL_INSTRUCTION);
        assertThat(m.h.pc).isEqualTo(CODE + 4);
        assertThat(m.h.trapValue).isEqualTo(0xffff_ffffL);
        assertThat(m.h.instret).isEqualTo(1);
        assertThat(m.x(RD)).isEqualTo(7);
    }

    @Test
    void variousIllegalEncodings() {
        int[] bad = {
            0x0000_0000, // the all-zero 16-bit parcel
            iType(0, RS1, 2, RD, JALR_OP), // jalr with funct3 != 0
            bType(8, RS2, RS1, 2) , // branch funct3 2
            iType(0, RS1, 7, RD, LOAD), // load funct3 7
            sType(0, RS2, RS1, 4, STORE), // store funct3 4
            rType(0x20, RS2, RS1, 1, RD, OP), // sll with funct7 0x20
            rType(0x02, RS2, RS1, 0, RD, OP), // unknown funct7
            shift64(0x01, 0, RS1, 1, RD, OP_IMM), // slli with imm[11:6] = 1
            shift32(0x01, 0, RS1, 1, RD), // slliw with shamt[5] set
            shift32(0x01, 0, RS1, 5, RD), // srliw with shamt[5] set
            rType(0x20, RS2, RS1, 1, RD, OP_32), // sllw funct7 0x20
            rType(0x30, 3, RS1, 1, RD, OP_IMM_32), // clzw family rs2 = 3
            rType(0x30, 3, RS1, 1, RD, OP_IMM), // clz family rs2 = 3
            amo(0x02, false, false, 5, RS1, W, RD), // lr.w with rs2 != 0
            amo(0x00, false, false, RS2, RS1, 1, RD), // amo with width 1
            amo(0x05, false, false, RS2, RS1, W, RD), // unknown funct5
            iType(0, 0, 4, 0, SYSTEM), // system funct3 4
            0x0010_0073 | 1 << 7, // ebreak with rd != 0
            0x0000_0077, // opcode 0x77 (OP-P, not implemented)
        };
        for (int insn : bad) {
            Machine m = new Machine().code(insn);
            m.runToException(Cause.ILLEGAL_INSTRUCTION);
            assertThat(m.h.pc).as("0x%08x", insn).isEqualTo(CODE);
        }
    }
}
