package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;
import static dev.rivet.jit.Gen.*;

import dev.rivet.cpu.Insn;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;

/**
 * Emits the bytecode of one non-control-flow instruction, mirroring the interpreter's switch case
 * for case: trivial integer operations inline on register locals; everything with corner cases
 * through the same static methods the interpreter calls ({@code Alu}, {@code Fpu}, {@code Atomics});
 * loads and stores through {@link Memory}'s TLB fast path (the rest left to the interpreter).
 * Control flow (branches and jumps) is the {@link RegionCompiler}'s.
 */
final class InsnEmitter {
    private InsnEmitter() {}

    private static final long MASK32 = 0xffffffffL;

    /** True for operations with no effect but writing rd, which can be skipped when rd is x0. */
    static boolean pure(int op) {
        return (op >= LUI && op <= AUIPC) || (op >= ADDI && op <= SRAW) || (op >= MUL && op <= REMUW)
                || (op >= SH1ADD && op <= BSETI);
    }

    static void emit(Gen g, long d) {
        CodeBuilder cb = g.cb;
        int op = Insn.op(d);
        int rd = Insn.rd(d), rs1 = Insn.rs1(d), rs2 = Insn.rs2(d), imm = Insn.imm(d);
        if (rd == 0 && pure(op)) return;
        switch (op) {
            case LUI -> cb.loadConstant((long) imm);
            case AUIPC -> {
                cb.lload(PCBASE);
                cb.loadConstant(g.off + (long) imm);
                cb.ladd();
            }
            case LB, LH, LW, LD, LBU, LHU, LWU -> {
                g.mayTrap();
                MemoryEmitter.load(g, switch (op) {
                    case LB -> "lb";
                    case LBU -> "lbu";
                    case LH -> "lh";
                    case LHU -> "lhu";
                    case LW -> "lw";
                    case LWU -> "lwu";
                    default -> "ld";
                }, rs1, imm, false, rd);
                return;
            }
            case SB, SH, SW, SD -> {
                g.mayTrap();
                MemoryEmitter.store(g, op == SB ? "sb" : op == SH ? "sh" : op == SW ? "sw" : "sd", rs1, imm, false, rs2);
                return;
            }
            case ADDI -> g.address(rs1, imm);
            case SLTI -> { g.loadX(rs1); cb.loadConstant((long) imm); cb.lcmp(); signBit(cb); }
            case SLTIU -> { g.loadX(rs1); cb.loadConstant((long) imm); compareUnsigned(g); signBit(cb); }
            case XORI -> { g.loadX(rs1); cb.loadConstant((long) imm); cb.lxor(); }
            case ORI -> { g.loadX(rs1); cb.loadConstant((long) imm); cb.lor(); }
            case ANDI -> { g.loadX(rs1); cb.loadConstant((long) imm); cb.land(); }
            case SLLI -> { g.loadX(rs1); cb.loadConstant(imm); cb.lshl(); }
            case SRLI -> { g.loadX(rs1); cb.loadConstant(imm); cb.lushr(); }
            case SRAI -> { g.loadX(rs1); cb.loadConstant(imm); cb.lshr(); }
            case ADD -> { g.loadX(rs1); g.loadX(rs2); cb.ladd(); }
            case SUB -> { g.loadX(rs1); g.loadX(rs2); cb.lsub(); }
            case SLL -> { g.loadX(rs1); g.loadX(rs2); cb.l2i(); cb.lshl(); }
            case SLT -> { g.loadX(rs1); g.loadX(rs2); cb.lcmp(); signBit(cb); }
            case SLTU -> { g.loadX(rs1); g.loadX(rs2); compareUnsigned(g); signBit(cb); }
            case XOR -> logic(g, rs1, rs2, XOR);
            case SRL -> { g.loadX(rs1); g.loadX(rs2); cb.l2i(); cb.lushr(); }
            case SRA -> { g.loadX(rs1); g.loadX(rs2); cb.l2i(); cb.lshr(); }
            case OR -> or(g, rs1, rs2);
            case AND -> logic(g, rs1, rs2, AND);
            case ADDIW -> {
                g.address(rs1, imm);
                // sext.w of a word: a copy (see WordValues).
                if (!WordValues.copiesWord(d, g.words)) {
                    cb.l2i();
                    cb.i2l();
                }
            }
            case SLLIW -> { g.loadX(rs1); cb.l2i(); cb.loadConstant(imm); cb.ishl(); widen(g); }
            case SRLIW -> { g.loadX(rs1); cb.l2i(); cb.loadConstant(imm); cb.iushr(); widen(g); }
            case SRAIW -> { g.loadX(rs1); cb.l2i(); cb.loadConstant(imm); cb.ishr(); widen(g); }
            case ADDW -> { g.loadX(rs1); g.loadX(rs2); cb.ladd(); cb.l2i(); widen(g); }
            case SUBW -> { g.loadX(rs1); g.loadX(rs2); cb.lsub(); cb.l2i(); widen(g); }
            // The JVM's int shifts use the low five bits of the count, as SLLW/SRLW/SRAW do.
            case SLLW -> { int32(g, rs1, rs2); cb.ishl(); widen(g); }
            case SRLW -> { int32(g, rs1, rs2); cb.iushr(); widen(g); }
            case SRAW -> { int32(g, rs1, rs2); cb.ishr(); widen(g); }
            case CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI -> {
                // Only the floating-point CSRs reach here (Region.translatable).
                g.mayTrap();
                cb.aload(H);
                cb.loadConstant(d);
                g.loadX(rs1);
                g.invokeStatic(ACCESS, "csr", "(Ldev/rivet/cpu/Hart;JJ)J");
            }
            case FENCE -> {
                g.invokeStatic(ClassDesc.of("java.lang.invoke.VarHandle"), "fullFence", "()V");
                return;
            }
            case MUL -> { g.loadX(rs1); g.loadX(rs2); cb.lmul(); }
            case MULW -> { int32(g, rs1, rs2); cb.imul(); cb.i2l(); }
            case MULH -> alu(g, "mulh", rs1, rs2);
            case MULHSU -> alu(g, "mulhsu", rs1, rs2);
            case MULHU -> alu(g, "mulhu", rs1, rs2);
            case DIV -> alu(g, "div", rs1, rs2);
            case DIVU -> alu(g, "divu", rs1, rs2);
            case REM -> alu(g, "rem", rs1, rs2);
            case REMU -> alu(g, "remu", rs1, rs2);
            case DIVW -> alu(g, "divw", rs1, rs2);
            case DIVUW -> alu(g, "divuw", rs1, rs2);
            case REMW -> alu(g, "remw", rs1, rs2);
            case REMUW -> alu(g, "remuw", rs1, rs2);
            case LR_W, LR_D -> {
                g.mayTrap();
                cb.aload(H);
                g.loadX(rs1);
                cb.loadConstant(op == LR_W ? 4 : 8);
                g.invokeStatic(ACCESS, "loadReserved", "(Ldev/rivet/cpu/Hart;JI)J");
                MemoryEmitter.emptyPageSlots(g);
            }
            case SC_W, SC_D -> {
                g.mayTrap();
                cb.aload(H);
                g.loadX(rs1);
                cb.loadConstant(op == SC_W ? 4 : 8);
                g.loadX(rs2);
                g.invokeStatic(ACCESS, "storeConditional", "(Ldev/rivet/cpu/Hart;JIJ)J");
                MemoryEmitter.emptyPageSlots(g);
                g.storeX(rd);
                leaveIfCodeDropped(g, Insn.length(d));
                return;
            }
            case AMOSWAP_W, AMOADD_W, AMOXOR_W, AMOAND_W, AMOOR_W, AMOMIN_W, AMOMAX_W, AMOMINU_W, AMOMAXU_W,
                 AMOSWAP_D, AMOADD_D, AMOXOR_D, AMOAND_D, AMOOR_D, AMOMIN_D, AMOMAX_D, AMOMINU_D, AMOMAXU_D -> {
                g.mayTrap();
                cb.aload(H);
                cb.loadConstant(op);
                g.loadX(rs1);
                g.loadX(rs2);
                g.invokeStatic(ATOMICS, op <= AMOMAXU_W ? "amo32" : "amo64", "(Ldev/rivet/cpu/Hart;IJJ)J");
                MemoryEmitter.emptyPageSlots(g);
                g.storeX(rd);
                leaveIfCodeDropped(g, Insn.length(d));
                return;
            }
            case SH1ADD, SH2ADD, SH3ADD -> {
                g.loadX(rs1);
                cb.loadConstant(op - SH1ADD + 1);
                cb.lshl();
                g.loadX(rs2);
                cb.ladd();
            }
            case ADD_UW -> { zext32(g, rs1); g.loadX(rs2); cb.ladd(); }
            case SH1ADD_UW, SH2ADD_UW, SH3ADD_UW -> {
                zext32(g, rs1);
                cb.loadConstant(op - SH1ADD_UW + 1);
                cb.lshl();
                g.loadX(rs2);
                cb.ladd();
            }
            case SLLI_UW -> { zext32(g, rs1); cb.loadConstant(imm); cb.lshl(); }
            case ANDN -> { g.loadX(rs1); g.loadX(rs2); cb.loadConstant(-1L); cb.lxor(); cb.land(); }
            case ORN -> { g.loadX(rs1); g.loadX(rs2); cb.loadConstant(-1L); cb.lxor(); cb.lor(); }
            case XNOR -> { g.loadX(rs1); g.loadX(rs2); cb.lxor(); cb.loadConstant(-1L); cb.lxor(); }
            case CLZ -> unaryLong(g, rs1, "numberOfLeadingZeros");
            case CTZ -> unaryLong(g, rs1, "numberOfTrailingZeros");
            case CPOP -> unaryLong(g, rs1, "bitCount");
            case CLZW -> unaryInt(g, rs1, "numberOfLeadingZeros");
            case CTZW -> unaryInt(g, rs1, "numberOfTrailingZeros");
            case CPOPW -> unaryInt(g, rs1, "bitCount");
            case MAX -> { g.loadX(rs1); g.loadX(rs2); g.invokeStatic(MATH, "max", "(JJ)J"); }
            case MIN -> { g.loadX(rs1); g.loadX(rs2); g.invokeStatic(MATH, "min", "(JJ)J"); }
            case MAXU -> selectUnsigned(g, rs1, rs2, true);
            case MINU -> selectUnsigned(g, rs1, rs2, false);
            case SEXT_B -> { g.loadX(rs1); cb.l2i(); cb.i2b(); cb.i2l(); }
            case SEXT_H -> { g.loadX(rs1); cb.l2i(); cb.i2s(); cb.i2l(); }
            case ZEXT_H -> { g.loadX(rs1); cb.loadConstant(0xffffL); cb.land(); }
            case ROL -> { g.loadX(rs1); g.loadX(rs2); cb.l2i(); g.invokeStatic(LONG, "rotateLeft", "(JI)J"); }
            case ROR -> { g.loadX(rs1); g.loadX(rs2); cb.l2i(); g.invokeStatic(LONG, "rotateRight", "(JI)J"); }
            case RORI -> { g.loadX(rs1); cb.loadConstant(imm); g.invokeStatic(LONG, "rotateRight", "(JI)J"); }
            case ROLW -> { int32(g, rs1, rs2); g.invokeStatic(INTEGER, "rotateLeft", "(II)I"); cb.i2l(); }
            case RORW -> { int32(g, rs1, rs2); g.invokeStatic(INTEGER, "rotateRight", "(II)I"); cb.i2l(); }
            case RORIW -> {
                g.loadX(rs1);
                cb.l2i();
                cb.loadConstant(imm);
                g.invokeStatic(INTEGER, "rotateRight", "(II)I");
                cb.i2l();
            }
            case ORC_B -> { g.loadX(rs1); g.invokeStatic(ALU, "orcb", "(J)J"); }
            case REV8 -> { g.loadX(rs1); g.invokeStatic(LONG, "reverseBytes", "(J)J"); }
            case BCLR -> { g.loadX(rs1); bit(g, rs2); cb.loadConstant(-1L); cb.lxor(); cb.land(); }
            case BCLRI -> { g.loadX(rs1); cb.loadConstant(~(1L << imm)); cb.land(); }
            case BEXT -> { g.loadX(rs1); g.loadX(rs2); cb.l2i(); cb.lushr(); cb.lconst_1(); cb.land(); }
            case BEXTI -> { g.loadX(rs1); cb.loadConstant(imm); cb.lushr(); cb.lconst_1(); cb.land(); }
            case BINV -> { g.loadX(rs1); bit(g, rs2); cb.lxor(); }
            case BINVI -> { g.loadX(rs1); cb.loadConstant(1L << imm); cb.lxor(); }
            case BSET -> { g.loadX(rs1); bit(g, rs2); cb.lor(); }
            case BSETI -> { g.loadX(rs1); cb.loadConstant(1L << imm); cb.lor(); }
            default -> {
                FloatEmitter.emit(g, d);
                return;
            }
        }
        g.storeX(rd);
    }

