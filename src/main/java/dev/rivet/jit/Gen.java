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
 * <p>Local layout of {@code long run(Hart h, long pcBase, int slot, long budget)}: fixed slots
 * below (N, the instructions retired so far, and LIMIT, the budget, are ints: the cheapest counter
 * for HotSpot to keep and compare in a loop), then x1..x31 as longs from {@link #REG0} (locals only
 * for the registers the region touches; {@link Liveness} decides where they are loaded).
 */
final class Gen {
    static final int THIS = 0, H = 1, PCBASE = 2, SLOT = 4, BUDGET = 5, N = 7, LIMIT = 8, XS = 9, FS = 10,
            AT = 11, EXC = 12, T1 = 13, T2 = 15, RTAG = 17, RWORDS = 18, WTAG = 19, WWORDS = 20, WPAGES = 21, REG0 = 22;

    static final ClassDesc HART = ClassDesc.of("dev.rivet.cpu.Hart");
    static final ClassDesc ACCESS = ClassDesc.of("dev.rivet.cpu.JitAccess");
    static final ClassDesc ALU = ClassDesc.of("dev.rivet.cpu.Alu");
    static final ClassDesc FPU = ClassDesc.of("dev.rivet.cpu.Fpu");
    static final ClassDesc ATOMICS = ClassDesc.of("dev.rivet.cpu.Atomics");
    static final ClassDesc LONG = ClassDesc.of("java.lang.Long");
    static final ClassDesc INTEGER = ClassDesc.of("java.lang.Integer");
    static final ClassDesc MATH = ClassDesc.of("java.lang.Math");
    static final ClassDesc LONG_ARRAY = ConstantDescs.CD_long.arrayType();
    static final ClassDesc WORDS = ConstantDescs.CD_long.arrayType(2);
    static final ClassDesc SEGMENT_ARRAY = ClassDesc.of("java.lang.foreign.MemorySegment").arrayType();
    static final ClassDesc THROWABLE = ClassDesc.of("java.lang.Throwable");
    static final ClassDesc INT_ARRAY = ConstantDescs.CD_int.arrayType();
    static final MethodTypeDesc J_JJ = MethodTypeDesc.ofDescriptor("(JJ)J");
    static final MethodTypeDesc I_JJ = MethodTypeDesc.ofDescriptor("(JJ)I");

    final CodeBuilder cb;
    final Label dispatch;
    /** An exit: to pc offset {@code target}, taking {@code undo} instructions back from n, writing back {@code dirty}. */
    record Exit(long target, int undo, int dirty) {}
    /** Exit stubs: filled in after the blocks. */
    final Map<Exit, Label> exits = new LinkedHashMap<>();
    /** Exception handlers of trapping instructions by the registers they write back. */
    private final Map<Integer, Label> trapHandlers = new LinkedHashMap<>();
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

    /** Pushes x[r] (long). */
    void loadX(int r) {
        if (r == 0) cb.lconst_0();
        else cb.lload(reg(r));
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
        cb.lstore(reg(r));
        dirty |= 1 << r;
    }

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
     * Records that the instruction being emitted may throw: the handler will then report pc = its
     * address, take back the instructions of its block not yet retired, and write back what is
     * dirty before it. Its code, up to the next {@link #endTrapRange}, is covered by the exception
     * handler for that dirty set.
     */
    void mayTrap() {
        endTrapRange();
        cb.loadConstant(trapPc.size());
        cb.istore(AT);
        trapPc.add(off);
        trapUndo.add(undoBefore);
        trapStart = cb.newBoundLabel();
        trapDirty = dirty;
    }

    /** Closes the exception range of the instruction that may trap, if one is open. */
    void endTrapRange() {
        if (trapStart == null) return;
        Label end = cb.newBoundLabel();
        cb.exceptionCatchAll(trapStart, end, handlerFor(trapDirty));
        trapStart = null;
    }

    /** The exception handler that writes back {@code dirty}. */
    Label handlerFor(int dirty) {
        return trapHandlers.computeIfAbsent(dirty, d -> cb.newLabel());
    }

    /**
     * Emits the exception handlers of trapping instructions, one per dirty set: each writes back
     * its set and continues at {@code common} (which finds the instruction by {@code AT}).
     */
    void emitTrapHandlers(Label common) {
        for (var byDirty : trapHandlers.entrySet()) {
            bind(byDirty.getValue());
            cb.astore(EXC);
            writeBack(byDirty.getKey());
            cb.goto_(common);
        }
    }

    /** True for the handlers' labels, at which the operand stack holds the exception. */
    boolean isHandler(Label label) {
        return trapHandlers.containsValue(label);
    }

    /**
     * A label that leaves the region with pc = pcBase + {@code target}, n reduced by {@code undo},
     * writing back what may be dirty here.
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
            if (e.undo() != 0) cb.iinc(N, -e.undo());
            cb.loadConstant((int) e.target());
            returnExit();
        }
    }

    /**
     * Returns from the region to where the int on the stack says (a page offset, or one of
     * CompiledRegion's codes) with n instructions retired. The exits need neither the hart nor
     * the page's address, so neither stays live in a loop just because the loop can exit.
     */
    void returnExit() {
        cb.i2l();
        cb.loadConstant(32);
        cb.lshl();
        cb.iload(N);
        cb.i2l();
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
