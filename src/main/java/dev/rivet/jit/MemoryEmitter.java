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
 * costs a refill.
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
     * Loads with {@code method} (a {@link Memory} load: lb, lbu, lh, lhu, lw, lwu, ld) at x[rs1] +
     * imm into x[rd] ({@code toF} false) or f[rd] ({@code toF}; a 4-byte value is NaN-boxed).
     */
    static void load(Gen g, String method, int rs1, int imm, boolean toF, int rd) {
        CodeBuilder cb = g.cb;
        if (toF) {
            cb.aload(FS);
            cb.loadConstant(rd);
        }
        if (g.streamed) {
            cb.aload(STREAMS);
            cb.loadConstant(g.readSlots++ % JitAccess.STREAM_SLOTS);
        }
        cb.aload(RTLB);
        g.address(rs1, imm);
        g.invokeStatic(MEMORY, method, g.streamed ? LOAD_STREAM : LOAD);
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
        if (g.streamed) {
            cb.aload(STREAMS);
            cb.loadConstant(JitAccess.STREAM_SLOTS + g.writeSlots++ % JitAccess.STREAM_SLOTS);
        }
        cb.aload(WTLB);
        g.address(rs1, imm);
        if (fromF) g.loadF(rs2);
        else g.loadX(rs2);
        g.invokeStatic(MEMORY, method, g.streamed ? STORE_STREAM : STORE);
    }
}
