package dev.rivet.jit;

import static dev.rivet.jit.Gen.*;

import dev.rivet.jit.Region.Block;
import dev.rivet.jit.Region.End;
import java.lang.classfile.ClassFile;
import java.lang.classfile.attribute.StackMapFrameInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.ObjectVerificationTypeInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.SimpleVerificationTypeInfo;
import java.lang.classfile.attribute.StackMapFrameInfo.VerificationTypeInfo;
import java.lang.classfile.attribute.StackMapTableAttribute;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the class of one region: a subclass of {@link CompiledRegion} whose {@code run} method
 * holds every block of the region, with guest registers in JVM locals.
 *
 * <pre>
 * dispatch:  lookupswitch to an entry stub on the slot, or on -1 (so: exit with that pc) if
 *            h.attention or if the budget cannot cover the longest path from an entry to a loop
 *            head (see BudgetChecks); else exit with that pc
 * stub:      load the registers the entry block needs from h.x into locals (see Liveness); exit
 *            unless the registers the block counts on being words are (see WordValues); goto it
 * block:     at a loop head: exit if the longest path to the next loop head does not fit in
 *            what is left of the budget (see BudgetChecks); left -= its length; at a loop
 *            exit, load the registers it needs (see Liveness); its instructions;
 *            a branch or jump to another block of the region is a JVM goto, else an exit stub
 *            (see BlockEmitter)
 * jalr:      to a pc on this page: set slot, goto dispatch; elsewhere: exit
 * memory:    through the TLB (see Memory); in loops dense in accesses, through a stream slot per
 *            instruction first (see MemoryEmitter)
 * register:  the most used ones (see RegisterHomes) written to their locals, back to h.x on
 *            leaving the region and on edges into blocks that do not keep them dirty (see
 *            WriteBack): by exit stubs, edge stubs, handlers; the others read and written in h.x
 * exit:      return where to (a page offset) and what is left; the caller sets pc and instret
 *            (see CompiledRegion)
 * handler:   (one for each instruction that may throw) write back, return which
 *            instruction threw and what is left (a memory access left to the interpreter), or
 *            throw it on
 * </pre>
 */
final class RegionCompiler {
    private RegionCompiler() {}

