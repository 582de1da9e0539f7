package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;

import dev.rivet.cpu.Insn;
import dev.rivet.jit.Region.Block;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a region's guest registers are loaded from the hart into their JVM locals. A local is a
 * cache of {@code h.x} that may be refilled wherever the hart holds the register's value (where it
 * does not, the register is dirty: see {@link WriteBack}, which then keeps the local instead).
 * Refilling at the right places keeps locals from living across loops that do not use them: a
 * register read after an inner loop but not inside it would otherwise occupy a host register (or a
 * stack slot) for every trip of that loop, and with a few of those HotSpot spills the loop's own
 * registers too.
 *
 * <p>Registers are loaded (masks, bit r for x<i>r</i>):
 * <ul>
 *   <li>on entry through the dispatch switch, for the entry block, what it needs;</li>
 *   <li>at a <em>loop exit</em>, a block reached from inside a loop it is not part of: everything it
 *       needs, so nothing that is only read after the loop is live within it.</li>
 * </ul>
 * "Needs" is ordinary backward liveness over the region's blocks, in which a refilling block needs
 * nothing from its predecessors and exits need nothing (they leave the registers to the hart).
 */
final class Liveness {
    /** Registers to load at the start of each refilling block (block start offset to mask). */
    final Map<Integer, Integer> reloads = new HashMap<>();
    /** Registers to load when entering at each entry block through the dispatch switch. */
    final Map<Integer, Integer> entryLoads = new HashMap<>();
    /** Every register the region reads or writes (bit 0 clear). */
    final int used;
    /** By block index: the registers each block writes, and those live (and so loaded) at its start. */
    final int[] writes, liveIn;

    private Liveness(int used, int[] writes, int[] liveIn) {
        this.used = used;
        this.writes = writes;
        this.liveIn = liveIn;
    }

    static Liveness of(Region region) {
        return of(FlowGraph.of(region));
    }

    static Liveness of(FlowGraph graph) {
        return of(graph, 0);
    }

    /**
     * Liveness of the registers held in locals: those of {@code inArray} (see {@link
     * RegisterHomes}) are read and written in the hart's array and need neither loads nor
     * write-backs.
     */
    static Liveness of(FlowGraph graph, int inArray) {
        List<Block> blocks = graph.blocks;
        int count = blocks.size();
        int[] use = new int[count], def = new int[count];
        int used = 0;
        int inLocals = ~(inArray | 1);
        for (int i = 0; i < count; i++) {
            for (long d : blocks.get(i).insns) {
                int reads = reads(d) & inLocals, writes = writes(d) & inLocals;
                use[i] |= reads & ~def[i];
                def[i] |= writes;
                used |= reads | writes;
            }
        }
        boolean[] refill = loopExits(graph);
        int[] liveIn = new int[count], need = new int[count];
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int i = count - 1; i >= 0; i--) {
                int out = 0;
                for (int s : graph.successors[i]) out |= liveIn[s];
                need[i] = use[i] | (out & ~def[i]);
                int in = refill[i] ? 0 : need[i];
                if (in != liveIn[i]) {
                    liveIn[i] = in;
                    changed = true;
                }
            }
        }
        Liveness result = new Liveness(used & ~1, def, liveIn);
        for (int i = 0; i < count; i++) {
            int start = blocks.get(i).start;
            if (refill[i]) result.reloads.put(start, need[i]);
            if (graph.isEntry(i)) result.entryLoads.put(start, refill[i] ? 0 : need[i]);
        }
        return result;
    }

    /**
     * Blocks entered from inside a loop they are not part of, other than loop heads: a refill at
     * a loop's head would run on every trip of that loop. (Guest loops need not nest the way the
     * source's did: a scan whose hit jumps into the body of another loop that comes back to the
     * scan makes the scan's head an exit of that loop, passed on every step of the scan.)
     */
    private static boolean[] loopExits(FlowGraph graph) {
        boolean[] exit = new boolean[graph.size()];
        for (FlowGraph.Loop loop : graph.loops) {
            boolean[] body = loop.body();
            for (int b = 0; b < body.length; b++) {
                if (!body[b]) continue;
                for (int s : graph.successors[b]) {
                    if (!body[s] && !graph.blocks.get(s).loopHead) exit[s] = true;
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
