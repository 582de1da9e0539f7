package dev.rivet.cpu;

import static dev.rivet.cpu.Op.*;

import dev.rivet.mem.Page;
import java.lang.invoke.VarHandle;
import jdk.internal.misc.Unsafe;

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
 *
 * <p>What its speed depends on, found in C2's code of it (perf on `run --jit off`): the chain from
 * one fetch to the next (the next slot is the current one plus a stride read from the instruction
 * itself), the host registers the switch's cases leave free, and the checks per instruction.
 * Hence the slot kept as an offset rather than derived from pc, the register file and the slots
 * read without bounds checks (their lengths checked once), each case reading its own operands,
 * the word instructions in int arithmetic, one range of opcodes for the switch to check, and
 * the budget's test last, which makes it a counted loop without a safepoint poll per trip. The
 * guest sha256 under `run --jit off` went from 257 to 345 million instructions a second, boots
 * to the shell from 0.75 s to 0.65 (bench/HISTORY.md, 2026-12-07).
 */
final class StraightLine {
    private StraightLine() {}

    /** True for the instructions {@link #run} executes. */
    static boolean handles(int op) {
        return op >= ADDI && op <= AUIPC;
    }

    // handles depends on Op's numbering.
    static {
        if (LUI != SRAW + 1 || AUIPC != SRAW + 2) throw new AssertionError("lui and auipc follow sraw (Op)");
    }

    /**
     * Executes {@code d}, the decoded instruction at the hart's pc (one {@link #handles} accepts),
     * and the ones of those kinds after it, at most {@code budget} (at least 1) in all; leaves pc
     * at the next instruction and returns how many ran. The fetch page must be pc's (as after
     * {@link Hart#fetch}).
     */
    static int run(Hart h, long[] x, long d, long budget) {
        final long page = h.pc & ~Page.OFFSET_MASK;
        final long[] code = h.fetchCode;
        // The instruction's place as the byte offset of its slot in code (8 bytes a slot, a slot
        // per 2 bytes of the page), from which the next one's is a shift, a mask and an add away
        // (Insn.slotStride): each fetch waits for the one before it, whose length it needs, and
        // from pc the way took a conditional move and three more steps.
        long slot = (h.pc & Page.OFFSET_MASK) << 2;
        // The register file and the fetch page's slots are read and written without bounds checks
        // (see at): their lengths are checked once here instead.
        if (x.length != 32 || code.length != Hart.SLOTS) throw new IllegalArgumentException("not a hart's arrays");
        final int limit = (int) Math.min(budget, Integer.MAX_VALUE);
        int n = 0;
        run:
        while (true) {
            int imm = Insn.imm(d);
            long value;
            switch (Insn.op(d)) {
                case LUI -> value = imm;
                case AUIPC -> value = page + (slot >>> 2) + imm;
                case ADDI -> value = a(x, d) + imm;
                case SLTI -> value = a(x, d) < imm ? 1 : 0;
                case SLTIU -> value = Long.compareUnsigned(a(x, d), imm) < 0 ? 1 : 0;
                case XORI -> value = a(x, d) ^ imm;
                case ORI -> value = a(x, d) | imm;
                case ANDI -> value = a(x, d) & imm;
                case SLLI -> value = a(x, d) << imm;
                case SRLI -> value = a(x, d) >>> imm;
                case SRAI -> value = a(x, d) >> imm;
                case ADD -> value = a(x, d) + b(x, d);
                case SUB -> value = a(x, d) - b(x, d);
                case SLL -> value = a(x, d) << b(x, d);
                case SLT -> value = a(x, d) < b(x, d) ? 1 : 0;
                case SLTU -> value = Long.compareUnsigned(a(x, d), b(x, d)) < 0 ? 1 : 0;
                case XOR -> value = a(x, d) ^ b(x, d);
                case SRL -> value = a(x, d) >>> b(x, d);
                case SRA -> value = a(x, d) >> b(x, d);
                case OR -> value = a(x, d) | b(x, d);
                case AND -> value = a(x, d) & b(x, d);
                // The word instructions in int arithmetic, which gives the same low 32 bits as the
                // long one truncated: written as the long one truncated, HotSpot merged it with
                // the long instruction's expression (x[rs1] + imm, ...) and computed that before
                // the switch, for every instruction whatever its opcode.
                case ADDIW -> value = (int) a(x, d) + imm;
                case SLLIW -> value = (int) a(x, d) << imm;
                case SRLIW -> value = (int) a(x, d) >>> imm;
                case SRAIW -> value = (int) a(x, d) >> imm;
                case ADDW -> value = (int) a(x, d) + (int) b(x, d);
                case SUBW -> value = (int) a(x, d) - (int) b(x, d);
                case SLLW -> value = (int) a(x, d) << (b(x, d) & 31);
                case SRLW -> value = (int) a(x, d) >>> (b(x, d) & 31);
                case SRAW -> value = (int) a(x, d) >> (b(x, d) & 31);
                // Another kind of instruction, or a slot not decoded yet: the interpreter goes on there.
                default -> {
                    break run;
                }
            }
            U.putLong(x, at(d, Insn.RD), value);
            U.putLong(x, X0, 0L);
            slot += Insn.slotStride(d);
            n++;
            if (slot >= 8 * Hart.SLOTS) break;
            d = U.getLong(code, X0 + slot);
            // The count's test last, where the loop goes round: HotSpot then compiles a counted
            // loop, which polls for safepoints once per thousand trips instead of on every one.
            if (n >= limit) break;
        }
        h.pc = page + (slot >>> 2);
        return n;
    }

    /**
     * x[rs1] and x[rs2], read in the switch's case that uses them. The acquire fence (no
     * instruction on x86) gives each case its own memory state, so that HotSpot cannot merge the
     * reads of the cases into one before the switch, and with it the expressions the cases build
     * on them (a word's low half, a shift's amount): computed and held for every instruction,
     * whatever its opcode, they took host registers the loop's own values then lacked.
     */
    private static long a(long[] x, long d) {
        VarHandle.acquireFence();
        return U.getLong(x, at(d, Insn.RS1));
    }

    private static long b(long[] x, long d) {
        VarHandle.acquireFence();
        return U.getLong(x, at(d, Insn.RS2));
    }

    private static final Unsafe U = Unsafe.getUnsafe();
    /** The offset of element 0 of a {@code long[]}. */
    private static final long X0 = Unsafe.ARRAY_LONG_BASE_OFFSET;

    /**
     * The offset in the register file of the register whose 5-bit number is at bit {@code shift}
     * of {@code d} ({@link Insn#RD}, {@link Insn#RS1}, {@link Insn#RS2}): within the file whatever
     * {@code d} holds.
     */
    private static long at(long d, int shift) {
        return X0 + ((d >>> (shift - 3)) & (31 << 3));
    }
}
