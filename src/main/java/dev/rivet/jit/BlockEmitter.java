package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;
import static dev.rivet.jit.Gen.*;

import dev.rivet.cpu.Insn;
import dev.rivet.jit.Region.Block;
import dev.rivet.jit.Region.End;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Emits the blocks of a region's method: the budget check and register loads at a block's start,
 * its instructions ({@link InsnEmitter}), and its end: a branch or jump to another block of the
 * region is a JVM goto, anything else an exit. An edge into a block writes back the dirty
 * registers that block does not keep ({@link WriteBack}): inline on the path that falls through
 * (or jumps back to a loop head), in an out-of-line stub on the other.
 */
final class BlockEmitter {
    /** -Drivet.jit.nestCalls=false: guest calls leave the region, as every other jump off it does. */
    private static final boolean NEST_CALLS = Boolean.parseBoolean(System.getProperty("rivet.jit.nestCalls", "true"));
    private final Gen g;
    private final CodeBuilder cb;
    private final FlowGraph graph;
    private final WriteBack writeBack;
    private final Map<Integer, Label> labels;
    private final Label exitT1;
    /** Leaves the region with pc already set (see {@link CompiledRegion#PC_SET}). */
    private final Label exitPcSet;
    /** Guest calls emitted as nested calls (see {@link #nestedCall}). */
    int nestedCalls;
    /** Edge stubs: (registers to write back, target block start) to their label. */
    private final Map<Long, Label> edgeStubs = new LinkedHashMap<>();

    BlockEmitter(Gen g, FlowGraph graph, WriteBack writeBack, Map<Integer, Label> labels, Label exitT1,
            Label exitPcSet) {
        this.g = g;
        this.cb = g.cb;
        this.graph = graph;
        this.writeBack = writeBack;
        this.labels = labels;
        this.exitT1 = exitT1;
        this.exitPcSet = exitPcSet;
    }