    static final ClassDesc BASE = ClassDesc.of(CompiledRegion.class.getName());
    static final MethodTypeDesc RUN = MethodTypeDesc.ofDescriptor("(Ldev/rivet/cpu/Hart;JII)J");
    /**
     * Stack maps are written by hand: every local has one type for the whole method and the operand
     * stack is empty at every jump target, so one frame fits all, and the flow analysis the
     * classfile API would do (most of the cost of generating a class) is not needed.
     */
    private static final ClassFile CLASS_FILE = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS,
            ClassFile.DeadCodeOption.KEEP_DEAD_CODE);

    /** The generated class, its trap table and its size. */
    record Output(byte[] classBytes, int[] trapPc, int[] trapUndo, int codeLength, int entryReach) {}

    /** Generates the class of the region whose control-flow graph is {@code graph}, with stream slots if {@code streams}. */
    static Output compile(FlowGraph graph, String name, boolean streams) {
        int[][] tables = new int[2][];
        BudgetChecks budget = BudgetChecks.of(graph);
        byte[] bytes = CLASS_FILE.build(ClassDesc.of(name), clb -> {
            clb.withFlags(AccessFlag.FINAL, AccessFlag.SUPER);
            clb.withSuperclass(BASE);
            clb.withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, 0, cb -> {
                cb.aload(0);
                cb.invokespecial(BASE, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void);
                cb.return_();
            });
            clb.withMethodBody("run", RUN, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, cb -> {
                Gen g = new Gen(cb);
                g.streamedBlocks = MemoryEmitter.streamedBlocks(graph, streams);
                g.pageSlots = MemoryEmitter.pageSlots(graph, g.streamedBlocks, streams);
                BitSet used = body(g, graph, budget, streams);
                cb.with(stackMaps(g, ClassDesc.of(name), used));
                tables[0] = Ints.of(g.trapPc);
                tables[1] = Ints.of(g.trapUndo);
            });
        });
        int length = 0;
        for (var m : CLASS_FILE.parse(bytes).methods()) {
            if (!m.methodName().equalsString("run")) continue;
            var code = m.findAttribute(java.lang.classfile.Attributes.code());
            if (code.isPresent()) length = code.get().codeLength();
        }
        return new Output(bytes, tables[0], tables[1], length, budget.entryReach);
    }

    private static boolean endsInJalr(Region region) {
        for (Block b : region.blocks.values()) if (b.end == End.JALR) return true;
        return false;
    }

    /** The one frame of the method, at every jump target; the handler's has the exception on the stack. */
    private static StackMapTableAttribute stackMaps(Gen g, ClassDesc self, BitSet used) {
        List<VerificationTypeInfo> locals = new ArrayList<>(List.of(
                ObjectVerificationTypeInfo.of(self), ObjectVerificationTypeInfo.of(HART), SimpleVerificationTypeInfo.LONG,
                SimpleVerificationTypeInfo.INTEGER, SimpleVerificationTypeInfo.INTEGER, ObjectVerificationTypeInfo.of(LONG_ARRAY),
                ObjectVerificationTypeInfo.of(LONG_ARRAY), SimpleVerificationTypeInfo.INTEGER,
                ObjectVerificationTypeInfo.of(THROWABLE), SimpleVerificationTypeInfo.LONG, SimpleVerificationTypeInfo.LONG,
                ObjectVerificationTypeInfo.of(BYTE_ARRAY)));
        // GROUP: a long where access groups are made, else unused (two slots of nothing).
        if (g.accessGroups) {
            locals.add(SimpleVerificationTypeInfo.LONG);
        } else {
            locals.add(SimpleVerificationTypeInfo.TOP);
            locals.add(SimpleVerificationTypeInfo.TOP);
        }
        int last = g.pageSlots > 0 ? 31 : used.previousSetBit(31);
        for (int r = 1; r <= last; r++) {
            if (used.get(r)) {
                locals.add(SimpleVerificationTypeInfo.LONG);
            } else {
                locals.add(SimpleVerificationTypeInfo.TOP);
                locals.add(SimpleVerificationTypeInfo.TOP);
            }
        }
        for (int k = 0; k < 2 * g.pageSlots; k++) locals.add(SimpleVerificationTypeInfo.LONG);
        // Unused slots at the end are left out: the frame may not name more locals than the method has.
        while (locals.getLast() == SimpleVerificationTypeInfo.TOP) locals.removeLast();
        List<StackMapFrameInfo> frames = new ArrayList<>();
        for (Label l : g.targets) {
            List<VerificationTypeInfo> stack = g.isHandler(l) ? List.of(ObjectVerificationTypeInfo.of(THROWABLE)) : List.of();
            frames.add(StackMapFrameInfo.of(l, locals, stack));
        }
        return StackMapTableAttribute.of(frames);
    }

    /** Emits the method body ({@code streams}: stream slots allowed); returns the registers held in locals. */
    private static BitSet body(Gen g, FlowGraph graph, BudgetChecks budget, boolean streams) {
        CodeBuilder cb = g.cb;
        Region region = graph.region;
        boolean anyStreamed = false;
        for (boolean s : g.streamedBlocks) anyStreamed |= s;
        g.inArray = RegisterHomes.inArray(graph, RegisterHomes.locals(streams, anyStreamed));
        g.earlyWriteBacks = RegisterHomes.writesBackEarly(streams, anyStreamed);
        g.accessGroups = streams;
        g.intCompares = streams && BlockEmitter.INT_COMPARES;
        Liveness liveness = Liveness.of(graph, g.inArray);
        WriteBack writeBack = WriteBack.of(graph, liveness, RegisterHomes.keepsLoopTemporaries(streams, anyStreamed));
        WordValues words = WordValues.of(graph);
        BitSet read = BitSet.valueOf(new long[] {liveness.used & 0xffffffffL});

        // Entry: every local gets a value first, so all frames agree at the exception handler.
        cb.aload(H);
        cb.getfield(HART, "x", LONG_ARRAY);
        cb.astore(XS);
        cb.aload(H);
        cb.getfield(HART, "f", LONG_ARRAY);
        cb.astore(FS);
        // Register locals start at zero for the verifier; Liveness places the real loads.
        for (int r = read.nextSetBit(1); r >= 0; r = read.nextSetBit(r + 1)) {
            cb.lconst_0();
            cb.lstore(reg(r));
        }
        for (int slot : g.accessGroups ? new int[] {T1, T2, GROUP} : new int[] {T1, T2}) {
            cb.lconst_0();
            cb.lstore(slot);
        }
        // Page slots start empty: no address masked as they compare it has this value.
        for (int k = 0; k < g.pageSlots; k++) {
            cb.loadConstant(MemoryEmitter.NO_PAGE);
            cb.lstore(pageSlot(k));
            cb.lconst_0();
            cb.lstore(pageSlot(k) + 2);
        }
        // AT and EXC are set by the handlers before use: initialized only for the verifier's one frame.
        cb.iconst_0();
        cb.istore(AT);
        cb.aconst_null();
        cb.astore(EXC);
        cb.aload(H);
        g.invokeStatic(ACCESS, "tlbTable", "(Ldev/rivet/cpu/Hart;)[B");
        cb.astore(TLB);
        // The budget is never negative here (the dispatcher enters with at least entryReach); the
        // mask says so to HotSpot. A loop whose budget check HotSpot compiles as a counted loop's
        // exit test otherwise gets a check at its entry that the counter cannot underflow on the
        // first trip (a loop limit check predicate), which fails when a slice's end finds the
        // budget below the loop's reach there, and the region's code is thrown away and compiled
        // again (-Xlog:deoptimization: loop_limit_check, once or twice a sha256 run).
        cb.iload(LEFT);
        cb.loadConstant(Integer.MAX_VALUE);
        cb.iand();
        cb.istore(LEFT);

        Map<Integer, Label> labels = new HashMap<>();
        for (int start : region.blocks.keySet()) labels.put(start, cb.newLabel());

        // Dispatch on the slot (entry, or a jalr into this page).
        Label exitSlot = cb.newLabel();
        g.bind(g.dispatch);
        // The switch's key is the slot, or -1 (no entry's slot: the switch exits) when attention
        // is requested or the budget cannot cover the longest path from an entry to a loop head:
        // the one budget check for every entry (see BudgetChecks). Computed without branches: the
        // dispatcher makes both checks before the call, so they fail only after a jalr back into
        // the region, and a branch HotSpot never saw taken in its profile is compiled as a trap
        // that throws the region's code away when taken (sha256's round loop, in 4 of 5 runs,
        // just as it reached full speed, after a return into its region); the switch's way out
        // is taken by every jalr to a pc the region has no entry for.
        cb.iload(SLOT);
        cb.aload(H);
        g.invokeStatic(ACCESS, "attention", "(Ldev/rivet/cpu/Hart;)Z");
        cb.ineg();
        cb.ior();
        cb.iload(LEFT);
        cb.loadConstant(budget.entryReach);
        cb.isub();
        cb.loadConstant(31);
        cb.ishr();
        cb.ior();
        List<SwitchCase> cases = new ArrayList<>();
        Map<Integer, Label> stubs = new HashMap<>();
        for (int e : region.entries) {
            stubs.put(e, cb.newLabel());
            cases.add(SwitchCase.of(e >>> 1, stubs.get(e)));
        }
        cb.lookupswitch(exitSlot, cases);
        for (int e : region.entries) {
            g.bind(stubs.get(e));
            g.reload(liveness.entryLoads.get(e) | writeBack.entryLoads[graph.indexOf(e)]);
            int guards = words.guards[graph.indexOf(e)];
            for (int r = 1; r < 32; r++) {
                if ((guards & 1 << r) == 0) continue;
                // Not a word: the interpreter runs on from here (see WordValues).
                g.loadX(r);
                g.loadX(r);
                cb.l2i();
                cb.i2l();
                cb.lcmp();
                cb.ifne(exitSlot);
            }
            cb.goto_(labels.get(e));
        }
        g.bind(exitSlot);
        cb.iload(SLOT);
        cb.iconst_1();
        cb.ishl();
        g.returnExit();

        Label exitT1 = cb.newLabel(), exitPcSet = cb.newLabel();
        List<Block> order = graph.blocks;
        BlockEmitter emitter = new BlockEmitter(g, graph, writeBack, labels, exitT1, exitPcSet);
        for (int i = 0; i < order.size(); i++) {
            Block b = order.get(i);
            g.bind(labels.get(b.start));
            g.startBlock(writeBack.dirtyIn[i]);
            emitter.block(i, budget.atLoopHead[i],
                    (liveness.reloads.getOrDefault(b.start, 0) | writeBack.blockLoads[i]) & ~writeBack.dirtyIn[i], words.in[i]);
        }
        emitter.emitEdgeStubs();

        g.emitExitStubs();
        if (endsInJalr(region)) {
            // A jalr off the page: pc is no offset from this page, so it goes to the hart here.
            g.bind(exitT1);
            cb.aload(H);
            cb.lload(T1);
            cb.putfield(HART, "pc", ConstantDescs.CD_long);
        }
        if (endsInJalr(region) || emitter.nestedCalls > 0) {
            // pc set (above, or by a nested call that the region leaves after).
            g.bind(exitPcSet);
            cb.loadConstant(CompiledRegion.PC_SET);
            g.returnExit();
        }

        if (g.trapPc.isEmpty()) return read;
        // Anything thrown by an instruction: the guest state is that before the instruction.
        // Its handler writes back what was dirty (see Gen.mayTrap), then comes here.
        Label common = cb.newLabel();
        g.emitTrapHandlers(common);
        g.bind(common);
        cb.aload(EXC);
        cb.iload(AT);
        cb.iload(LEFT);
        g.invokeStatic(BASE, "trapped", "(Ljava/lang/Throwable;II)J");
        cb.lreturn();
        return read;
    }
}
