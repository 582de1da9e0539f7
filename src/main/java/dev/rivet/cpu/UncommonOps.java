package dev.rivet.cpu;

import static dev.rivet.cpu.Op.*;

import java.util.List;

/**
 * The interpreter's less common instructions: multiply-high, division and remainder, atomics,
 * floating-point loads, stores and arithmetic, the bit-manipulation extensions, fences, ebreak and
 * illegal encodings. {@link Interpreter}'s loop keeps the common integer instructions in its own
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
        switch (Insn.op(d)) {
            case MULH -> x[rd] = Alu.mulh(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case MULHSU -> x[rd] = Alu.mulhsu(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case MULHU -> x[rd] = Alu.mulhu(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case DIV -> x[rd] = Alu.div(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case DIVU -> x[rd] = Alu.divu(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case REM -> x[rd] = Alu.rem(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case REMU -> x[rd] = Alu.remu(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case DIVW -> x[rd] = Alu.divw(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case DIVUW -> x[rd] = Alu.divuw(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case REMW -> x[rd] = Alu.remw(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case REMUW -> x[rd] = Alu.remuw(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case LR_W -> x[rd] = h.loadReserved(x[Insn.rs1(d)], 4);
            case LR_D -> x[rd] = h.loadReserved(x[Insn.rs1(d)], 8);
            case SC_W -> x[rd] = h.storeConditional(x[Insn.rs1(d)], 4, x[Insn.rs2(d)]);
            case SC_D -> x[rd] = h.storeConditional(x[Insn.rs1(d)], 8, x[Insn.rs2(d)]);
            case AMOSWAP_W, AMOADD_W, AMOXOR_W, AMOAND_W, AMOOR_W, AMOMIN_W, AMOMAX_W, AMOMINU_W, AMOMAXU_W ->
                    x[rd] = Atomics.amo32(h, Insn.op(d), x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case AMOSWAP_D, AMOADD_D, AMOXOR_D, AMOAND_D, AMOOR_D, AMOMIN_D, AMOMAX_D, AMOMINU_D, AMOMAXU_D ->
                    x[rd] = Atomics.amo64(h, Insn.op(d), x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case FLW -> { h.requireFloatingPoint(true); h.f[rd] = Fpu.box((int) h.load(x[Insn.rs1(d)] + imm, 4)); }
            case FLD -> { h.requireFloatingPoint(true); h.f[rd] = h.load(x[Insn.rs1(d)] + imm, 8); }
            case FSW -> { h.requireFloatingPoint(false); h.store(x[Insn.rs1(d)] + imm, 4, h.f[Insn.rs2(d)]); }
            case FSD -> { h.requireFloatingPoint(false); h.store(x[Insn.rs1(d)] + imm, 8, h.f[Insn.rs2(d)]); }
            case SH1ADD -> x[rd] = (x[Insn.rs1(d)] << 1) + x[Insn.rs2(d)];
            case SH2ADD -> x[rd] = (x[Insn.rs1(d)] << 2) + x[Insn.rs2(d)];
            case SH3ADD -> x[rd] = (x[Insn.rs1(d)] << 3) + x[Insn.rs2(d)];
            case ADD_UW -> x[rd] = (x[Insn.rs1(d)] & 0xffffffffL) + x[Insn.rs2(d)];
            case SH1ADD_UW -> x[rd] = ((x[Insn.rs1(d)] & 0xffffffffL) << 1) + x[Insn.rs2(d)];
            case SH2ADD_UW -> x[rd] = ((x[Insn.rs1(d)] & 0xffffffffL) << 2) + x[Insn.rs2(d)];
            case SH3ADD_UW -> x[rd] = ((x[Insn.rs1(d)] & 0xffffffffL) << 3) + x[Insn.rs2(d)];
            case SLLI_UW -> x[rd] = (x[Insn.rs1(d)] & 0xffffffffL) << imm;
            case ANDN -> x[rd] = x[Insn.rs1(d)] & ~x[Insn.rs2(d)];
            case ORN -> x[rd] = x[Insn.rs1(d)] | ~x[Insn.rs2(d)];
            case XNOR -> x[rd] = ~(x[Insn.rs1(d)] ^ x[Insn.rs2(d)]);
            case CLZ -> x[rd] = Long.numberOfLeadingZeros(x[Insn.rs1(d)]);
            case CLZW -> x[rd] = Integer.numberOfLeadingZeros((int) x[Insn.rs1(d)]);
            case CTZ -> x[rd] = Long.numberOfTrailingZeros(x[Insn.rs1(d)]);
            case CTZW -> x[rd] = Integer.numberOfTrailingZeros((int) x[Insn.rs1(d)]);
            case CPOP -> x[rd] = Long.bitCount(x[Insn.rs1(d)]);
            case CPOPW -> x[rd] = Integer.bitCount((int) x[Insn.rs1(d)]);
            case MAX -> x[rd] = Math.max(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case MAXU -> {
                long a = x[Insn.rs1(d)], b = x[Insn.rs2(d)];
                x[rd] = Long.compareUnsigned(a, b) >= 0 ? a : b;
            }
            case MIN -> x[rd] = Math.min(x[Insn.rs1(d)], x[Insn.rs2(d)]);
            case MINU -> {
                long a = x[Insn.rs1(d)], b = x[Insn.rs2(d)];
                x[rd] = Long.compareUnsigned(a, b) <= 0 ? a : b;
            }
            case SEXT_B -> x[rd] = (byte) x[Insn.rs1(d)];
            case SEXT_H -> x[rd] = (short) x[Insn.rs1(d)];
            case ZEXT_H -> x[rd] = x[Insn.rs1(d)] & 0xffff;
            case ROL -> x[rd] = Long.rotateLeft(x[Insn.rs1(d)], (int) x[Insn.rs2(d)]);
            case ROLW -> x[rd] = Integer.rotateLeft((int) x[Insn.rs1(d)], (int) x[Insn.rs2(d)]);
            case ROR -> x[rd] = Long.rotateRight(x[Insn.rs1(d)], (int) x[Insn.rs2(d)]);
            case RORI -> x[rd] = Long.rotateRight(x[Insn.rs1(d)], imm);
            case RORIW -> x[rd] = Integer.rotateRight((int) x[Insn.rs1(d)], imm);
            case RORW -> x[rd] = Integer.rotateRight((int) x[Insn.rs1(d)], (int) x[Insn.rs2(d)]);
            case ORC_B -> x[rd] = Alu.orcb(x[Insn.rs1(d)]);
            case REV8 -> x[rd] = Long.reverseBytes(x[Insn.rs1(d)]);
            case BCLR -> x[rd] = x[Insn.rs1(d)] & ~(1L << x[Insn.rs2(d)]);
            case BCLRI -> x[rd] = x[Insn.rs1(d)] & ~(1L << imm);
            case BEXT -> x[rd] = (x[Insn.rs1(d)] >>> x[Insn.rs2(d)]) & 1;
            case BEXTI -> x[rd] = (x[Insn.rs1(d)] >>> imm) & 1;
            case BINV -> x[rd] = x[Insn.rs1(d)] ^ (1L << x[Insn.rs2(d)]);
            case BINVI -> x[rd] = x[Insn.rs1(d)] ^ (1L << imm);
            case BSET -> x[rd] = x[Insn.rs1(d)] | (1L << x[Insn.rs2(d)]);
            case BSETI -> x[rd] = x[Insn.rs1(d)] | (1L << imm);
            case FENCE -> java.lang.invoke.VarHandle.fullFence();
            case FENCE_I -> h.fenceInstructions();
            case EBREAK -> throw h.raise(Cause.BREAKPOINT, pc);
            case ILLEGAL -> throw h.raise(Cause.ILLEGAL_INSTRUCTION, imm & 0xffffffffL);
            default -> FloatOps.execute(h, d);
        }
    }
}
