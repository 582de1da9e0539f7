package dev.rivet.jit;

import java.util.Arrays;

/**
 * Where a region writes its guest registers back from JVM locals to the hart ({@code h.x}). A
 * register written in translated code is <em>dirty</em> (its local is newer than the hart's
 * copy) until written back; everything dirty is written back wherever control leaves the region:
 * an exit (by its exit stub), a trap or memory access left to the interpreter (by the exception
 * handler of the trapping instruction), a jalr through the dispatch switch. Inside the region a
 * register may stay dirty across an edge only into a block that <em>keeps</em> it:
 *
 * <ul>
 *   <li>a block keeps the registers carried around each loop it is in: written in the loop and
 *       live at its head (induction variables, accumulators), which are live throughout the loop
 *       anyway, so keeping them costs no host register and saves a store on every trip;</li>
 *   <li>a temporary of a loop (dead at its head) is written back at the end of its block instead:
 *       keeping it dirty would keep it live across the whole loop for the exits' sake. Except, with
 *       {@code loopTemporaries}, in an innermost loop, whose few registers leave the host room:
 *       there its stores, to the hart's array, also kept HotSpot from keeping anything else of
 *       that array in a register across the loop (a store to a {@code long[]} may change any
 *       element, for all HotSpot knows), such as the loop's bound;</li>
 *   <li>a block keeps a register only where its local holds the guest value on every path into
 *       the block (it may be entered from the dispatch switch without it, unless the entry loads
 *       it: {@link #entryLoads}, {@link #blockLoads}), so that an exit can always write back
 *       everything that may be dirty.</li>
 * </ul>
 *
 * All masks have bit r for x<i>r</i>; arrays are indexed as {@link FlowGraph#blocks}.
 */
final class WriteBack {
    /** Registers that may be dirty at the start of each block. */
    final int[] dirtyIn;
    /** Registers that may stay dirty on an edge into each block; the rest are written back on it. */
    final int[] keep;
    /**
     * Registers an entry from the dispatch switch loads, for each entry block, beyond those it
     * reads ({@link Liveness#entryLoads}): the temporaries of the innermost loop it is part of, so
     * that they hold the guest value there and the loop can keep them.
     */
    final int[] entryLoads;
    /**
     * Registers each block loads at its start beyond {@link Liveness#reloads}: a block that leads
     * into an innermost loop from outside loads the loop's temporaries (once per entry of the
     * loop), for the same reason.
     */
    final int[] blockLoads;

    private WriteBack(int[] dirtyIn, int[] keep, int[] entryLoads, int[] blockLoads) {
        this.dirtyIn = dirtyIn;
        this.keep = keep;
        this.entryLoads = entryLoads;
        this.blockLoads = blockLoads;
    }

    /**
     * Registers that every way out of {@code block} writes back: kept by none of its successors
     * in the region (ways out of the region write back everything).
     */
    int keptByNoSuccessor(FlowGraph graph, int block) {
        int kept = 0;
        for (int s : graph.successors[block]) kept |= keep[s];
        return ~kept;
    }

    /** Registers an edge into {@code block} must write back, when {@code dirty} may be dirty before it. */
    int onEdge(int dirty, int block) {
        return dirty & ~keep[block];
    }

    /** {@code loopTemporaries}: innermost loops keep their temporaries too (see above). */
    static WriteBack of(FlowGraph graph, Liveness liveness, boolean loopTemporaries) {
        int count = graph.size();
        int[] keep = new int[count];
        // Loaded whether or not the pruning below leaves them kept: validity assumes they are.
        int[] entryLoads = new int[count], blockLoads = new int[count];
        for (FlowGraph.Loop loop : graph.loops) {
            boolean[] body = loop.body();
            int written = 0;
            for (int b = 0; b < count; b++) if (body[b]) written |= liveness.writes[b];
            int carried = written & liveness.liveIn[loop.header()];
            if (loopTemporaries && graph.isInnermost(loop)) {
                int temporaries = written & ~carried;
                carried = written;
                for (int p : graph.predecessors[loop.header()]) if (!body[p]) blockLoads[p] |= temporaries;
                for (int b = 0; b < count; b++) if (body[b] && graph.isEntry(b)) entryLoads[b] |= temporaries;
            }
            for (int b = 0; b < count; b++) if (body[b]) keep[b] |= carried;
        }
        int[] valid = validAtStart(graph, liveness, entryLoads, blockLoads);
        while (true) {
            int[] dirtyIn = dirtyAtStart(graph, liveness, keep);
            boolean pruned = false;
            for (int b = 0; b < count; b++) {
                int unsafe = dirtyIn[b] & ~valid[b];
                if (unsafe != 0) {
                    keep[b] &= ~unsafe;
                    pruned = true;
                }
            }
            if (!pruned) return new WriteBack(dirtyIn, keep, entryLoads, blockLoads);
        }
    }

    /**
     * Registers whose local holds the guest value at the start of each block on every path: loaded
     * on entry from the dispatch switch ({@code entryLoads} as well as what the entry reads) or at a
     * refilling block (or a block with {@code blockLoads}), or written, on the way there.
     */
    private static int[] validAtStart(FlowGraph graph, Liveness liveness, int[] entryLoads, int[] blockLoads) {
        int count = graph.size();
        int[] in = new int[count], out = new int[count];
        Arrays.fill(in, ~0);
        Arrays.fill(out, ~0);
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int b = 0; b < count; b++) {
                int start = graph.blocks.get(b).start;
                int v = graph.isEntry(b) ? liveness.entryLoads.getOrDefault(start, 0) | entryLoads[b] : ~0;
                for (int p : graph.predecessors[b]) v &= out[p];
                int o = v | liveness.reloads.getOrDefault(start, 0) | blockLoads[b] | liveness.writes[b];
                if (v != in[b] || o != out[b]) {
                    in[b] = v;
                    out[b] = o;
                    changed = true;
                }
            }
        }
        return in;
    }

    /** Registers that may be dirty at the start of each block, given what each block keeps. */
    private static int[] dirtyAtStart(FlowGraph graph, Liveness liveness, int[] keep) {
        int count = graph.size();
        int[] in = new int[count];
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int b = 0; b < count; b++) {
                int d = 0;
                for (int p : graph.predecessors[b]) d |= (in[p] | liveness.writes[p]) & keep[b];
                if (d != in[b]) {
                    in[b] = d;
                    changed = true;
                }
            }
        }
        return in;
    }
}
