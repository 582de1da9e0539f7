package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;
import static dev.rivet.jit.Gen.*;

import dev.rivet.cpu.Insn;
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
import java.lang.classfile.attribute.CodeAttribute;
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
 * entry:     load the registers the region uses from h.x into locals
 * dispatch:  exit if h.attention; lookupswitch on the slot to an entry block (else exit with that pc)
 * block:     at a loop head or entry: exit if the longest path to the next such block does not
 *            fit in the budget (see budgetChecks); n += its length; its instructions;
 *            a branch or jump to another block of the region is a JVM goto, else an exit stub
 * jalr:      to a pc on this page: set slot, goto dispatch; elsewhere: exit
 * register:  written to its local and through to h.x at once (see Gen.storeX)
 * exit:      h.pc = exitPc, h.instret += n, return n
 * handler:   (any throwable in the blocks) pc and n of the instruction that threw, exit, rethrow
 * </pre>
 */
final class RegionCompiler {
    private RegionCompiler() {}

    static final ClassDesc BASE = ClassDesc.of(CompiledRegion.class.getName());
    static final MethodTypeDesc RUN = MethodTypeDesc.ofDescriptor("(Ldev/rivet/cpu/Hart;JIJ)J");
    /**
     * Stack maps are written by hand: every local has one type for the whole method and the operand
     * stack is empty at every jump target, so one frame fits all, and the flow analysis the
     * classfile API would do (most of the cost of generating a class) is not needed.
     */
    private static final ClassFile CLASS_FILE = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS,
            ClassFile.DeadCodeOption.KEEP_DEAD_CODE);

    /** The generated class, its trap table and its size. */
    record Output(byte[] classBytes, int[] trapPc, int[] trapUndo, int codeLength) {}

    static Output compile(Region region, String name) {
        int[][] tables = new int[2][];
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
                BitSet used = body(g, region);
                cb.with(stackMaps(g, ClassDesc.of(name), used));
                tables[0] = g.trapPc.stream().mapToInt(Integer::intValue).toArray();
                tables[1] = g.trapUndo.stream().mapToInt(Integer::intValue).toArray();
            });
        });
        int length = CLASS_FILE.parse(bytes).methods().stream()
                .filter(m -> m.methodName().equalsString("run"))
                .flatMap(m -> m.findAttribute(java.lang.classfile.Attributes.code()).stream())
                .mapToInt(CodeAttribute::codeLength).findFirst().orElse(0);
        return new Output(bytes, tables[0], tables[1], length);
    }

    /** The one frame of the method, at every jump target; the handler's has the exception on the stack. */
    private static StackMapTableAttribute stackMaps(Gen g, ClassDesc self, BitSet used) {
        List<VerificationTypeInfo> locals = new ArrayList<>(List.of(
                ObjectVerificationTypeInfo.of(self), ObjectVerificationTypeInfo.of(HART), SimpleVerificationTypeInfo.LONG,
                SimpleVerificationTypeInfo.INTEGER, SimpleVerificationTypeInfo.LONG, SimpleVerificationTypeInfo.INTEGER,
                SimpleVerificationTypeInfo.INTEGER,
                SimpleVerificationTypeInfo.LONG, ObjectVerificationTypeInfo.of(LONG_ARRAY),
                ObjectVerificationTypeInfo.of(LONG_ARRAY), SimpleVerificationTypeInfo.INTEGER,
                ObjectVerificationTypeInfo.of(THROWABLE), SimpleVerificationTypeInfo.LONG, SimpleVerificationTypeInfo.LONG,
                ObjectVerificationTypeInfo.of(LONG_ARRAY), ObjectVerificationTypeInfo.of(WORDS),
                ObjectVerificationTypeInfo.of(LONG_ARRAY), ObjectVerificationTypeInfo.of(WORDS),
                ObjectVerificationTypeInfo.of(SEGMENT_ARRAY)));
        int last = used.previousSetBit(31);
        for (int r = 1; r <= last; r++) {
            if (used.get(r)) {
                locals.add(SimpleVerificationTypeInfo.LONG);
            } else {
                locals.add(SimpleVerificationTypeInfo.TOP);
                locals.add(SimpleVerificationTypeInfo.TOP);
            }
        }
        List<StackMapFrameInfo> frames = new ArrayList<>();
        for (Label l : g.targets) {
            List<VerificationTypeInfo> stack = l == g.handler ? List.of(ObjectVerificationTypeInfo.of(THROWABLE)) : List.of();
            frames.add(StackMapFrameInfo.of(l, locals, stack));
        }
        return StackMapTableAttribute.of(frames);
    }

    /** Emits the method body; returns the registers held in locals. */
    private static BitSet body(Gen g, Region region) {
        CodeBuilder cb = g.cb;
        BitSet read = new BitSet(32), written = new BitSet(32);
        for (Block b : region.blocks.values()) for (long d : b.insns) usage(d, read, written);
        read.or(written);
        read.clear(0);

        // Entry: every local gets a value first, so all frames agree at the exception handler.
        cb.aload(H);
        cb.getfield(HART, "x", LONG_ARRAY);
        cb.astore(XS);
        cb.aload(H);
        cb.getfield(HART, "f", LONG_ARRAY);
        cb.astore(FS);
        for (int r = read.nextSetBit(1); r >= 0; r = read.nextSetBit(r + 1)) {
            cb.aload(XS);
            cb.loadConstant(r);
            cb.laload();
            cb.lstore(reg(r));
        }
        for (int slot : new int[] {EXITPC, T1, T2}) {
            cb.lconst_0();
            cb.lstore(slot);
        }
        cb.iconst_0();
        cb.istore(N);
        // A run retires at most 2^30 instructions (the dispatcher calls again for more).
        cb.lload(BUDGET);
        cb.loadConstant(1L << 30);
        g.invokeStatic(MATH, "min", "(JJ)J");
        cb.l2i();
        cb.istore(LIMIT);
        cb.iconst_0();
        cb.istore(AT);
        cb.aconst_null();
        cb.astore(EXC);
        String[][] tlb = {{"readTags", "[J"}, {"readWords", "[[J"}, {"writeTags", "[J"}, {"writeWords", "[[J"},
                {"writePages", "[Ljava/lang/foreign/MemorySegment;"}};
        for (int i = 0; i < tlb.length; i++) {
            cb.aload(H);
            g.invokeStatic(ACCESS, tlb[i][0], "(Ldev/rivet/cpu/Hart;)" + tlb[i][1]);
            cb.astore(RTAG + i);
        }

        Map<Integer, Label> labels = new HashMap<>();
        for (int start : region.blocks.keySet()) labels.put(start, cb.newLabel());

        // Dispatch on the slot (entry, or a jalr into this page).
        Label exitSlot = cb.newLabel();
        g.bind(g.dispatch);
        cb.aload(H);
        g.invokeStatic(ACCESS, "attention", "(Ldev/rivet/cpu/Hart;)Z");
        cb.ifne(exitSlot);
        cb.iload(SLOT);
        List<SwitchCase> cases = new ArrayList<>();
        for (int e : region.entries) cases.add(SwitchCase.of(e >>> 1, labels.get(e)));
        cb.lookupswitch(exitSlot, cases);
        g.bind(exitSlot);
        cb.lload(PCBASE);
        cb.iload(SLOT);
        cb.iconst_1();
        cb.ishl();
        cb.i2l();
        cb.ladd();
        cb.lstore(EXITPC);
        cb.goto_(g.exit);

        Label blocksStart = cb.newLabel(), blocksEnd = cb.newLabel();
        Label exitT1 = cb.newLabel();
        cb.labelBinding(blocksStart);
        List<Block> order = new ArrayList<>(region.blocks.values());
        Map<Integer, Integer> reach = budgetChecks(region);
        for (int i = 0; i < order.size(); i++) {
            Block b = order.get(i);
            Block following = i + 1 < order.size() ? order.get(i + 1) : null;
            g.bind(labels.get(b.start));
            block(g, b, labels, following, exitT1, reach.getOrDefault(b.start, 0));
        }
        cb.labelBinding(blocksEnd);

        g.emitExitStubs();
        if (region.blocks.values().stream().anyMatch(b -> b.end == End.JALR)) {
            g.bind(exitT1);
            cb.lload(T1);
            cb.lstore(EXITPC);
            cb.goto_(g.exit);
        }

        // The single way out: set pc and instret (registers are already stored), return or rethrow.
        Label ret = cb.newLabel();
        g.bind(g.exit);
        cb.aload(H);
        cb.lload(EXITPC);
        cb.putfield(HART, "pc", ConstantDescs.CD_long);
        cb.aload(H);
        cb.dup();
        cb.getfield(HART, "instret", ConstantDescs.CD_long);
        cb.iload(N);
        cb.i2l();
        cb.ladd();
        cb.putfield(HART, "instret", ConstantDescs.CD_long);
        cb.aload(EXC);
        cb.ifnull(ret);
        cb.aload(EXC);
        cb.athrow();
        g.bind(ret);
        cb.iload(N);
        cb.i2l();
        cb.lreturn();

        if (g.trapPc.isEmpty()) return read;
        // Anything thrown by an instruction: the guest state is that before the instruction.
        Label handler = g.handler;
        g.bind(handler);
        cb.astore(EXC);
        cb.aload(THIS);
        cb.getfield(BASE, "trapPc", INT_ARRAY);
        cb.iload(AT);
        cb.iaload();
        cb.i2l();
        cb.lload(PCBASE);
        cb.ladd();
        cb.lstore(EXITPC);
        cb.iload(N);
        cb.aload(THIS);
        cb.getfield(BASE, "trapUndo", INT_ARRAY);
        cb.iload(AT);
        cb.iaload();
        cb.isub();
        cb.istore(N);
        cb.goto_(g.exit);
        cb.exceptionCatchAll(blocksStart, blocksEnd, handler);
        return read;
    }

    /**
     * Where the budget is checked, and against how many instructions: at every block that can be
     * entered from outside (dispatch) or from a backward branch (a loop head), the most
     * instructions the region can run from there before it reaches another such block or leaves.
     * Every cycle passes through a loop head, so those paths are finite; if the budget cannot cover
     * one, the region leaves at the block and the interpreter runs the rest of the budget, so the
     * slice still ends at exactly the budget. Checking once per loop trip rather than per block keeps
     * loops free of exits HotSpot would otherwise have to keep.
     */
    private static Map<Integer, Integer> budgetChecks(Region region) {
        Map<Integer, Integer> longest = new HashMap<>();
        Map<Integer, Integer> checks = new HashMap<>();
        for (Block b : region.blocks.values()) {
            if (checked(region, b)) checks.put(b.start, longestFrom(region, b, longest));
        }
        return checks;
    }

    /** Blocks entered from outside the region or by a backward branch: where the budget is checked. */
    private static boolean checked(Region region, Block b) {
        return b.loopHead || region.entries.contains(b.start);
    }

    /** Instructions on the longest path from {@code b} up to (not into) a checked block or an exit. */
    private static int longestFrom(Region region, Block b, Map<Integer, Integer> memo) {
        Integer known = memo.get(b.start);
        if (known != null) return known;
        int most = 0;
        List<Long> successors = new ArrayList<>();
        if (b.end == End.FALL || b.end == End.BRANCH) successors.add((long) b.next);
        if (b.end == End.BRANCH || b.end == End.JAL) successors.add(b.target);
        for (long s : successors) {
            Block next = s >= 0 && s < dev.rivet.mem.Page.SIZE ? region.blocks.get((int) s) : null;
            if (next == null || checked(region, next)) continue;
            most = Math.max(most, longestFrom(region, next, memo));
        }
        int result = b.length() + most;
        memo.put(b.start, result);
        return result;
    }

    /** {@code reach}: instructions to check the budget for here (see budgetChecks), 0 for none. */
    private static void block(Gen g, Block b, Map<Integer, Label> labels, Block following, Label exitT1, int reach) {
        CodeBuilder cb = g.cb;
        int length = b.length();
        Label leave = g.exitTo(b.start, 0);
        if (b.loopHead) {
            cb.aload(H);
            g.invokeStatic(ACCESS, "attention", "(Ldev/rivet/cpu/Hart;)Z");
            cb.ifne(leave);
        }
        if (reach > 0) {
            cb.iload(N);
            cb.loadConstant(reach);
            cb.iadd();
            cb.iload(LIMIT);
            cb.if_icmpgt(leave);
        }
        cb.iinc(N, length);

        int last = b.end == End.FALL ? length : length - 1;
        for (int k = 0; k < last; k++) {
            g.off = b.offsets.get(k);
            // Line numbers are page offsets: a profile of translated code names guest instructions.
            cb.lineNumber(g.off);
            g.undoBefore = length - k;
            InsnEmitter.emit(g, b.insns.get(k));
        }
        if (b.end == End.FALL) {
            goTo(g, labels, b.next, following);
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
                g.loadX(Insn.rs1(d));
                g.loadX(Insn.rs2(d));
                if (op == BLTU || op == BGEU) g.invokeStatic(LONG, "compareUnsigned", "(JJ)I");
                else cb.lcmp();
                Label taken = target(g, labels, b.target);
                switch (op) {
                    case BEQ -> cb.ifeq(taken);
                    case BNE -> cb.ifne(taken);
                    case BLT, BLTU -> cb.iflt(taken);
                    default -> cb.ifge(taken);
                }
                goTo(g, labels, b.next, following);
            }
            case JAL -> {
                linkRegister(g, rd, b.next);
                cb.goto_(target(g, labels, b.target));
            }
            case JALR -> {
                g.address(Insn.rs1(d), Insn.imm(d));
                cb.loadConstant(~1L);
                cb.land();
                cb.lstore(T1);
                linkRegister(g, rd, b.next);
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
                cb.ifne(exitT1);
                cb.lload(T2);
                cb.l2i();
                cb.iconst_1();
                cb.iushr();
                cb.istore(SLOT);
                cb.goto_(g.dispatch);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void linkRegister(Gen g, int rd, int next) {
        if (rd == 0) return;
        g.cb.lload(PCBASE);
        g.cb.loadConstant((long) next);
        g.cb.ladd();
        g.storeX(rd);
    }

    private static Label target(Gen g, Map<Integer, Label> labels, long target) {
        Label l = target >= 0 && target < dev.rivet.mem.Page.SIZE ? labels.get((int) target) : null;
        return l != null ? l : g.exitTo(target, 0);
    }

    /** Continues at {@code next}: nothing if that block comes next in the method, else a goto. */
    private static void goTo(Gen g, Map<Integer, Label> labels, int next, Block following) {
        if (following != null && following.start == next) return;
        g.cb.goto_(target(g, labels, next));
    }

    /** Which integer registers an instruction may read and write (an over-approximation is safe). */
    static void usage(long d, BitSet read, BitSet written) {
        int op = Insn.op(d);
        boolean fp = op >= FLW && op <= FMV_D_X;
        if (fp) {
            switch (op) {
                case FLW, FLD, FSW, FSD, FCVT_S_W, FCVT_S_WU, FCVT_S_L, FCVT_S_LU, FMV_W_X,
                     FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU, FMV_D_X -> read.set(Insn.rs1(d));
                case FCVT_W_S, FCVT_WU_S, FCVT_L_S, FCVT_LU_S, FMV_X_W, FCLASS_S, FEQ_S, FLT_S, FLE_S,
                     FCVT_W_D, FCVT_WU_D, FCVT_L_D, FCVT_LU_D, FMV_X_D, FCLASS_D, FEQ_D, FLT_D, FLE_D -> written.set(Insn.rd(d));
                default -> { }
            }
            return;
        }
        read.set(Insn.rs1(d));
        read.set(Insn.rs2(d));
        boolean noRd = (op >= BEQ && op <= BGEU) || (op >= SB && op <= SD) || op == FENCE;
        if (!noRd) written.set(Insn.rd(d));
    }
}
