package dev.rivet.cpu;

import static dev.rivet.cpu.Op.*;

import java.util.List;

/**
 * The interpreter's less common instructions: multiply-high, division and remainder, atomics,
 * floating-point loads, stores and arithmetic, the bit-manipulation extensions, fences, ebreak and
 * illegal encodings. {@link Interpreter}'s loop keeps the common instructions in its own
 * switch and calls this for the rest: every case it inlines lengthens the loop HotSpot compiles,
 * and every call inside it is a place where C2 (which has no callee-saved registers) must keep the
 * loop's values on the stack.
 */
final class UncommonOps {
    private UncommonOps() {}

    /** The classes whose static methods {@link #execute} calls (see {@link Interpreter#STATIC_CALLEES}). */
    static final List<Class<?>> STATIC_CALLEES =
            List.of(Alu.class, Atomics.class, FloatOps.class, Fpu.class, Insn.class);

    static {
        StaticCallees.initialize(STATIC_CALLEES);
    }

    /** Executes {@code d}, at {@code pc}, except for setting pc and x0 (the caller does both). */
    static void execute(Hart h, long[] x, long d, long pc) {
        int rd = Insn.rd(d);
        int imm = Insn.imm(d);
        // Both source registers, read whether the instruction has them or not (the fields are five bits).
        long a = x[Insn.rs1(d)], b = x[Insn.rs2(d)];
        switch (Insn.op(d)) {
            case MULH -> x[rd] = Alu.mulh(a, b);
            case MULHSU -> x[rd] = Alu.mulhsu(a, b);
            case MULHU -> x[rd] = Alu.mulhu(a, b);
            case DIV -> x[rd] = Alu.div(a, b);
            case DIVU -> x[rd] = Alu.divu(a, b);
            case REM -> x[rd] = Alu.rem(a, b);
            case REMU -> x[rd] = Alu.remu(a, b);
            case DIVW -> x[rd] = Alu.divw(a, b);
            case DIVUW -> x[rd] = Alu.divuw(a, b);
            case REMW -> x[rd] = Alu.remw(a, b);
            case REMUW -> x[rd] = Alu.remuw(a, b);
            case LR_W -> x[rd] = h.loadReserved(a, 4);
            case LR_D -> x[rd] = h.loadReserved(a, 8);
            case SC_W -> x[rd] = h.storeConditional(a, 4, b);
            case SC_D -> x[rd] = h.storeConditional(a, 8, b);
            case AMOSWAP_W, AMOADD_W, AMOXOR_W, AMOAND_W, AMOOR_W, AMOMIN_W, AMOMAX_W, AMOMINU_W, AMOMAXU_W ->
                    x[rd] = Atomics.amo32(h, Insn.op(d), a, b);
            case AMOSWAP_D, AMOADD_D, AMOXOR_D, AMOAND_D, AMOOR_D, AMOMIN_D, AMOMAX_D, AMOMINU_D, AMOMAXU_D ->
                    x[rd] = Atomics.amo64(h, Insn.op(d), a, b);
            case FLW -> { h.requireFloatingPoint(true); h.f[rd] = Fpu.box((int) h.load(a + imm, 4)); }
            case FLD -> { h.requireFloatingPoint(true); h.f[rd] = h.load(a + imm, 8); }
            case FSW -> { h.requireFloatingPoint(false); h.store(a + imm, 4, h.f[Insn.rs2(d)]); }
            case FSD -> { h.requireFloatingPoint(false); h.store(a + imm, 8, h.f[Insn.rs2(d)]); }
            case SH1ADD -> x[rd] = (a << 1) + b;
            case SH2ADD -> x[rd] = (a << 2) + b;
            case SH3ADD -> x[rd] = (a << 3) + b;
            case ADD_UW -> x[rd] = (a & 0xffffffffL) + b;
            case SH1ADD_UW -> x[rd] = ((a & 0xffffffffL) << 1) + b;
            case SH2ADD_UW -> x[rd] = ((a & 0xffffffffL) << 2) + b;
            case SH3ADD_UW -> x[rd] = ((a & 0xffffffffL) << 3) + b;
            case SLLI_UW -> x[rd] = (a & 0xffffffffL) << imm;
            case ANDN -> x[rd] = a & ~b;
            case ORN -> x[rd] = a | ~b;
            case XNOR -> x[rd] = ~(a ^ b);
            case CLZ -> x[rd] = Long.numberOfLeadingZeros(a);
            case CLZW -> x[rd] = Integer.numberOfLeadingZeros((int) a);
            case CTZ -> x[rd] = Long.numberOfTrailingZeros(a);
            case CTZW -> x[rd] = Integer.numberOfTrailingZeros((int) a);
            case CPOP -> x[rd] = Long.bitCount(a);
            case CPOPW -> x[rd] = Integer.bitCount((int) a);
            case MAX -> x[rd] = Math.max(a, b);
            case MAXU -> x[rd] = Long.compareUnsigned(a, b) >= 0 ? a : b;
            case MIN -> x[rd] = Math.min(a, b);
            case MINU -> x[rd] = Long.compareUnsigned(a, b) <= 0 ? a : b;
            case SEXT_B -> x[rd] = (byte) a;
            case SEXT_H -> x[rd] = (short) a;
            case ZEXT_H -> x[rd] = a & 0xffff;
            case ROL -> x[rd] = Long.rotateLeft(a, (int) b);
            case ROLW -> x[rd] = Integer.rotateLeft((int) a, (int) b);
            case ROR -> x[rd] = Long.rotateRight(a, (int) b);
            case RORI -> x[rd] = Long.rotateRight(a, imm);
            case RORIW -> x[rd] = Integer.rotateRight((int) a, imm);
            case RORW -> x[rd] = Integer.rotateRight((int) a, (int) b);
            case ORC_B -> x[rd] = Alu.orcb(a);
            case REV8 -> x[rd] = Long.reverseBytes(a);
            case BCLR -> x[rd] = a & ~(1L << b);
            case BCLRI -> x[rd] = a & ~(1L << imm);
            case BEXT -> x[rd] = (a >>> b) & 1;
            case BEXTI -> x[rd] = (a >>> imm) & 1;
            case BINV -> x[rd] = a ^ (1L << b);
            case BINVI -> x[rd] = a ^ (1L << imm);
            case BSET -> x[rd] = a | (1L << b);
            case BSETI -> x[rd] = a | (1L << imm);
            case FENCE -> java.lang.invoke.VarHandle.fullFence();
            case FENCE_I -> h.fenceInstructions();
            case EBREAK -> throw h.raise(Cause.BREAKPOINT, pc);
            case ILLEGAL -> throw h.raise(Cause.ILLEGAL_INSTRUCTION, imm & 0xffffffffL);
            default -> FloatOps.execute(h, d);
        }
    }
}
