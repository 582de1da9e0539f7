package dev.rivet.jit;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State shared by the emitters while one region's method is generated: the JVM local layout,
 * guest registers held in locals, the table that maps a trapping instruction back to its pc and
 * retired count, and the out-of-line exit stubs requested so far.
 *
 * <p>Local layout of {@code long run(Hart h, long pcBase, int slot, int limit)}: fixed slots
 * below (LEFT, the parameter {@code limit}, counts down the instructions the run may still retire:
 * one int, the cheapest counter for HotSpot to keep and test in a loop; TLB, the current mode's
 * TLB table, see {@code cpu.TlbTable}; GROUP, the host address
 * an access group's check found, see {@link AccessGroups}), then x1..x31 as longs
 * from {@link #REG0} (locals only for the registers the region touches and keeps in locals: see
 * {@link RegisterHomes}; {@link Liveness} decides where they are loaded), then the page slots'
 * pairs of longs from {@link #PAGE_SLOT0} (see {@link MemoryEmitter}).
 */
final class Gen {
    static final int THIS = 0, H = 1, PCBASE = 2, SLOT = 4, LEFT = 5, XS = 6, FS = 7,
            AT = 8, EXC = 9, T1 = 10, T2 = 12, TLB = 14, GROUP = 15, REG0 = 17,
            PAGE_SLOT0 = REG0 + 62;

    static final ClassDesc HART = ClassDesc.of("dev.rivet.cpu.Hart");
    static final ClassDesc ACCESS = ClassDesc.of("dev.rivet.cpu.JitAccess");
    static final ClassDesc ALU = ClassDesc.of("dev.rivet.cpu.Alu");
    static final ClassDesc FPU = ClassDesc.of("dev.rivet.cpu.Fpu");
    static final ClassDesc ATOMICS = ClassDesc.of("dev.rivet.cpu.Atomics");
    static final ClassDesc LONG = ClassDesc.of("java.lang.Long");
    static final ClassDesc INTEGER = ClassDesc.of("java.lang.Integer");
    static final ClassDesc MATH = ClassDesc.of("java.lang.Math");
    static final ClassDesc LONG_ARRAY = ConstantDescs.CD_long.arrayType();
    static final ClassDesc THROWABLE = ClassDesc.of("java.lang.Throwable");
    static final ClassDesc INT_ARRAY = ConstantDescs.CD_int.arrayType();
    static final ClassDesc BYTE_ARRAY = ConstantDescs.CD_byte.arrayType();
    static final MethodTypeDesc J_JJ = MethodTypeDesc.ofDescriptor("(JJ)J");
    static final MethodTypeDesc I_JJ = MethodTypeDesc.ofDescriptor("(JJ)I");

    final CodeBuilder cb;
    final Label dispatch;
    /**
     * An exit: to pc offset {@code target}, giving back {@code undo} instructions counted but not
     * retired, writing back {@code dirty}.
     */
    record Exit(long target, int undo, int dirty) {
        // Written out: a record's own hashCode and equals are linked at their first call (an
        // invokedynamic no start-up cache holds), 2 ms on the way to a run's first region.
        @Override
        public int hashCode() {
            return (Long.hashCode(target) * 31 + undo) * 31 + dirty;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Exit e && e.target == target && e.undo == undo && e.dirty == dirty;
        }
    }
    /** Exit stubs: filled in after the blocks. */
    final Map<Exit, Label> exits = new LinkedHashMap<>();
    /** The exception handler of a trapping instruction: its trap table index and what it writes back. */
    private record TrapHandler(Label label, int index, int dirty) {}
    private final List<TrapHandler> trapHandlers = new ArrayList<>();
    private Label trapStart;
    private int trapDirty;
    /** Labels that are jump targets: each gets a stack map frame (the same locals everywhere). */
    final List<Label> targets = new ArrayList<>();
    final List<Integer> trapPc = new ArrayList<>();
    final List<Integer> trapUndo = new ArrayList<>();
    /** Offset and block position of the instruction being emitted (for traps and exits after it). */
    int off;
    int undoBefore;
    /** What this block has checked of the FPU's state so far: nothing, on, on and marked dirty. */
    static final int FP_UNCHECKED = 0, FP_ON = 1, FP_DIRTY = 2;
    int fpChecked;
    /** The word shifts seen so far in the block, for the rotates they make ({@link WordRotates}). */
    final WordRotates rotates = new WordRotates();
    /** Registers holding words before the instruction being emitted (see {@link WordValues}). */
    int words;
    /**
     * Registers whose value an int operation of the current block computed and widened to a long
     * (a W instruction, a rotate): logic on two of them stays an int operation (InsnEmitter.logic).
     * Cleared at each block's start and for every register written otherwise.
     */
    int intResults;
    /** Whether the instruction just emitted computed its result as an int and widened it. */
    boolean intResult;
    /**
     * Whether signed branches on words may compare ints: in a program's regions, unless
     * -Drivet.jit.intCompares=false (see BlockEmitter.comparesInts).
     */
    boolean intCompares;
    /** By block: whether its accesses go through stream slots (see MemoryEmitter); and for the current block. */
    boolean[] streamedBlocks;
    boolean streamed;
    /** In the current block: registers stepped by another register, whose accesses use no slot (see MemoryEmitter). */
    int steppedBases;
    /** Read and write stream slots handed out so far. */
    int readSlots, writeSlots;
    /** The access group of the instruction being emitted, if it is a load or store of one (see AccessGroups). */
    AccessGroups.Member group;
    /** The block index of the instruction being emitted. */
    int index;
    /** The first access of the group whose check the current block made last, or -1 (see MemoryEmitter). */
    int checkedGroup;
    /** Whether loads and stores make access groups (see AccessGroups): a program's regions, not a machine's. */
    boolean accessGroups;
    /** Whether the current block is part of a loop. */
    boolean inLoop;
    /** Page slots in locals (see MemoryEmitter): how many the region has, how many handed out so far. */
    int pageSlots, pageSlotsUsed;
    /** Registers whose locals may be newer than the hart's array (bit r for x[r]); see WriteBack. */
    private int dirty;

    Gen(CodeBuilder cb) {
        this.cb = cb;
        this.dispatch = cb.newLabel();
    }

    /** Binds a label that is a jump target (the operand stack is empty at every one). */
    void bind(Label label) {
        cb.labelBinding(label);
        targets.add(label);
    }

    static int reg(int r) {
        return REG0 + 2 * (r - 1);
    }

    /** The local holding page slot k's page (see MemoryEmitter); its addend is the next long. */
    static int pageSlot(int k) {
        return PAGE_SLOT0 + 4 * k;
    }

    /** Registers read and written in the hart's array instead of locals (see RegisterHomes). */
    int inArray;

    /** Pushes x[r] (long). */
    void loadX(int r) {
        if (r == 0) {
            cb.lconst_0();
        } else if ((inArray & 1 << r) != 0) {
            cb.aload(XS);
            cb.loadConstant(r);
            cb.laload();
        } else {
            cb.lload(reg(r));
        }
    }

    /** Pushes x[r], as its low 32 bits ({@code asInt}) or as a long. */
    void loadX(int r, boolean asInt) {
        loadX(r);
        if (asInt) cb.l2i();
    }

    /**
     * Pops a long into x[r]; writes to x0 are discarded. The value goes to the register's local
     * only, which makes the register dirty: it reaches the hart's array where {@link WriteBack}
     * places it (on leaving the region, or on an edge into a block that does not keep it).
     */
    void storeX(int r) {
        if (r == 0) {
            cb.pop2();
            return;
        }
        if ((inArray & 1 << r) != 0) {
            cb.lstore(T2);
            cb.aload(XS);
            cb.loadConstant(r);
            cb.lload(T2);
            cb.lastore();
            return;
        }
        cb.lstore(reg(r));
        if ((writeBackNow & 1 << r) != 0) {
            // The block's last write of a register every way out of it writes back anyway:
            // written back here, so that its value need not live on to the block's end for the
            // exits' sake (a store at once frees the host register; later reads use the local).
            writeBack(1 << r);
            return;
        }
        dirty |= 1 << r;
    }

    /** Registers the instruction being emitted writes for the last time in its block, to be written back at once. */
    int writeBackNow;
    /** Whether blocks write back at their last write what no successor keeps (see RegisterHomes.writesBackEarly). */
    boolean earlyWriteBacks;

    /** Registers that may be dirty here (bit r for x[r]). */
    int dirty() {
        return dirty;
    }

    /** Starts a block in which {@code mask} may be dirty. */
    void startBlock(int mask) {
        dirty = mask;
    }

    /** Stores the registers in {@code mask} (all of them dirty or valid) to the hart's array. */
    void writeBack(int mask) {
        for (int r = 1; r < 32; r++) {
            if ((mask & 1 << r) == 0) continue;
            cb.aload(XS);
            cb.loadConstant(r);
            cb.lload(reg(r));
            cb.lastore();
        }
        dirty &= ~mask;
    }

    /** Loads the registers in {@code mask} (bit r for x[r]) from the hart into their locals. */
    void reload(int mask) {
        for (int r = 1; r < 32; r++) {
            if ((mask & 1 << r) == 0) continue;
            cb.aload(XS);
            cb.loadConstant(r);
            cb.laload();
            cb.lstore(reg(r));
        }
    }

    /** Pushes f[r] (raw bits). */
    void loadF(int r) {
        cb.aload(FS);
        cb.loadConstant(r);
        cb.laload();
    }

    /** Pushes rs1 + imm: an effective address or jump base. */
    void address(int rs1, int imm) {
        loadX(rs1);
        if (imm != 0) {
            cb.loadConstant((long) imm);
            cb.ladd();
        }
    }

    /**
     * Records that the instruction being emitted may throw: its own exception handler (covering
     * its code, up to the next {@link #endTrapRange}) will report pc = its address, take back the
     * instructions of its block not yet retired, and write back what is dirty before it. The
     * handler knows its instruction as a constant: a variable set before every such instruction
     * would be live, in a host register, throughout every loop.
     */
    void mayTrap() {
        endTrapRange();
        trapStart = cb.newBoundLabel();
        trapDirty = dirty;
    }

    /** Closes the exception range of the instruction that may trap, if one is open. */
    void endTrapRange() {
        if (trapStart == null) return;
        Label end = cb.newBoundLabel();
        Label handler = cb.newLabel();
        cb.exceptionCatchAll(trapStart, end, handler);
        trapHandlers.add(new TrapHandler(handler, trapPc.size(), trapDirty));
        trapPc.add(off);
        trapUndo.add(undoBefore);
        trapStart = null;
    }

    /**
     * Emits the exception handlers of trapping instructions: each sets AT to its instruction's
     * index in the trap table and goes to the write-back of its dirty set (one per set), which
     * continues at {@code common}.
     */
    void emitTrapHandlers(Label common) {
        Map<Integer, Label> writeBacks = new LinkedHashMap<>();
        for (TrapHandler t : trapHandlers) {
            bind(t.label());
            cb.astore(EXC);
            cb.loadConstant(t.index());
            cb.istore(AT);
            cb.goto_(writeBacks.computeIfAbsent(t.dirty(), d -> cb.newLabel()));
        }
        for (var byDirty : writeBacks.entrySet()) {
            bind(byDirty.getValue());
            writeBack(byDirty.getKey());
            cb.goto_(common);
        }
    }

    /** True for the handlers' labels, at which the operand stack holds the exception. */
    boolean isHandler(Label label) {
        for (TrapHandler t : trapHandlers) if (t.label() == label) return true;
        return false;
    }

    /**
     * A label that leaves the region with pc = pcBase + {@code target}, giving back {@code undo}
     * instructions of the current block not retired, writing back what may be dirty here.
     */
    Label exitTo(long target, int undo) {
        return exits.computeIfAbsent(new Exit(target, undo, dirty), e -> cb.newLabel());
    }

    /** A label that leaves the region after the current instruction (of length {@code length}). */
    Label exitAfter(int length) {
        return exitTo(off + length, undoBefore - 1);
    }

    /** Emits the exit stubs requested so far. */
    void emitExitStubs() {
        for (var stub : exits.entrySet()) {
            Exit e = stub.getKey();
            bind(stub.getValue());
            writeBack(e.dirty());
            if (e.undo() != 0) cb.iinc(LEFT, e.undo());
            cb.loadConstant((int) e.target());
            returnExit();
        }
    }

    /**
     * Returns from the region to where the int on the stack says (a page offset, or one of
     * CompiledRegion's codes) with the instructions it may still retire. The exits need neither
     * the hart nor the page's address, so neither stays live in a loop just because it can exit.
     */
    void returnExit() {
        cb.i2l();
        cb.loadConstant(32);
        cb.lshl();
        cb.iload(LEFT);
        cb.i2l();
        cb.loadConstant(0xffffffffL);
        cb.land();
        cb.lor();
        cb.lreturn();
    }

    void invokeStatic(ClassDesc owner, String name, String descriptor) {
        cb.invokestatic(owner, name, MethodTypeDesc.ofDescriptor(descriptor));
    }

    void invokeHart(String name, String descriptor) {
        cb.invokevirtual(HART, name, MethodTypeDesc.ofDescriptor(descriptor));
    }
}
