package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;

import dev.rivet.cpu.Insn;
import dev.rivet.jit.Region.Block;
import dev.rivet.jit.Region.End;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a region's guest registers are loaded from the hart into their JVM locals. Registers are
 * written through to {@code h.x} at once (see {@link Gen#storeX}), so {@code h.x} is always
 * current and a local is only a cache that may be refilled anywhere. Refilling at the right places
 * keeps locals from living across loops that do not use them: a register read after an inner
 * loop but not inside it would otherwise occupy a host register (or a stack slot) for every trip
 * of that loop, and with a few of those HotSpot spills the loop's own registers too.
 *
 * <p>Registers are loaded (masks, bit r for x<i>r</i>):
 * <ul>
 *   <li>on entry through the dispatch switch, for the entry block, what it needs;</li>
 *   <li>at a <em>loop exit</em>, a block reached from inside a loop it is not part of: everything it
 *       needs, so nothing that is only read after the loop is live within it.</li>
 * </ul>
 * "Needs" is ordinary backward liveness over the region's blocks, in which a refilling block needs
 * nothing from its predecessors and exits need nothing (the hart already holds every register).
 */
final class Liveness {
    /** Registers to load at the start of each refilling block (block start offset to mask). */
    final Map<Integer, Integer> reloads = new HashMap<>();
    /** Registers to load when entering at each entry block through the dispatch switch. */
    final Map<Integer, Integer> entryLoads = new HashMap<>();
    /** Every register the region reads or writes (bit 0 clear). */
    final int used;

    private Liveness(int used) {
        this.used = used;
    }

    static Liveness of(Region region) {
        List<Block> blocks = new ArrayList<>(region.blocks.values());
        int count = blocks.size();
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < count; i++) index.put(blocks.get(i).start, i);

        int[] use = new int[count], def = new int[count];
        int used = 0;
        for (int i = 0; i < count; i++) {
            for (long d : blocks.get(i).insns) {
                int reads = reads(d) & ~1, writes = writes(d) & ~1;
                use[i] |= reads & ~def[i];
                def[i] |= writes;
                used |= reads | writes;
            }
        }
        int[][] successors = new int[count][];
        List<List<Integer>> predecessors = new ArrayList<>();
        for (int i = 0; i < count; i++) predecessors.add(new ArrayList<>());
        for (int i = 0; i < count; i++) {
            successors[i] = successors(blocks.get(i), index);
            for (int s : successors[i]) predecessors.get(s).add(i);
        }

        boolean[] refill = loopExits(successors, predecessors, blocks);
        int[] liveIn = new int[count], need = new int[count];
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int i = count - 1; i >= 0; i--) {
                int out = 0;
                for (int s : successors[i]) out |= liveIn[s];
                need[i] = use[i] | (out & ~def[i]);
                int in = refill[i] ? 0 : need[i];
                if (in != liveIn[i]) {
                    liveIn[i] = in;
                    changed = true;
                }
            }
        }
        Liveness result = new Liveness(used & ~1);
        for (int i = 0; i < count; i++) {
            int start = blocks.get(i).start;
            if (refill[i]) result.reloads.put(start, need[i]);
            if (region.entries.contains(start)) result.entryLoads.put(start, refill[i] ? 0 : need[i]);
        }
        return result;
    }

    /** Successor blocks inside the region (a jalr's go through the dispatch, which loads its own). */
    private static int[] successors(Block b, Map<Integer, Integer> index) {
        List<Integer> out = new ArrayList<>(2);
        if (b.end == End.FALL || b.end == End.BRANCH) add(out, index, b.next);
        if (b.end == End.BRANCH || b.end == End.JAL) add(out, index, b.target);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void add(List<Integer> out, Map<Integer, Integer> index, long offset) {
        Integer i = offset >= 0 && offset < dev.rivet.mem.Page.SIZE ? index.get((int) offset) : null;
        if (i != null && !out.contains(i)) out.add(i);
    }

    /**
     * Blocks entered from inside a loop they are not part of. A loop is the natural loop of a
     * backward edge p → h (h at or before p): h and every block that reaches p without passing h.
     */
    private static boolean[] loopExits(int[][] successors, List<List<Integer>> predecessors, List<Block> blocks) {
        int count = blocks.size();
        boolean[] exit = new boolean[count];
        for (int p = 0; p < count; p++) {
            for (int h : successors[p]) {
                if (blocks.get(h).start > blocks.get(p).start) continue;
                boolean[] body = new boolean[count];
                body[h] = true;
                ArrayDeque<Integer> work = new ArrayDeque<>();
                if (!body[p]) {
                    body[p] = true;
                    work.push(p);
                }
                while (!work.isEmpty()) {
                    for (int q : predecessors.get(work.pop())) {
                        if (!body[q]) {
                            body[q] = true;
                            work.push(q);
                        }
                    }
                }
                for (int b = 0; b < count; b++) {
                    if (!body[b]) continue;
                    for (int s : successors[b]) if (!body[s]) exit[s] = true;
                }
            }
        }
        return exit;
    }

    /** Integer registers an instruction may read (a superset is safe: it only loads more). */
    static int reads(long d) {
        int op = Insn.op(d);
        if (op >= FLW && op <= FMV_D_X) {
            return switch (op) {
                case FLW, FLD, FSW, FSD, FCVT_S_W, FCVT_S_WU, FCVT_S_L, FCVT_S_LU, FMV_W_X,
                     FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU, FMV_D_X -> 1 << Insn.rs1(d);
                default -> 0;
            };
        }
        return 1 << Insn.rs1(d) | 1 << Insn.rs2(d);
    }

    /**
     * Integer registers an instruction writes: exactly those its translation stores through
     * {@link Gen#storeX} (a superset would be unsound here: liveness would treat a register as
     * overwritten that still holds its earlier value).
     */
    static int writes(long d) {
        int op = Insn.op(d);
        if (op >= FLW && op <= FMV_D_X) return FloatEmitter.writesX(op) ? 1 << Insn.rd(d) : 0;
        boolean noRd = (op >= BEQ && op <= BGEU) || (op >= SB && op <= SD) || op == FENCE;
        return noRd ? 0 : 1 << Insn.rd(d);
    }
}
