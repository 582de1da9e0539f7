package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;

import dev.rivet.cpu.Insn;
import dev.rivet.jit.Region.Block;
import java.util.Arrays;

/**
 * Which guest registers hold a <em>word</em> (a 32-bit value sign-extended to 64 bits, as RV64's
 * "W" instructions leave it; unprivileged spec, "RV64I Base Integer Instruction Set") at each
 * point of a region. Compilers for RV64 keep 32-bit values so and still emit {@code sext.w}
 * ({@code addiw rd, rs, 0}) where they cannot prove it; on a word that is a plain copy. sha256's
 * message schedule moves its window of seven words along with seven of them a trip, each a load,
 * a truncation, a sign extension and a store in the host code when it need only be a load and a
 * store.
 *
 * <p>A forward must-analysis over the region's blocks: a register is a word at a block's start
 * if it is one at the end of every predecessor. A block entered through the dispatch switch
 * knows nothing of what the interpreter left, except what the entry checks: its <em>guards</em>,
 * for an entry into a loop, the registers that every way round the region back to the block
 * makes words (a loop's rotated values) and that a {@code sext.w} reads before they are written
 * again. The entry stub tests
 * them ({@code x == (int) x}) and leaves to the interpreter if one is not a word; the interpreter
 * runs the trip, and the next entry finds them words.
 *
 * <p>Masks have bit r for x<i>r</i>; x0 (zero) is always a word. Arrays are indexed as
 * {@link FlowGraph#blocks}.
 */
final class WordValues {
    /** Registers that are words at the start of each block. */
    final int[] in;
    /** The registers each block's entry stub checks (0 for blocks that are not entries). */
    final int[] guards;

    private WordValues(int[] in, int[] guards) {
        this.in = in;
        this.guards = guards;
    }

    static WordValues of(FlowGraph graph) {
        int count = graph.size();
        int[] none = new int[count];
        int[] pessimistic = solve(graph, none);
        int[] demanded = demanded(graph);
        int[] guards = new int[count];
        for (int b = 0; b < count; b++) {
            // Only a loop's entries: a check pays for itself over many trips, not on one pass
            // (and a switch's cases, entered through the dispatch switch on every trip, are not
            // a loop of the region's graph).
            if (!graph.isEntry(b) || graph.cycleDepth[b] == 0) continue;
            int fromInside = ~0;
            for (int p : graph.predecessors[b]) fromInside &= out(graph.blocks.get(p), pessimistic[p]);
            guards[b] = fromInside & demanded[b] & ~1;
        }
        return new WordValues(solve(graph, guards), guards);
    }

    /** The greatest solution in which each entry block is entered knowing {@code atEntry} of it. */
    private static int[] solve(FlowGraph graph, int[] atEntry) {
        int count = graph.size();
        int[] in = new int[count];
        Arrays.fill(in, ~0);
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int b = 0; b < count; b++) {
                int v = graph.isEntry(b) ? atEntry[b] | 1 : ~0;
                for (int p : graph.predecessors[b]) v &= out(graph.blocks.get(p), in[p]);
                if (v != in[b]) {
                    in[b] = v;
                    changed = true;
                }
            }
        }
        return in;
    }

    private static int out(Block block, int in) {
        int words = in;
        for (long d : block.insns) words = after(d, words);
        return words;
    }

    /**
     * Registers whose being a word some instruction of the region uses ({@link #copiesWord})
     * before writing them, from the start of each block on: a backward liveness of those reads.
     */
    private static int[] demanded(FlowGraph graph) {
        int count = graph.size();
        int[] use = new int[count], def = new int[count], in = new int[count];
        for (int b = 0; b < count; b++) {
            for (long d : graph.blocks.get(b).insns) {
                if (Insn.op(d) == ADDIW && Insn.imm(d) == 0) use[b] |= 1 << Insn.rs1(d) & ~def[b];
                def[b] |= Liveness.writes(d);
            }
        }
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int b = count - 1; b >= 0; b--) {
                int out = 0;
                for (int s : graph.successors[b]) out |= in[s];
                int v = use[b] | (out & ~def[b]);
                if (v != in[b]) {
                    in[b] = v;
                    changed = true;
                }
            }
        }
        return in;
    }

    /** True when {@code d} is a sext.w of a register that {@code words} says is a word already: a copy. */
    static boolean copiesWord(long d, int words) {
        return Insn.op(d) == ADDIW && Insn.imm(d) == 0 && (words & 1 << Insn.rs1(d)) != 0;
    }

    /** The words after {@code d}, given those before it. */
    static int after(long d, int words) {
        int written = Liveness.writes(d) & ~1;
        if (written == 0) return words;
        return producesWord(d, words) ? words | written : words & ~written;
    }

    /**
     * True when the register {@code d} writes holds a word afterwards, given the words before it.
     * Only what the instruction's definition guarantees: a claim too many would make a copy of a
     * value that needed its sign extension.
     */
    private static boolean producesWord(long d, int words) {
        int rs1 = Insn.rs1(d), rs2 = Insn.rs2(d), imm = Insn.imm(d);
        boolean word1 = (words & 1 << rs1) != 0, word2 = (words & 1 << rs2) != 0;
        return switch (Insn.op(d)) {
            // The W instructions sign-extend their 32-bit result; LUI its 32-bit immediate.
            case ADDW, SUBW, SLLW, SRLW, SRAW, ADDIW, SLLIW, SRLIW, SRAIW, MULW, DIVW, DIVUW, REMW, REMUW,
                 ROLW, RORW, RORIW, LUI -> true;
            // Loads of up to 32 bits: sign-extended, or zero-extended from 8 or 16 bits.
            case LB, LH, LW, LBU, LHU -> true;
            // Small results: 0 or 1, bit counts, 8- and 16-bit extensions.
            case SLT, SLTU, SLTI, SLTIU, CLZ, CTZ, CPOP, CLZW, CTZW, CPOPW, SEXT_B, SEXT_H, ZEXT_H -> true;
            // Bitwise logic on words (immediates are sign-extended 12-bit values, words too).
            case AND, OR, XOR -> word1 && word2;
            case ORI, XORI -> word1;
            case ANDI -> word1 || imm >= 0;
            // li and mv.
            case ADDI -> rs1 == 0 || (imm == 0 && word1);
            // Shifts that leave at most 31 significant bits, or 32 copies of the sign.
            case SRLI -> imm >= 33;
            case SRAI -> imm >= 32;
            default -> false;
        };
    }
}
