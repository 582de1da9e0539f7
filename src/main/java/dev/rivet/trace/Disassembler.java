package dev.rivet.trace;

import static dev.rivet.cpu.Op.*;

import dev.rivet.cpu.Insn;
import dev.rivet.cpu.Op;
import java.util.Map;

/**
 * Renders decoded instructions ({@link Insn} words from {@link dev.rivet.cpu.Decoder}) as assembly
 * text with ABI register names, e.g. {@code addi    sp, sp, -32} or {@code ld      ra, 24(sp)}.
 * Compressed instructions show as the base instruction they expand to. No pseudo-instructions:
 * what is shown is what executes.
 */
public final class Disassembler {
    private Disassembler() {}

    static final String[] X = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };
    static final String[] F = {
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
        "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    };

    private static final Map<Integer, String> CSR_NAMES = Map.ofEntries(
            Map.entry(0x001, "fflags"), Map.entry(0x002, "frm"), Map.entry(0x003, "fcsr"),
            Map.entry(0xc00, "cycle"), Map.entry(0xc01, "time"), Map.entry(0xc02, "instret"),
            Map.entry(0x100, "sstatus"), Map.entry(0x104, "sie"), Map.entry(0x105, "stvec"),
            Map.entry(0x106, "scounteren"), Map.entry(0x10a, "senvcfg"), Map.entry(0x140, "sscratch"),
            Map.entry(0x141, "sepc"), Map.entry(0x142, "scause"), Map.entry(0x143, "stval"), Map.entry(0x144, "sip"),
            Map.entry(0x14d, "stimecmp"), Map.entry(0x180, "satp"), Map.entry(0x300, "mstatus"), Map.entry(0x301, "misa"),
            Map.entry(0x302, "medeleg"), Map.entry(0x303, "mideleg"), Map.entry(0x304, "mie"), Map.entry(0x305, "mtvec"),
            Map.entry(0x306, "mcounteren"), Map.entry(0x30a, "menvcfg"), Map.entry(0x320, "mcountinhibit"),
            Map.entry(0x340, "mscratch"), Map.entry(0x341, "mepc"), Map.entry(0x342, "mcause"), Map.entry(0x343, "mtval"),
            Map.entry(0x344, "mip"), Map.entry(0x3a0, "pmpcfg0"), Map.entry(0x3b0, "pmpaddr0"), Map.entry(0xb00, "mcycle"),
            Map.entry(0xb02, "minstret"), Map.entry(0xf14, "mhartid"));

    /** What an instruction writes: nothing, an integer register or a floating-point register. */
    public enum Dest { NONE, X, F }

    /** The register class rd names for this operation. */
    public static Dest destination(long d) {
        int op = Insn.op(d);
        return switch (format(op)) {
            case 'R', 'I', 'H', 'U', 'J', 'j', 'L', 'C', 'c', 'A', 'l', '1', 'p', 'x' -> Insn.rd(d) == 0 ? Dest.NONE : Dest.X;
            case 'f', '3', '4', 'u', 'X' -> Dest.F;
            default -> Dest.NONE;
        };
    }

    /** The assembly text of instruction {@code d} located at {@code pc}. */
    public static String format(long d, long pc) {
        int op = Insn.op(d);
        String rd = X[Insn.rd(d)], rs1 = X[Insn.rs1(d)], rs2 = X[Insn.rs2(d)];
        String fd = F[Insn.rd(d)], fs1 = F[Insn.rs1(d)], fs2 = F[Insn.rs2(d)], fs3 = F[Insn.rs3(d)];
        int imm = Insn.imm(d);
        String operands = switch (format(op)) {
            case 'R' -> rd + ", " + rs1 + ", " + rs2;
            case 'I', 'H' -> rd + ", " + rs1 + ", " + imm;
            case 'U' -> rd + ", 0x" + Integer.toHexString(imm >>> 12);
            case 'J' -> rd + ", 0x" + Long.toHexString(pc + imm);
            case 'j', 'L' -> rd + ", " + imm + "(" + rs1 + ")";
            case 'B' -> rs1 + ", " + rs2 + ", 0x" + Long.toHexString(pc + imm);
            case 'S' -> rs2 + ", " + imm + "(" + rs1 + ")";
            case 'C' -> rd + ", " + csr(imm) + ", " + rs1;
            case 'c' -> rd + ", " + csr(imm) + ", " + Insn.rs1(d);
            case 'A' -> rd + ", " + rs2 + ", (" + rs1 + ")";
            case 'l' -> rd + ", (" + rs1 + ")";
            case '1' -> rd + ", " + rs1;
            case 'f' -> fd + ", " + imm + "(" + rs1 + ")";
            case 's' -> fs2 + ", " + imm + "(" + rs1 + ")";
            case '3' -> fd + ", " + fs1 + ", " + fs2;
            case '4' -> fd + ", " + fs1 + ", " + fs2 + ", " + fs3;
            case 'u' -> fd + ", " + fs1;
            case 'p' -> rd + ", " + fs1 + ", " + fs2;
            case 'x' -> rd + ", " + fs1;
            case 'X' -> fd + ", " + rs1;
            case 'V' -> rs1 + ", " + rs2;
            case '?' -> String.format("0x%08x", imm);
            default -> "";
        };
        String name = Op.name(op);
        return operands.isEmpty() ? name : String.format("%-7s %s", name, operands);
    }

    private static String csr(int imm) {
        int n = imm & 0xfff;
        String name = CSR_NAMES.get(n);
        return name != null ? name : String.format("0x%03x", n);
    }

    /**
     * The operand layout of an operation: R rd,rs1,rs2; I/H rd,rs1,imm; U upper immediate; J jal;
     * j jalr; B branch; L load; S store; C/c CSR (register/immediate); A AMO and sc; l lr; 1 unary;
     * f/s FP load/store; 3/4 FP arithmetic; u FP unary; p FP compare; x FP to integer; X integer to
     * FP; V sfence.vma; ? illegal; N no operands.
     */
    private static char format(int op) {
        if (op == LUI || op == AUIPC) return 'U';
        if (op == JAL) return 'J';
        if (op == JALR) return 'j';
        if (op >= BEQ && op <= BGEU) return 'B';
        if (op >= LB && op <= LWU) return 'L';
        if (op >= SB && op <= SD) return 'S';
        if (op >= ADDI && op <= ANDI || op == ADDIW) return 'I';
        if (op >= SLLI && op <= SRAI || op >= SLLIW && op <= SRAIW || op == SLLI_UW || op == RORI || op == RORIW
                || op == BCLRI || op == BEXTI || op == BINVI || op == BSETI) return 'H';
        if (op >= ADD && op <= AND || op >= ADDW && op <= SRAW || op >= MUL && op <= REMUW) return 'R';
        if (op >= SH1ADD && op <= SH3ADD_UW || op >= ANDN && op <= XNOR || op >= MAX && op <= MINU) return 'R';
        if (op == ROL || op == ROLW || op == ROR || op == RORW || op == BCLR || op == BEXT || op == BINV || op == BSET) return 'R';
        if (op >= CLZ && op <= CPOPW || op >= SEXT_B && op <= ZEXT_H || op == ORC_B || op == REV8) return '1';
        if (op == LR_W || op == LR_D) return 'l';
        if (op >= SC_W && op <= AMOMAXU_D) return 'A';
        if (op >= CSRRW && op <= CSRRC) return 'C';
        if (op >= CSRRWI && op <= CSRRCI) return 'c';
        if (op == FLW || op == FLD) return 'f';
        if (op == FSW || op == FSD) return 's';
        if (op >= FMADD_S && op <= FNMADD_S || op >= FMADD_D && op <= FNMADD_D) return '4';
        if (op == FSQRT_S || op == FSQRT_D || op == FCVT_S_D || op == FCVT_D_S) return 'u';
        if (op >= FEQ_S && op <= FLE_S || op >= FEQ_D && op <= FLE_D) return 'p';
        if (op >= FCVT_W_S && op <= FCLASS_S || op >= FCVT_W_D && op <= FCLASS_D) return 'x';
        if (op >= FCVT_S_W && op <= FMV_W_X || op >= FCVT_D_W && op <= FMV_D_X) return 'X';
        if (op >= FADD_S && op <= FMAX_S || op >= FADD_D && op <= FMAX_D) return '3';
        if (op == SFENCE_VMA) return 'V';
        if (op == ILLEGAL) return '?';
        return 'N';
    }
}
