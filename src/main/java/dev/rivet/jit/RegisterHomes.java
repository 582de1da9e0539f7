package dev.rivet.jit;

import dev.rivet.jit.Region.Block;

/**
 * Which guest registers a region keeps in JVM locals and which it reads and writes straight in
 * the hart's array ({@code h.x}), as QEMU keeps every register in its CPU state. A host has far
 * fewer registers than the guest's 31: a loop that uses 25 guest registers leaves HotSpot to spill
 * most of its locals, and spill code (moves through vector registers, stack slots) costs more than
 * a load from the array, which the host's store forwarding serves at the speed of a register
 * move. So only the registers a region uses most, weighted by how deep in its loops each use is,
 * get locals; the rest live in the array, where every exit finds them already written.
 *
 * <p>A register used only outside the region's loops gets no local: a local is loaded from the
 * array where the region is entered and written back where it is left, which costs more than
 * the accesses it saves in straight-line code. In a switch-dispatched loop (a bytecode
 * interpreter: a jalr to the case, each case jumping back to the dispatch) every trip goes
 * through the region's dispatch switch, which writes back and reloads every local; such code
 * has no loop in the region's graph (see {@link FlowGraph}) and runs 1.8 times as fast with all
 * its registers in the array.
 */
final class RegisterHomes {
    private RegisterHomes() {}

    /** Guest registers kept in locals at most (-Drivet.jit.locals). */
    static final int LOCALS = Integer.getInteger("rivet.jit.locals", 6);
    /**
     * The same for a program's regions whose loops use no stream slots (-Drivet.jit.sparseLocals):
     * loops that compute more than they load, with many registers, such as sha256's (about 25).
     * Eight instead of six: sha256 3.50 s instead of 3.77 (faster in 6 of 6 alternating runs),
     * while matmul and sieve, whose inner loops use stream slots and few registers, ran slower
     * with eight locals everywhere (the two more went to registers of their outer loops, live
     * through the inner one). Twelve instead of eight once page slots took the TLB out of those
     * loops: sha256 3.00 s instead of 3.06 (4 of 4; warm 7989 million instructions a second
     * against 7529), and against ten 2.96 instead of 3.04 (6 of 6); sixteen was then slower (2.97
     * against 2.89, 1 of 4). Sixteen instead of twelve once logic on int results stayed int
     * operations (see InsnEmitter.logic), which left HotSpot fewer values to widen and hold:
     * sha256 1.76 s against 1.90 (8 of 8; warm 12139 against 11136), and against fourteen,
     * eighteen, twenty and twenty-four faster in 4 of 4 each (2026-12-07). Of the benchmarks'
     * regions only sha256's change (more than twelve registers in a loop); go/goroutines even (one
     * region changes), busybox's shell none.
     */
    static final int SPARSE_LOCALS = Integer.getInteger("rivet.jit.sparseLocals", 16);

    /**
     * Locals for a region: {@link #SPARSE_LOCALS} when stream slots are allowed (a program's
     * regions) and none of its loops uses them, else {@link #LOCALS}. A machine's regions keep
     * {@link #LOCALS}: with eight, boots and the in-guest runs of bench/guest-commands.txt were
     * even (each faster in 3 of 6 alternating rounds).
     */
    static int locals(boolean streamsAllowed, boolean streamedLoops) {
        return manyLiveValues(streamsAllowed, streamedLoops) ? SPARSE_LOCALS : LOCALS;
    }

    /**
     * A program's region (stream slots allowed) none of whose loops uses stream slots: loops that
     * compute more than they load, with many live values (sha256's), the regions that get
     * {@link #SPARSE_LOCALS} and {@link #writesBackEarly early write-backs}.
     */
    private static boolean manyLiveValues(boolean streamsAllowed, boolean streamedLoops) {
        return streamsAllowed && !streamedLoops;
    }

    /**
     * Whether a region's blocks write a register back to the hart's array at their last write of
     * it, when none of their successors keeps it (see {@link Gen#storeX}), rather than where they
     * end: for the regions that get {@link #SPARSE_LOCALS}, whose loops compute with more values
     * than the host has registers. A temporary written back where its block ends stays live to
     * there for the exits' sake; written back at once, its host register is free after its last
     * read. sha256 2.83 s against 2.98 (warm 7332 million guest instructions a second against 6890;
     * faster in 4 of 4 alternating runs, and in 5 of 5 when it applied everywhere), sieve 3 of 4,
     * nbody and interp even. Everywhere, matmul (whose inner loop uses stream slots and few
     * registers) ran 5 % slower, HotSpot then spilling its TLB's mask, and boots were even or
     * slower (a busybox shell loop in the guest 1.544 s against 1.415, faster in 1 of 6).
     */
    static boolean writesBackEarly(boolean streamsAllowed, boolean streamedLoops) {
        return manyLiveValues(streamsAllowed, streamedLoops);
    }

    /**
     * Whether a region's innermost loops keep their temporaries in locals, dirty, until the loop
     * is left (see {@link WriteBack}), rather than writing them back on every trip: for a program's
     * regions whose loops use stream slots, the loops with few registers, which are left to
     * {@link #LOCALS} of them (-Drivet.jit.loopTemporaries=false: never). matmul's inner loop
     * (seven instructions: two loads, a multiply-add, two pointer steps, a compare with its
     * bound) stored its two loaded values on every trip, and loaded its bound from the array,
     * which HotSpot could not keep in a register across the stores: 2.77 s against 2.95 (warm
     * 5992 million instructions a second against 5552, faster in 3 of 3 alternating runs),
     * sieve 1.67 against 1.77 (5 of 5), calls 4 of 5, nbody 3 of 5, interp 1 of 5 (1.83 against
     * 1.81), sha256 2 of 3. Keeping the temporaries of outer loops too made sha256 (in some runs
     * 3.4 s against 2.1) and nbody (0 of 3) slower: HotSpot then keeps an inner loop's
     * temporaries live through its outer loops.
     */
    static boolean keepsLoopTemporaries(boolean streamsAllowed, boolean streamedLoops) {
        return LOOP_TEMPORARIES && streamsAllowed && streamedLoops;
    }

    private static final boolean LOOP_TEMPORARIES =
            Boolean.parseBoolean(System.getProperty("rivet.jit.loopTemporaries", "true"));

    /** The registers (bit r for x<i>r</i>) that live in the hart's array, not in locals. */
    static int inArray(FlowGraph graph) {
        return inArray(graph, LOCALS);
    }

    /** As {@link #inArray(FlowGraph)}, with up to {@code locals} registers in locals. */
    static int inArray(FlowGraph graph, int locals) {
        long[] weight = new long[32];
        int touchedAll = 0;
        for (int b = 0; b < graph.size(); b++) {
            int depth = graph.cycleDepth[b];
            long w = depth == 0 ? 0 : 1L << (3 * Math.min(depth, 6));
            Block block = graph.blocks.get(b);
            for (long d : block.insns) {
                int touched = (Liveness.reads(d) | Liveness.writes(d)) & ~1;
                for (int r = 1; r < 32; r++) if ((touched & 1 << r) != 0) weight[r] += w;
                touchedAll |= touched;
            }
        }
        // The most used first, up to LOCALS of them; registers used only outside loops stay in the array.
        int kept = 0;
        for (int n = 0; n < locals; n++) {
            int best = -1;
            for (int r = 1; r < 32; r++) {
                if (weight[r] > 0 && (best < 0 || weight[r] > weight[best])) best = r;
            }
            if (best < 0) break;
            kept |= 1 << best;
            weight[best] = 0;
        }
        return touchedAll & ~kept;
    }
}
