package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;

import dev.rivet.cpu.Insn;
import dev.rivet.jit.Region.Block;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

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
 * the registers that the region's loops write, always as words (a loop's rotated values), and
 * whose being words a {@code sext.w} will use. The entry stub tests them ({@code x == (int) x})
 * and leaves to the interpreter if one is not a word; the interpreter runs on to the next branch
 * (a loop's next trip), and the next entry finds them words.
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
        int[] demanded = demanded(graph);
        // An entry checks only registers that the loops reachable from it write: a check pays
        // for itself over a loop's trips, not on one pass through straight code; and a register
        // a loop only reads (a pointer, a bound) comes from wherever the region was entered, so
        // a check that failed there would fail on every entry.
        boolean[][] loopsAhead = new boolean[count][];
        int[] candidates = new int[count];
        for (int e = 0; e < count; e++) {
            if (!graph.isEntry(e)) continue;
            loopsAhead[e] = loopBlocksReachable(graph, e);
            for (int b = 0; b < count; b++) {
                if (loopsAhead[e][b]) for (long d : graph.blocks.get(b).insns) candidates[e] |= Liveness.writes(d);
            }
            candidates[e] &= ~1;
        }
        int[] guards = new int[count];
        while (true) {
            for (int b = 0; b < count; b++) guards[b] = graph.isEntry(b) ? demanded[b] & candidates[b] : 0;
            int[] in = solve(graph, guards);
            // Keep the candidates that every write in those loops leaves a word, given the checks.
            int[] nonWords = new int[count];
            for (int b = 0; b < count; b++) {
                if (graph.cycleDepth[b] == 0) continue;
                int words = in[b];
                for (long d : graph.blocks.get(b).insns) {
                    words = after(d, words);
                    nonWords[b] |= Liveness.writes(d) & ~words;
                }
            }
            boolean changed = false;
            for (int e = 0; e < count; e++) {
                if (loopsAhead[e] == null) continue;
                int kept = candidates[e];
                for (int b = 0; b < count; b++) if (loopsAhead[e][b]) kept &= ~nonWords[b];
                if (kept != candidates[e]) {
                    candidates[e] = kept;
                    changed = true;
                }
            }
            if (!changed) return new WordValues(in, guards);
        }
    }

    /** The blocks in loops that can be reached from {@code from}. */
    private static boolean[] loopBlocksReachable(FlowGraph graph, int from) {
        boolean[] seen = new boolean[graph.size()];
        ArrayDeque<Integer> work = new ArrayDeque<>();
        seen[from] = true;
        work.push(from);
        while (!work.isEmpty()) {
            for (int s : graph.successors[work.pop()]) {
                if (!seen[s]) {
                    seen[s] = true;
                    work.push(s);
                }
            }
        }
        for (int b = 0; b < seen.length; b++) seen[b] &= graph.cycleDepth[b] > 0;
        return seen;
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
     * Registers whose being a word a {@code sext.w} of the region uses, from the start of each
     * block on: those it reads before they are written, and those a {@code mv} or logic on words
     * makes such a register from (a loop that passes its words along with {@code mv} needs the
     * first of them checked).
     */
    private static int[] demanded(FlowGraph graph) {
        int count = graph.size();
        int[] in = new int[count];
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int b = count - 1; b >= 0; b--) {
                int v = 0;
                for (int s : graph.successors[b]) v |= in[s];
                List<Long> insns = graph.blocks.get(b).insns;
                for (int k = insns.size() - 1; k >= 0; k--) v = demandedBefore(insns.get(k), v);
                if (v != in[b]) {
                    in[b] = v;
                    changed = true;
                }
            }
        }
        return in;
    }

    /** The registers demanded before {@code d}, given those demanded after it. */
    private static int demandedBefore(long d, int after) {
        int op = Insn.op(d), written = Liveness.writes(d) & ~1;
        int rs1 = 1 << Insn.rs1(d), rs2 = 1 << Insn.rs2(d), imm = Insn.imm(d);
        int before = after & ~written;
        if (op == ADDIW && imm == 0) return (before | rs1) & ~1;
        if ((after & written) == 0) return before;
        int sources = switch (op) {
            case ADDI -> imm == 0 ? rs1 : 0;
            case ADD -> rs1 == 1 || rs2 == 1 ? rs1 | rs2 : 0;
            case AND, OR, XOR -> rs1 | rs2;
            case ORI, XORI, ANDI -> rs1;
            default -> 0;
        };
        return (before | sources) & ~1;
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
            // li and mv (c.mv is an add to x0).
            case ADDI -> rs1 == 0 || (imm == 0 && word1);
            case ADD -> (rs1 == 0 && word2) || (rs2 == 0 && word1);
            // Shifts that leave at most 31 significant bits, or 32 copies of the sign.
            case SRLI -> imm >= 33;
            case SRAI -> imm >= 32;
            default -> false;
        };
    }
}
