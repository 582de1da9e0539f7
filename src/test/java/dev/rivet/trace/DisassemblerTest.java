package dev.rivet.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.Asm;
import dev.rivet.cpu.Decoder;
import org.junit.jupiter.api.Test;

/** The trace disassembler on instructions encoded independently of the decoder (the test assembler). */
class DisassemblerTest {
    private static String dis(int bits, long pc) {
        return Disassembler.format(Decoder.decode(bits), pc).replaceAll(" +", " ");
    }

    private static String dis(int bits) {
        return dis(bits, 0x1000);
    }

    @Test
    void integerInstructionsUseAbiRegisterNames() {
        assertThat(dis(Asm.addi(2, 2, -32))).isEqualTo("addi sp, sp, -32");
        assertThat(dis(Asm.add(10, 11, 12))).isEqualTo("add a0, a1, a2");
        assertThat(dis(Asm.lui(15, 0x12345))).isEqualTo("lui a5, 0x12345");
        assertThat(dis(Asm.auipc(5, 0))).isEqualTo("auipc t0, 0x0");
        assertThat(dis(Asm.slli(10, 10, 3))).isEqualTo("slli a0, a0, 3");
        assertThat(dis(Asm.ld(1, 2, 24))).isEqualTo("ld ra, 24(sp)");
        assertThat(dis(Asm.sw(15, 8, -20))).isEqualTo("sw a5, -20(s0)");
        assertThat(dis(Asm.mulw(15, 15, 14))).isEqualTo("mulw a5, a5, a4");
    }

    @Test
    void branchAndJumpTargetsAreAbsolute() {
        assertThat(dis(Asm.blt(8, 9, -4), 0x80000042L)).isEqualTo("blt s0, s1, 0x8000003e");
        assertThat(dis(Asm.jal(1, 0x40), 0x10000)).isEqualTo("jal ra, 0x10040");
        assertThat(dis(Asm.jalr(0, 1, 0))).isEqualTo("jalr zero, 0(ra)");
    }

    @Test
    void systemAtomicAndCsrInstructions() {
        assertThat(dis(0x00000073)).isEqualTo("ecall");
        assertThat(dis(0x30200073)).isEqualTo("mret");
        assertThat(dis(0x34202f73)).isEqualTo("csrrs t5, mcause, zero");
        assertThat(dis(0x30529073)).isEqualTo("csrrw zero, mtvec, t0");
        assertThat(dis(0x3412d073)).isEqualTo("csrrwi zero, mepc, 5");
        assertThat(dis(0x0855302f)).isEqualTo("amoswap.d zero, t0, (a0)");
        assertThat(dis(0x1005352f)).isEqualTo("lr.d a0, (a0)");
        assertThat(dis(0x12000073)).isEqualTo("sfence.vma zero, zero");
    }

    @Test
    void compressedInstructionsShowTheirExpansion() {
        assertThat(dis(0x0f91)).isEqualTo("addi t6, t6, 4"); // c.addi t6, 4
        assertThat(dis(0x8082)).isEqualTo("jalr zero, 0(ra)"); // c.jr ra (ret)
        assertThat(dis(0x6522)).isEqualTo("ld a0, 8(sp)"); // c.ldsp a0, 8(sp)
    }

    @Test
    void floatingPointInstructionsUseFloatRegisterNames() {
        assertThat(dis(0x02b57553)).isEqualTo("fadd.d fa0, fa0, fa1");
        assertThat(dis(0x0085b507)).isEqualTo("fld fa0, 8(a1)");
        assertThat(dis(0xe2050553)).isEqualTo("fmv.x.d a0, fa0");
        assertThat(dis(0xa2b52553)).isEqualTo("feq.d a0, fa0, fa1");
        assertThat(dis(0xd2257553)).isEqualTo("fcvt.d.l fa0, a0");
    }

    @Test
    void destinationsTellWhichRegisterFileAnInstructionWrites() {
        assertThat(Disassembler.destination(Decoder.decode(Asm.addi(10, 0, 1)))).isEqualTo(Disassembler.Dest.X);
        assertThat(Disassembler.destination(Decoder.decode(Asm.addi(0, 0, 0)))).isEqualTo(Disassembler.Dest.NONE);
        assertThat(Disassembler.destination(Decoder.decode(Asm.sd(10, 2, 0)))).isEqualTo(Disassembler.Dest.NONE);
        assertThat(Disassembler.destination(Decoder.decode(0x02b57553))).isEqualTo(Disassembler.Dest.F);
        assertThat(Disassembler.destination(Decoder.decode(0xa2b52553))).isEqualTo(Disassembler.Dest.X);
    }

    @Test
    void illegalInstructionsShowTheirBits() {
        assertThat(dis(0xffffffff)).isEqualTo("illegal 0xffffffff");
    }
}
