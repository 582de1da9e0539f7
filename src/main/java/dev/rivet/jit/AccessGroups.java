package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;

import dev.rivet.cpu.Insn;
import dev.rivet.jit.Region.Block;
import java.util.List;

/**
 * Loads (or stores) of one block through one base register, next to each other, whose bytes lie
 * within {@link #MAX_SPAN} of each other: a <em>group</em>, whose first access checks once that all
 * of its bytes lie in one page (its stream slot's, or the TLB's) and keeps that page's host
 * address for the others ({@link MemoryEmitter}). sha256 reads a word of its message as four byte
 * loads from one register, and functions save and restore registers as runs of stores and loads
 * from the stack pointer: each access had checked its page on its own.
 *
 * <p>Between two members may stand only integer instructions that neither touch memory nor trap
 * ({@link InsnEmitter#pure}) and do not write the base register (so the base address, and the
 * page the check found, stay the same); a load into the base register is a group's last member.
 *
 * <p>A program's regions make groups in blocks that use stream slots and in blocks outside
 * loops (a function's saves and restores); loop blocks with page slots keep them, since which
 * accesses get one depends on the accesses before. Alternating full runs (bench/ab.sh, 6 rounds
 * each): sha256 2.76 s against 2.83 (faster in 5 of 6; warm 7451 million guest instructions a
 * second against 7288), nbody 1.68 against 1.75 (6 of 6), matmul 3.99 against 4.06 (5 of 6),
 * interp 2.32 against 2.40 (6 of 6; 3 of 6 in a first set), sieve 4 of 6. A machine's regions
 * make none: with groups there too, boots to the shell were faster in 1 of 6 rounds
 * (bench/boot-ab.sh), the busybox shell loop ran 1.70 s against 1.53 (1 of 6) and 100 fork+exec
 * 1 of 6: a machine translates much more code, once, and each group's access carries a second
 * way (its own) into the bytecode and HotSpot's compilations.
 */
final class AccessGroups {
    private AccessGroups() {}

    /** The most bytes a group spans: well within a page, so that most groups fit in one. */
    static final int MAX_SPAN = 64;

    /**
     * An access's group: its bytes are {@code span} bytes from x[base] + {@code lo}; {@code first}
     * is the index in the block of the group's first access, which makes the check for all.
     */
    record Member(int first, int lo, int span) {
        boolean leads(int index) {
            return index == first;
        }
    }

    /** By instruction index of {@code b}: the group of its access, or null for an access alone or another instruction. */
    static Member[] of(Block b) {
        List<Long> insns = b.insns;
        Member[] members = new Member[insns.size()];
        int k = 0;
        while (k < insns.size()) {
            long d = insns.get(k);
            int base = Insn.rs1(d);
            if (!access(Insn.op(d)) || base == 0) {
                k++;
                continue;
            }
            boolean store = store(Insn.op(d));
            int lo = Insn.imm(d), hi = lo + size(Insn.op(d)), last = k;
            boolean baseWritten = writes(d, base);
            for (int j = k + 1; j < insns.size() && !baseWritten; j++) {
                long e = insns.get(j);
                int op = Insn.op(e);
                if (access(op)) {
                    if (Insn.rs1(e) != base || store(op) != store) break;
                    int from = Math.min(lo, Insn.imm(e)), to = Math.max(hi, Insn.imm(e) + size(op));
                    if (to - from > MAX_SPAN) break;
                    lo = from;
                    hi = to;
                    last = j;
                    baseWritten = writes(e, base);
                } else if (!InsnEmitter.pure(op) || writes(e, base)) {
                    break;
                }
            }
            if (last > k) {
                for (int j = k; j <= last; j++) {
                    if (access(Insn.op(insns.get(j)))) members[j] = new Member(k, lo, hi - lo);
                }
            }
            k = last + 1;
        }
        return members;
    }

    /** A load or store of the integer or floating-point registers. */
    static boolean access(int op) {
        return (op >= LB && op <= SD) || (op >= FLW && op <= FSD);
    }

    private static boolean store(int op) {
        return (op >= SB && op <= SD) || op == FSW || op == FSD;
    }

    /** The bytes an access moves. */
    static int size(int op) {
        return switch (op) {
            case LB, LBU, SB -> 1;
            case LH, LHU, SH -> 2;
            case LW, LWU, SW, FLW, FSW -> 4;
            default -> 8;
        };
    }

    private static boolean writes(long d, int r) {
        return (Liveness.writes(d) & 1 << r) != 0;
    }
}