    /**
     * After a store: when it dropped the decoded code of the page being run (self-modifying code),
     * leave, as the interpreter would re-decode the next instruction.
     */
    private static void leaveIfCodeDropped(Gen g, int length) {
        g.cb.aload(H);
        g.invokeStatic(ACCESS, "codeDropped", "(Ldev/rivet/cpu/Hart;)Z");
        Label leave = g.exitAfter(length);
        g.cb.ifne(leave);
    }

    /** lcmp / compareUnsigned result (-1, 0, 1) to 1 if negative else 0, as a long. */
    private static void signBit(CodeBuilder cb) {
        cb.loadConstant(31);
        cb.iushr();
        cb.i2l();
    }

    private static void compareUnsigned(Gen g) {
        g.invokeStatic(LONG, "compareUnsigned", "(JJ)I");
    }

    /** or, or the 32-bit rotate it completes ({@link WordRotates}) as one Integer.rotateRight. */
    private static void or(Gen g, int rs1, int rs2) {
        int rotate = g.rotates.rotate(rs1, rs2);
        if (rotate < 0) {
            logic(g, rs1, rs2, OR);
            return;
        }
        g.loadX(WordRotates.source(rotate));
        g.cb.l2i();
        g.cb.loadConstant(WordRotates.amount(rotate));
        g.invokeStatic(INTEGER, "rotateRight", "(II)I");
        widen(g);
    }

