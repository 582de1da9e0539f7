package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;
import static dev.rivet.jit.Gen.*;

import dev.rivet.cpu.Insn;
import dev.rivet.cpu.JitAccess;
import dev.rivet.cpu.TlbTable;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
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
 *
 * <p>In the other blocks of loops, the first {@link #MAX_PAGE_SLOTS} accesses of a region each
 * get a <em>page slot</em>: two JVM locals of the region's method holding the page its last
 * access used and the addend there, so that a hit is a mask, a comparison with a local and an
 * addition, with neither the TLB's index computed nor its array needed. A page slot lives for
 * one call of the region and is filled from the TLB, which nothing but the atomics changes while
 * translated code runs (fills, flushes and evictions happen in the interpreter, after the region
 * has returned, or after the nested call whose callee left to it has made its caller return too;
 * after an atomic, and after a nested call, the slots are emptied, see {@link #emptyPageSlots}), so
 * it is as valid as the TLB entry it copies. In sha256's loops (two accesses among 30 and 66
 * instructions, some 25 live registers) the TLB's lookups were a sixth of the host instructions:
 * with page slots it ran 3.01 s instead of 3.28 (faster in 6 of 6 alternating full runs; warm
 * 7752 million guest instructions a second against 6937), nbody and interp faster in 3 of 3,
 * matmul and sieve even. Dense blocks keep stream slots: with page slots there, HotSpot kept
 * matmul's sum and column pointer on the stack (two more values carried around its loop) and
 * it ran at 2740 million instructions a second instead of 4750.
 */
final class MemoryEmitter {
    private MemoryEmitter() {}

    private static final ClassDesc MEMORY = ClassDesc.of(Memory.class.getName());
    private static final String LOAD = "([BJ)J";
    private static final String STORE = "([BJJ)V";
    private static final String LOAD_STREAM = "([BIJ)J";
    private static final String STORE_STREAM = "([BIJJ)V";

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
            for (long d : block.insns) if (integerAccess(Insn.op(d))) accesses++;
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
        int mask = 0, written = 0;
        for (long d : b.insns) {
            int op = Insn.op(d), rd = Insn.rd(d), rs1 = Insn.rs1(d), rs2 = Insn.rs2(d);
            // A register the block wrote before is an address computed afresh on each trip (Go's
            // w[i]: t = i << 2, then t = t + base), not a pointer carried round the loop.
            boolean step = op == ADD && rd != 0 && rs1 != 0 && rs2 != 0 && (rd == rs1) != (rd == rs2);
            if (step && (written & 1 << rd) == 0) mask |= 1 << rd;
            written |= Liveness.writes(d);
        }
        return mask;
    }

    /** Whether an access at x[rs1] + imm in the current block goes through a stream slot first. */
    private static boolean usesSlot(Gen g, int rs1) {
        return g.streamed && (g.steppedBases & 1 << rs1) == 0;
    }

    /** An integer load or store. */
    private static boolean integerAccess(int op) {
        return (op >= LB && op <= LWU) || (op >= SB && op <= SD);
    }

    /** The most page slots a region keeps in locals. */
    static final int MAX_PAGE_SLOTS = Integer.getInteger("rivet.jit.pageSlots", 4);

    /** How many page slots the region of {@code graph} gets: one per access in its loops, at most MAX_PAGE_SLOTS. */
    static int pageSlots(FlowGraph graph, boolean[] streamed, boolean allowed) {
        if (!allowed) return 0;
        int n = 0;
        for (int i = 0; i < graph.size(); i++) {
            Region.Block block = graph.blocks.get(i);
            int stepped = steppedByRegister(block);
            for (long d : block.insns) {
                int op = Insn.op(d);
                boolean access = integerAccess(op) || op == FLW || op == FLD || op == FSW || op == FSD;
                if (access && pageSlotCandidate(graph.cycleDepth[i] > 0, streamed[i], stepped, Insn.rs1(d))) n++;
            }
        }
        return Math.min(n, MAX_PAGE_SLOTS);
    }

    /** An empty page slot's page: an address masked as page slots compare it never equals it. */
    static final long NO_PAGE = 0x800;

    /**
     * Empties the region's page slots, after a call that may change the TLB's entries while the
     * region runs: an atomic or load-reserved/store-conditional goes through the hart, whose write
     * to a copy-on-write page replaces it with a private copy in the TLB, and a slot that held the
     * shared page would go on reading it; and a guest call run nested, whose callee's code may make
     * such atomics.
     */
    static void emptyPageSlots(Gen g) {
        for (int k = 0; k < g.pageSlots; k++) {
            g.cb.loadConstant(NO_PAGE);
            g.cb.lstore(Gen.pageSlot(k));
        }
    }

    /**
     * Whether an access at x[rs1] + imm takes a page slot (while the region has one left): in a
     * block of a loop that uses no stream slots, unless the block steps rs1 by another register
     * ({@code stepped}, see {@link #steppedByRegister}). The one rule for {@link #pageSlots}' count
     * and for the emitted accesses.
     */
    private static boolean pageSlotCandidate(boolean inLoop, boolean streamed, int stepped, int rs1) {
        return inLoop && !streamed && (stepped & 1 << rs1) == 0;
    }

    private static boolean usesPageSlot(Gen g, int rs1) {
        return pageSlotCandidate(g.inLoop, g.streamed, g.steppedBases, rs1) && g.pageSlotsUsed < g.pageSlots;
    }

    private static final ClassDesc HOST = ClassDesc.of("dev.rivet.mem.HostMemory");
    private static final long PAGE = ~4095L;

    /** The width in bytes of a Memory load or store method. */
    private static int width(String method) {
        return switch (method) {
            case "lb", "lbu", "sb" -> 1;
            case "lh", "lhu", "sh" -> 2;
            case "lw", "lwu", "sw" -> 4;
            default -> 8;
        };
    }

    /**
     * Leaves on the stack the host address of the access at x[rs1] + imm through page slot
     * k: the page its last access used and the addend there, in two locals, compared with the
     * address masked to its page and alignment bits (so an access that is not naturally aligned
     * takes the TLB's way); on a miss the TLB's way, which refills the slot or leaves. T1 holds
     * the guest address meanwhile.
     */
    private static void pageSlotAddress(Gen g, int half, int rs1, int imm, int size) {
        CodeBuilder cb = g.cb;
        int k = g.pageSlotsUsed++;
        int page = Gen.pageSlot(k), addend = page + 2;
        g.address(rs1, imm);
        cb.lstore(T1);
        Label hit = cb.newLabel();
        cb.lload(T1);
        cb.loadConstant(PAGE | (size - 1));
        cb.land();
        cb.lload(page);
        cb.lcmp();
        cb.ifeq(hit);
        cb.aload(TLB);
        cb.lload(T1);
        cb.loadConstant(size);
        g.invokeStatic(MEMORY, half == TlbTable.WRITE ? "writeAddress" : "address", "([BJI)J");
        cb.lload(T1);
        cb.lsub();
        cb.lstore(addend);
        cb.lload(T1);
        cb.loadConstant(PAGE);
        cb.land();
        cb.lstore(page);
        g.bind(hit);
        cb.lload(T1);
        cb.lload(addend);
        cb.ladd();
    }

    /**
     * Loads with {@code method} (a {@link Memory} load: lb, lbu, lh, lhu, lw, lwu, ld) at x[rs1] +
     * imm into x[rd] ({@code toF} false) or f[rd] ({@code toF}; a 4-byte value is NaN-boxed).
     */
    static void load(Gen g, String method, int rs1, int imm, boolean toF, int rd) {
        CodeBuilder cb = g.cb;
        if (usesPageSlot(g, rs1)) {
            pageSlotLoad(g, method, rs1, imm);
        } else {
            int k = usesSlot(g, rs1) ? nextReadSlot(g) : -1;
            if (g.group != null) {
                groupAddress(g, TlbTable.READ, rs1, imm, k, width(method));
                hostLoad(g, method);
            } else {
                cb.aload(TLB);
                if (k >= 0) cb.loadConstant(k);
                g.address(rs1, imm);
                g.invokeStatic(MEMORY, method, k >= 0 ? LOAD_STREAM : LOAD);
            }
        }
        if (!toF) {
            g.storeX(rd);
            return;
        }
        if (method.equals("lwu")) {
            cb.l2i();
            g.invokeStatic(FPU, "box", "(I)J");
        }
        cb.lstore(T1);
        cb.aload(FS);
        cb.loadConstant(rd);
        cb.lload(T1);
        cb.lastore();
    }

    /** Pushes what the {@link Memory} load {@code method} returns for x[rs1] + imm, through a page slot. */
    private static void pageSlotLoad(Gen g, String method, int rs1, int imm) {
        pageSlotAddress(g, TlbTable.READ, rs1, imm, width(method));
        hostLoad(g, method);
    }

    /**
     * Checks the page of the access group that the access being emitted leads (see
     * {@link AccessGroups}), through stream slot {@code k} if {@code k >= 0}, else through the TLB
     * alone, leaving the host address of x[rs1] in GROUP, or 0 when the group's accesses take
     * their own ways. A group's other accesses use GROUP only right after their own group's
     * check: one emitted otherwise fails the translation rather than read another group's page.
     */
    private static void checkGroup(Gen g, int k, int half, int rs1) {
        CodeBuilder cb = g.cb;
        if (!g.group.leads(g.index)) {
            if (g.checkedGroup != g.group.first()) throw new IllegalStateException("access group without its first access's check");
            return;
        }
        cb.aload(TLB);
        if (k >= 0) cb.loadConstant(k);
        g.loadX(rs1);
        cb.loadConstant(g.group.lo());
        cb.loadConstant(g.group.span());
        cb.loadConstant(half);
        g.invokeStatic(MEMORY, "group", k >= 0 ? "([BIJIII)J" : "([BJIII)J");
        cb.lstore(GROUP);
        g.checkedGroup = g.index;
    }

    /**
     * Pushes the host address of x[rs1] + imm, an access of the current group: from the page its
     * first access found, else on its own (through stream slot {@code k} if {@code k >= 0}, else
     * the TLB), which may leave the access to the interpreter.
     */
    private static void groupAddress(Gen g, int half, int rs1, int imm, int k, int size) {
        CodeBuilder cb = g.cb;
        checkGroup(g, k, half, rs1);
        cb.lload(GROUP);
        cb.loadConstant(imm);
        cb.aload(TLB);
        if (k >= 0) cb.loadConstant(k);
        g.address(rs1, imm);
        cb.loadConstant(size);
        cb.loadConstant(half);
        g.invokeStatic(MEMORY, "at", k >= 0 ? "(JI[BIJII)J" : "(JI[BJII)J");
    }

    /** Replaces the host address on the stack with what the {@link Memory} load {@code method} reads there. */
    private static void hostLoad(Gen g, String method) {
        CodeBuilder cb = g.cb;
        int size = width(method);
        switch (size) {
            case 1 -> g.invokeStatic(HOST, "getByte", "(J)B");
            case 2 -> g.invokeStatic(HOST, "getShort", "(J)S");
            case 4 -> g.invokeStatic(HOST, "getInt", "(J)I");
            default -> g.invokeStatic(HOST, "getLong", "(J)J");
        }
        if (size == 8) return;
        cb.i2l();
        if (method.endsWith("u")) {
            cb.loadConstant(size == 1 ? 0xffL : size == 2 ? 0xffffL : 0xffffffffL);
            cb.land();
        }
    }

    /**
     * Stores with {@code method} (sb, sh, sw, sd) the low bytes of x[rs2] ({@code fromF} false) or
     * f[rs2] at x[rs1] + imm.
     */
    static void store(Gen g, String method, int rs1, int imm, boolean fromF, int rs2) {
        CodeBuilder cb = g.cb;
        if (usesPageSlot(g, rs1)) {
            int size = width(method);
            pageSlotAddress(g, TlbTable.WRITE, rs1, imm, size);
            hostStore(g, size, fromF, rs2);
            return;
        }
        int k = usesSlot(g, rs1) ? nextWriteSlot(g) : -1;
        if (g.group != null) {
            groupAddress(g, TlbTable.WRITE, rs1, imm, k, width(method));
            hostStore(g, width(method), fromF, rs2);
            return;
        }
        cb.aload(TLB);
        if (k >= 0) cb.loadConstant(k);
        g.address(rs1, imm);
        if (fromF) g.loadF(rs2);
        else g.loadX(rs2);
        g.invokeStatic(MEMORY, method, k >= 0 ? STORE_STREAM : STORE);
    }

    /** The stream slot for the next load that uses one: the read slots, handed out in turn. */
    private static int nextReadSlot(Gen g) {
        return g.readSlots++ % JitAccess.STREAM_SLOTS;
    }

    /** The stream slot for the next store that uses one: the write slots, after the read slots, in turn. */
    private static int nextWriteSlot(Gen g) {
        return JitAccess.STREAM_SLOTS + g.writeSlots++ % JitAccess.STREAM_SLOTS;
    }

    /** Stores the low {@code size} bytes of x[rs2] ({@code fromF} false) or f[rs2] at the host address on the stack. */
    private static void hostStore(Gen g, int size, boolean fromF, int rs2) {
        CodeBuilder cb = g.cb;
        if (fromF) g.loadF(rs2);
        else g.loadX(rs2);
        switch (size) {
            case 1 -> { cb.l2i(); cb.i2b(); g.invokeStatic(HOST, "putByte", "(JB)V"); }
            case 2 -> { cb.l2i(); cb.i2s(); g.invokeStatic(HOST, "putShort", "(JS)V"); }
            case 4 -> { cb.l2i(); g.invokeStatic(HOST, "putInt", "(JI)V"); }
            default -> g.invokeStatic(HOST, "putLong", "(JJ)V");
        }
    }
}
