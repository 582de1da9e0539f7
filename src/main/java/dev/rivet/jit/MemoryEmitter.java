package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;
import static dev.rivet.jit.Gen.*;

import dev.rivet.cpu.Insn;
import dev.rivet.cpu.JitAccess;

import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;

/**
 * Emits loads and stores as one call each to {@link Memory}, whose TLB fast path HotSpot inlines;
 * everything else leaves the access to the interpreter ({@link LeaveToInterpreter}). A store
 * that changes code always takes that way (pages holding code are never in the write TLB), so a
 * translated store needs no check for self-modifying code.
 *
 * <p>In a block of a loop where at least a fifth of the instructions are loads and stores, each
 * goes through a stream slot of its own first ({@link Memory}): matmul (its inner loop two loads
 * in seven instructions) ran at 4078 million guest instructions a second instead of 3359, sieve at
 * 2056 instead of 1650 (medians of alternating full runs). Loops sparse in accesses keep the TLB
 * alone: with slots for every access in loops (the slots' array one more value live in each)
 * sha256 took 3.96 s instead of 3.65, and with slots everywhere interp 2.85 s instead of 2.34.
 * Slots are handed out in order within a region and shared between regions; a clash only
 * costs a refill. An access whose base register the block steps by another register keeps the
 * TLB alone (see {@link #steppedByRegister}).
 */
final class MemoryEmitter {
    private MemoryEmitter() {}

    private static final ClassDesc MEMORY = ClassDesc.of(Memory.class.getName());
    private static final String LOAD = "([JJ)J";
    private static final String STORE = "([JJJ)V";
    private static final String LOAD_STREAM = "([JI[JJ)J";
    private static final String STORE_STREAM = "([JI[JJJ)V";

    /**
     * By block of {@code graph}: whether its loads and stores go through stream slots (a block of
     * a loop, dense in them); none if {@code allowed} is false.
     */
    static boolean[] streamedBlocks(FlowGraph graph, boolean allowed) {
        boolean[] streamed = new boolean[graph.size()];
        for (int i = 0; allowed && i < graph.size(); i++) {
            if (graph.cycleDepth[i] == 0) continue;
            Region.Block block = graph.blocks.get(i);
            int accesses = 0;
            for (long d : block.insns) {
                int op = Insn.op(d);
                if ((op >= LB && op <= LWU) || (op >= SB && op <= SD)) accesses++;
            }
            streamed[i] = 5 * accesses >= block.length();
        }
        return streamed;
    }

    /**
     * The registers (bit r for x<i>r</i>) that {@code b} steps by another register ({@code add r,
     * r, s}): a stride the translator cannot know. An access based on one takes the TLB's way
     * without a stream slot: matmul's column walk (8 bytes times the row's length a step) reaches
     * a new page every one or two trips, and the slot's hit-or-miss branch, taken in no pattern
     * the host predicts, cost more than the TLB's lookup, which always hits: matmul ran 3.64 s
     * instead of 4.20 (warm MIPS 4815 against 4083; faster in 4 of 4 alternating full runs),
     * sha256 faster in 3 of 3, sieve (whose marking loop's address is a sum, not a stepped
     * register) 3 of 5, interp 2 of 3, nbody 1 of 3 (2.63 against 2.62 s).
     */
    static int steppedByRegister(Region.Block b) {
        int mask = 0;
        for (long d : b.insns) {
            int op = Insn.op(d), rd = Insn.rd(d), rs1 = Insn.rs1(d), rs2 = Insn.rs2(d);
            if (op == ADD && rd != 0 && rs1 != 0 && rs2 != 0 && (rd == rs1) != (rd == rs2)) mask |= 1 << rd;
        }
        return mask;
    }

    /** Whether an access at x[rs1] + imm in the current block goes through a stream slot first. */
    private static boolean usesSlot(Gen g, int rs1) {
        return g.streamed && (g.steppedBases & 1 << rs1) == 0;
    }

    /**
     * Loads with {@code method} (a {@link Memory} load: lb, lbu, lh, lhu, lw, lwu, ld) at x[rs1] +
     * imm into x[rd] ({@code toF} false) or f[rd] ({@code toF}; a 4-byte value is NaN-boxed).
     */
    static void load(Gen g, String method, int rs1, int imm, boolean toF, int rd) {
        CodeBuilder cb = g.cb;
        if (toF) {
            cb.aload(FS);
            cb.loadConstant(rd);
        }
        boolean slot = usesSlot(g, rs1);
        if (slot) {
            cb.aload(STREAMS);
            cb.loadConstant(g.readSlots++ % JitAccess.STREAM_SLOTS);
        }
        cb.aload(RTLB);
        g.address(rs1, imm);
        g.invokeStatic(MEMORY, method, slot ? LOAD_STREAM : LOAD);
        if (!toF) {
            g.storeX(rd);
            return;
        }
        if (method.equals("lwu")) {
            cb.l2i();
            g.invokeStatic(FPU, "box", "(I)J");
        }
        cb.lastore();
    }

    /**
     * Stores with {@code method} (sb, sh, sw, sd) the low bytes of x[rs2] ({@code fromF} false) or
     * f[rs2] at x[rs1] + imm.
     */
    static void store(Gen g, String method, int rs1, int imm, boolean fromF, int rs2) {
        CodeBuilder cb = g.cb;
        boolean slot = usesSlot(g, rs1);
        if (slot) {
            cb.aload(STREAMS);
            cb.loadConstant(JitAccess.STREAM_SLOTS + g.writeSlots++ % JitAccess.STREAM_SLOTS);
        }
        cb.aload(WTLB);
        g.address(rs1, imm);
        if (fromF) g.loadF(rs2);
        else g.loadX(rs2);
        g.invokeStatic(MEMORY, method, slot ? STORE_STREAM : STORE);
    }
}
