package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;

import dev.rivet.cpu.Insn;
import java.util.Arrays;

/**
 * Finds, within a block, the or that completes a 32-bit rotate written in C: {@code (x >> n) |
 * (x << (32 - n))} on uint32_t, which RV64 without Zbb computes as {@code srliw a, x, n; slliw b,
 * x, 32-n; or d, a, b} (in either order, other instructions between). The or's result is then
 * the sign-extended rotate of x's low word, which the translator emits as one
 * {@code Integer.rotateRight}, a single host instruction, instead of an or of two sign-extended
 * shifts. The shifts themselves are still translated as they are: their registers may be read
 * later.
 */
final class WordRotates {
    /** For each register: the word shift that last wrote it, as {@link #shift}, or 0. */
    private final int[] shiftOf = new int[32];

    /** Forgets everything: a block starts. */
    void clear() {
        Arrays.fill(shiftOf, 0);
    }

    /**
     * The rotate-right that {@code or rd, rs1, rs2} computes, or -1 when it is not such an or:
     * the register rotated is {@link #source} of it, the amount (1-31) {@link #amount}.
     */
    int rotate(int rs1, int rs2) {
        int a = shiftOf[rs1], b = shiftOf[rs2];
        if (a == 0 || b == 0 || source(a) != source(b) || right(a) == right(b)) return -1;
        int rightAmount = right(a) ? amount(a) : amount(b), leftAmount = right(a) ? amount(b) : amount(a);
        if (rightAmount + leftAmount != 32) return -1;
        return rightAmount | source(a) << 5;
    }

    /** Notes what instruction {@code d} leaves in its destination register. */
    void after(long d) {
        int rd = Insn.rd(d);
        if (rd == 0) return;
        int op = Insn.op(d), n = Insn.imm(d) & 31;
        // A register overwritten no longer holds the value the shifts of it were made from.
        for (int r = 1; r < 32; r++) if (shiftOf[r] != 0 && source(shiftOf[r]) == rd) shiftOf[r] = 0;
        boolean shiftsOtherRegister = Insn.rs1(d) != rd && Insn.rs1(d) != 0 && n != 0;
        shiftOf[rd] = shiftsOtherRegister && (op == SRLIW || op == SLLIW) ? shift(op == SRLIW, Insn.rs1(d), n) : 0;
    }

    private static int shift(boolean right, int source, int amount) {
        return 1 << 16 | (right ? 1 << 15 : 0) | source << 5 | amount;
    }

    private static boolean right(int shift) {
        return (shift & 1 << 15) != 0;
    }

    static int source(int shift) {
        return shift >>> 5 & 31;
    }

    static int amount(int shift) {
        return shift & 31;
    }
}