    /** Widens the int on the stack to a long (a word), noting that the result was an int's. */
    private static void widen(Gen g) {
        g.cb.i2l();
        g.intResult = true;
    }

    /** Whether logic on int results stays an int operation (-Drivet.jit.intLogic=false: never). */
    static final boolean INT_LOGIC = Boolean.parseBoolean(System.getProperty("rivet.jit.intLogic", "true"));

    /**
     * and, or, xor of x[rs1] and x[rs2]. Of two values that int operations of this block computed
     * (see {@link Gen#intResults}: words, so the low halves give the same result, sign-extended),
     * as an int operation widened once; of any others as a long operation, which needs no sign
     * extension of its own. HotSpot materializes a widened int as a long (a sign extension, movslq)
     * wherever a long operation reads it: sha256's sigmas, three rotates and two xors, took three
     * extensions as long xors and take one now; its round loop went from 115 to 104 host
     * instructions (16 extensions to 11) and from 10425 to 10972 million guest instructions a second
     * (medians, faster in 5 of 5 alternating runs). Emitting every and, or and xor of two words
     * as an int operation, whatever computed them, had been slower (bench/HISTORY.md): operands
     * loaded as longs then cost a widening of the result they did not need.
     */
    private static void logic(Gen g, int rs1, int rs2, int op) {
        CodeBuilder cb = g.cb;
        boolean ints = INT_LOGIC && (g.intResults & (1 << rs1)) != 0 && (g.intResults & (1 << rs2)) != 0;
        g.loadX(rs1, ints);
        g.loadX(rs2, ints);
        switch (op) {
            case AND -> { if (ints) cb.iand(); else cb.land(); }
            case OR -> { if (ints) cb.ior(); else cb.lor(); }
            default -> { if (ints) cb.ixor(); else cb.lxor(); }
        }
        if (ints) widen(g);
    }

