package dev.rivet.cpu;

import static dev.rivet.cpu.Op.*;

import dev.rivet.mem.Page;

/**
 * The interpreter's integer computations (lui, auipc, and the register-immediate and
 * register-register instructions addi to sraw: unprivileged spec, "Integer Computational
 * Instructions" of RV32I and RV64I), run in a loop of their own until an instruction of another
 * kind, the end of the fetch page or the budget.
 *
 * <p>Why a loop of its own: {@link Interpreter}'s loop holds every kind of instruction, and many
 * of them call out (memory, CSRs, the translator); HotSpot's C2 keeps that loop's state (the hart,
 * the registers, the budget, the fields of the instruction) in stack slots and stores it there at
 * every instruction (some dozen stores, about 65 host instructions an instruction). This loop
 * calls nothing, so its state stays in host registers. None of these instructions can trap, so
 * the hart's pc is written once, at the end.
 */
final class StraightLine {
    private StraightLine() {}

    /** True for the instructions {@link #run} executes. */
    static boolean handles(int op) {
        return op >= ADDI && op <= SRAW || op == LUI || op == AUIPC;
    }

    /**
     * Executes {@code d}, the decoded instruction at the hart's pc (one {@link #handles} accepts),
     * and the ones of those kinds after it, at most {@code budget} (at least 1) in all; leaves pc
     * at the next instruction and returns how many ran. The fetch page must be pc's (as after
     * {@link Hart#fetch}).
     */
    static int run(Hart h, long[] x, long d, long budget) {
        long pc = h.pc;
        final long page = pc >>> Page.SHIFT;
        final long[] code = h.fetchCode;
        int n = 0;
        while (true) {
            long a = x[Insn.rs1(d)], b = x[Insn.rs2(d)];
            int imm = Insn.imm(d);
            long value = switch (Insn.op(d)) {
                case LUI -> imm;
                case AUIPC -> pc + imm;
                case ADDI -> a + imm;
                case SLTI -> a < imm ? 1 : 0;
                case SLTIU -> Long.compareUnsigned(a, imm) < 0 ? 1 : 0;
                case XORI -> a ^ imm;
                case ORI -> a | imm;
                case ANDI -> a & imm;
                case SLLI -> a << imm;
                case SRLI -> a >>> imm;
                case SRAI -> a >> imm;
                case ADD -> a + b;
                case SUB -> a - b;
                case SLL -> a << b;
                case SLT -> a < b ? 1 : 0;
                case SLTU -> Long.compareUnsigned(a, b) < 0 ? 1 : 0;
                case XOR -> a ^ b;
                case SRL -> a >>> b;
                case SRA -> a >> b;
                case OR -> a | b;
                case AND -> a & b;
                case ADDIW -> (int) (a + imm);
                case SLLIW -> (int) a << imm;
                case SRLIW -> (int) a >>> imm;
                case SRAIW -> (int) a >> imm;
                case ADDW -> (int) (a + b);
                case SUBW -> (int) (a - b);
                case SLLW -> (int) a << (b & 31);
                case SRLW -> (int) a >>> (b & 31);
                case SRAW -> (int) a >> (b & 31);
                default -> throw new IllegalStateException("not an integer computation: op " + Insn.op(d));
            };
            x[Insn.rd(d)] = value;
            x[0] = 0;
            pc += Insn.length(d);
            n++;
            if (n >= budget || pc >>> Page.SHIFT != page) break;
            d = code[((int) pc & (int) Page.OFFSET_MASK) >>> 1];
            // An undecoded slot (0) is no such instruction either: the interpreter decodes it.
            if (!handles(Insn.op(d))) break;
        }
        h.pc = pc;
        return n;
    }
}