    /**
     * Emits block {@code index}. {@code reach}: instructions to check the budget for here (see
     * BudgetChecks), 0 for none; {@code reload}: registers to load from the hart at its start;
     * {@code words}: registers holding words there (see WordValues).
     */
    void block(int index, int reach, int reload, int words) {
        Block b = graph.blocks.get(index);
        Block following = index + 1 < graph.size() ? graph.blocks.get(index + 1) : null;
        int length = b.length();
        // No attention check at loop heads: the budget (a slice of at most a few hundred thousand
        // instructions) already ends every loop soon, and the dispatcher looks after each region.
        if (reach > 0) {
            Label leave = g.exitTo(b.start, 0);
            // left < reach: a loop whose exit test compares its counter with a constant is a
            // counted loop to HotSpot, which then polls for safepoints once per thousand trips
            // rather than on every trip. A tight loop gains the most: matmul's inner loop (7
            // guest instructions) compiled to 52 host instructions instead of 58, and ran 21 %
            // faster (2.56 s against 3.24 s, medians of 8 alternating runs, faster in 8 of 8);
            // sieve, sha256 and nbody stayed within the host's noise (3-4 of 8; interp, whose
            // switch-dispatched regions already tested so, 5 of 8). Such a loop may be compiled
            // twice: first with a guard at its entry that fails now and then
            // (-Xlog:deoptimization: loop_limit_check), then without it.
            cb.iload(LEFT);
            cb.loadConstant(reach);
            cb.if_icmplt(leave);
        }
        cb.iinc(LEFT, -length);
        g.reload(reload);
        g.fpChecked = Gen.FP_UNCHECKED;
        g.rotates.clear();
        g.words = words;
        g.intResults = 0;
        g.streamed = g.streamedBlocks[index];
        // A streamed block is part of a loop (see MemoryEmitter.streamedBlocks).
        g.inLoop = graph.cycleDepth[index] > 0;
        g.steppedBases = g.inLoop ? MemoryEmitter.steppedByRegister(b) : 0;

        int last = b.end == End.FALL ? length : length - 1;
        // Each register's last write in the block, where no successor keeps it (see Gen.storeX);
        // the block's last instruction (a branch or jump, or a link register's write) is left out.
        int[] writeBackAt = new int[last];
        int pending = g.earlyWriteBacks ? writeBack.keptByNoSuccessor(graph, index) & ~g.inArray & ~1 : 0;
        for (int k = last - 1; k >= 0; k--) {
            int w = Liveness.writes(b.insns.get(k)) & pending;
            writeBackAt[k] = w;
            pending &= ~w;
        }
        // Access groups where the way of an access does not depend on the accesses before it in
        // the region: not in loop blocks that use page slots, which the first accesses take.
        boolean grouped = g.accessGroups && (g.streamed || !g.inLoop);
        AccessGroups.Member[] groups = grouped ? AccessGroups.of(b) : new AccessGroups.Member[length];
        g.checkedGroup = -1;
        for (int k = 0; k < last; k++) {
            g.writeBackNow = writeBackAt[k];
            g.group = groups[k];
            g.index = k;
            g.off = b.offsets.get(k);
            // Line numbers are page offsets: a profile of translated code names guest instructions.
            cb.lineNumber(g.off);
            g.undoBefore = length - k;
            g.intResult = false;
            InsnEmitter.emit(g, b.insns.get(k));
            int written = Liveness.writes(b.insns.get(k)) & ~1;
            g.intResults = g.intResult ? g.intResults | written : g.intResults & ~written;
            g.rotates.after(b.insns.get(k));
            g.words = WordValues.after(b.insns.get(k), g.words);
            g.endTrapRange();
        }
        g.writeBackNow = 0;
        g.group = null;
        if (b.end == End.FALL) {
            continueAt(b.next, following);
            return;
        }
        long d = b.insns.get(length - 1);
        g.off = b.offsets.get(length - 1);
        cb.lineNumber(g.off);
        g.undoBefore = 1;
        int op = Insn.op(d);
        int rd = Insn.rd(d);
        switch (b.end) {
            case BRANCH -> {
                int rs1 = Insn.rs1(d), rs2 = Insn.rs2(d);
                boolean ints = comparesInts(op, rs1, rs2);
                g.loadX(rs1, ints);
                g.loadX(rs2, ints);
                // Two ints are compared by the branch itself; two longs first, to a comparison result.
                if (!ints) {
                    if (op == BLTU || op == BGEU) g.invokeStatic(LONG, "compareUnsigned", "(JJ)I");
                    else cb.lcmp();
                }
                if (b.jumpsBack) {
                    // A loop's back edge: branch around an unconditional goto, so that the JVM
                    // state at the back edge (where HotSpot polls for safepoints) has an empty
                    // operand stack; a comparison result left on it there would be computed
                    // into a register on every trip just to be recorded.
                    branch(inverse(op), ints, edge(b.next));
                    continueAt(b.target, null);
                } else {
                    branch(op, ints, edge(b.target));
                    continueAt(b.next, following);
                }
            }
            case JAL -> {
                linkRegister(rd, b.next);
                if (callsNested(rd, b) && graph.indexOf(b.target) < 0) {
                    g.writeBack(g.dirty());
                    cb.lload(PCBASE);
                    cb.loadConstant(b.target);
                    cb.ladd();
                    cb.lstore(T1);
                    nestedCall(b.next);
                } else {
                    continueAt(b.target, null);
                }
            }
            case JALR -> {
                g.address(Insn.rs1(d), Insn.imm(d));
                cb.loadConstant(~1L);
                cb.land();
                cb.lstore(T1);
                linkRegister(rd, b.next);
                // Both ways out (the dispatch switch loads from the hart) need every register there.
                g.writeBack(g.dirty());
                // A target on this page goes through the dispatch switch; anything else leaves.
                cb.lload(T1);
                cb.lload(PCBASE);
                cb.lsub();
                cb.dup2();
                cb.lstore(T2);
                cb.loadConstant(12);
                cb.lushr();
                cb.lconst_0();
                cb.lcmp();
                boolean nested = callsNested(rd, b);
                Label offPage = nested ? cb.newLabel() : exitT1;
                cb.ifne(offPage);
                cb.lload(T2);
                cb.l2i();
                cb.iconst_1();
                cb.iushr();
                cb.istore(SLOT);
                cb.goto_(g.dispatch);
                if (nested) {
                    g.bind(offPage);
                    nestedCall(b.next);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * True when the jump ending {@code b} is a guest call (it links a return address) to be run
     * nested: its return point is an entry of the region, where the region goes on through its
     * dispatch when the callee returns.
     */
    private boolean callsNested(int rd, Block b) {
        return NEST_CALLS && rd != 0 && graph.region.entries.contains(b.next);
    }

    /**
     * A guest call to the pc in T1 off the region, every register written back: run nested by
     * {@link CompiledRegion#call}, after which the region goes on at its return point {@code next}
     * through the dispatch switch (which reloads what that entry needs and checks attention and
     * the budget) with its page slots emptied, or leaves with pc set.
     */
    private void nestedCall(int next) {
        nestedCalls++;
        cb.aload(THIS);
        cb.aload(H);
        cb.lload(T1);
        cb.lload(PCBASE);
        cb.loadConstant((long) next);
        cb.ladd();
        cb.iload(LEFT);
        g.invokeStatic(RegionCompiler.BASE, "call", "(Ldev/rivet/jit/CompiledRegion;Ldev/rivet/cpu/Hart;JJI)I");
        // AT (a trap handler's, set before every use there) holds the result a moment.
        cb.dup();
        cb.istore(AT);
        cb.iflt(exitPcSet);
        cb.iload(AT);
        cb.istore(LEFT);
        // The callee's atomics may have replaced a copy-on-write page in the TLB (see
        // MemoryEmitter.emptyPageSlots): the region's page slots start over.
        MemoryEmitter.emptyPageSlots(g);
        cb.loadConstant(next >>> 1);
        cb.istore(SLOT);
        cb.goto_(g.dispatch);
    }

    /** Emits the edge stubs requested so far: each writes back its registers and jumps on. */
    void emitEdgeStubs() {
        for (var stub : edgeStubs.entrySet()) {
            g.bind(stub.getValue());
            g.writeBack((int) (stub.getKey() >>> 32));
            cb.goto_(labels.get((int) (long) stub.getKey()));
        }
    }

    /**
     * The label that takes the edge from here to page offset {@code target}: the block itself, a
     * stub that first writes back what it does not keep, or an exit (which writes back everything).
     */
    private Label edge(long target) {
        int s = graph.indexOf(target);
        if (s < 0) return g.exitTo(target, 0);
        int mask = writeBack.onEdge(g.dirty(), s);
        if (mask == 0) return labels.get((int) target);
        return edgeStubs.computeIfAbsent((long) mask << 32 | target, k -> cb.newLabel());
    }

    /**
     * Continues at {@code target} with an inline write-back: a goto, or nothing if it is the
     * {@code following} block (null when control may not fall through: a loop's back edge, a jal).
     */
    private void continueAt(long target, Block following) {
        int s = graph.indexOf(target);
        if (s < 0) {
            cb.goto_(g.exitTo(target, 0));
            return;
        }
        g.writeBack(writeBack.onEdge(g.dirty(), s));
        if (following == null || following.start != target) cb.goto_(labels.get((int) target));
    }

    /** Whether signed branches on words compare ints where they may (-Drivet.jit.intCompares=false: never). */
    static final boolean INT_COMPARES = Boolean.parseBoolean(System.getProperty("rivet.jit.intCompares", "true"));

    /**
     * Whether a signed branch compares its registers as ints: both hold words (see WordValues), so
     * their low halves compare as the longs do, and an int operation of the block computed at least
     * one of them (see Gen.intResults), which as a long HotSpot would first sign-extend. sha256
     * (a program) 1.75 s against 1.84 (5 of 5) and 1.72 against 1.78 (6 of 6); a program's
     * regions only: in a machine's, boots and the in-guest sha256sum ran slower (1 of 6 each).
     */
    private boolean comparesInts(int op, int rs1, int rs2) {
        if (!g.intCompares || op == BLTU || op == BGEU) return false;
        int both = 1 << rs1 | 1 << rs2;
        return (g.words & both) == both && (g.intResults & both) != 0;
    }

    /**
     * Jumps to {@code to} if the comparison on the stack meets op: of the two ints there
     * ({@code ints}), or of the comparison result there (lcmp / compareUnsigned).
     */
    private void branch(int op, boolean ints, Label to) {
        if (ints) {
            switch (op) {
                case BEQ -> cb.if_icmpeq(to);
                case BNE -> cb.if_icmpne(to);
                case BLT -> cb.if_icmplt(to);
                default -> cb.if_icmpge(to);
            }
            return;
        }
        switch (op) {
            case BEQ -> cb.ifeq(to);
            case BNE -> cb.ifne(to);
            case BLT, BLTU -> cb.iflt(to);
            default -> cb.ifge(to);
        }
    }

    /** The branch taken exactly when {@code op} is not. */
    private static int inverse(int op) {
        return switch (op) {
            case BEQ -> BNE;
            case BNE -> BEQ;
            case BLT -> BGE;
            case BGE -> BLT;
            case BLTU -> BGEU;
            default -> BLTU;
        };
    }

    private void linkRegister(int rd, int next) {
        if (rd == 0) return;
        cb.lload(PCBASE);
        cb.loadConstant((long) next);
        cb.ladd();
        g.storeX(rd);
    }
}