    private static void int32(Gen g, int rs1, int rs2) {
        g.loadX(rs1);
        g.cb.l2i();
        g.loadX(rs2);
        g.cb.l2i();
    }

    private static void zext32(Gen g, int rs1) {
        g.loadX(rs1);
        g.cb.loadConstant(MASK32);
        g.cb.land();
    }

    /** Pushes 1L << (x[rs2] & 63). */
    private static void bit(Gen g, int rs2) {
        g.cb.lconst_1();
        g.loadX(rs2);
        g.cb.l2i();
        g.cb.lshl();
    }

    private static void alu(Gen g, String name, int rs1, int rs2) {
        g.loadX(rs1);
        g.loadX(rs2);
        g.cb.invokestatic(ALU, name, J_JJ);
    }

    private static void unaryLong(Gen g, int rs1, String name) {
        g.loadX(rs1);
        g.invokeStatic(LONG, name, "(J)I");
        g.cb.i2l();
    }

    private static void unaryInt(Gen g, int rs1, String name) {
        g.loadX(rs1);
        g.cb.l2i();
        g.invokeStatic(INTEGER, name, "(I)I");
        g.cb.i2l();
    }

    /** maxu / minu: the larger (smaller) of two registers compared unsigned. */
    private static void selectUnsigned(Gen g, int rs1, int rs2, boolean max) {
        CodeBuilder cb = g.cb;
        Label first = cb.newLabel(), done = cb.newLabel();
        g.loadX(rs1);
        g.loadX(rs2);
        compareUnsigned(g);
        if (max) cb.ifge(first);
        else cb.ifle(first);
        // Through a temporary: the operand stack is empty at every jump target (one frame type).
        g.loadX(rs2);
        cb.lstore(T2);
        cb.goto_(done);
        g.bind(first);
        g.loadX(rs1);
        cb.lstore(T2);
        g.bind(done);
        cb.lload(T2);
    }
}
