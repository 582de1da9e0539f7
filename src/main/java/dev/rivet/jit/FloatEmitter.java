package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;
import static dev.rivet.jit.Gen.*;

import dev.rivet.cpu.Insn;
import java.lang.classfile.CodeBuilder;

/**
 * Emits F and D instructions as calls to {@code Fpu}, in the order {@code FloatOps.execute} does
 * things: the FS check ({@code requireFloatingPoint}), then the rounding mode, then the operation.
 * Floating-point registers stay in {@code h.f} (every operation is a call anyway).
 */
final class FloatEmitter {
    private FloatEmitter() {}

    private static final String H = "Ldev/rivet/cpu/Hart;";

    static void emit(Gen g, long d) {
        CodeBuilder cb = g.cb;
        int op = Insn.op(d);
        int rd = Insn.rd(d), rs1 = Insn.rs1(d), rs2 = Insn.rs2(d), rs3 = Insn.rs3(d), imm = Insn.imm(d);
        g.mayTrap();
        switch (op) {
            case FLW, FLD -> {
                requireFp(g, true);
                MemoryEmitter.load(g, op == FLW ? "lwu" : "ld", rs1, imm, true, rd);
                return;
            }
            case FSW, FSD -> {
                requireFp(g, false);
                MemoryEmitter.store(g, op == FSW ? "sw" : "sd", rs1, imm, true, rs2);
                return;
            }
            default -> { }
        }
        requireFp(g, true);
        boolean toX = writesX(op);
        if (!toX) {
            cb.aload(FS);
            cb.loadConstant(rd);
        }
        switch (op) {
            case FADD_S -> rm2(g, "addS", rs1, rs2, imm);
            case FSUB_S -> rm2(g, "subS", rs1, rs2, imm);
            case FMUL_S -> rm2(g, "mulS", rs1, rs2, imm);
            case FDIV_S -> rm2(g, "divS", rs1, rs2, imm);
            case FADD_D -> rm2(g, "addD", rs1, rs2, imm);
            case FSUB_D -> rm2(g, "subD", rs1, rs2, imm);
            case FMUL_D -> rm2(g, "mulD", rs1, rs2, imm);
            case FDIV_D -> rm2(g, "divD", rs1, rs2, imm);
            case FSQRT_S -> rm1(g, "sqrtS", rs1, imm, false);
            case FSQRT_D -> rm1(g, "sqrtD", rs1, imm, false);
            case FMADD_S -> fma(g, "fmaS", d, false, false);
            case FMSUB_S -> fma(g, "fmaS", d, false, true);
            case FNMSUB_S -> fma(g, "fmaS", d, true, false);
            case FNMADD_S -> fma(g, "fmaS", d, true, true);
            case FMADD_D -> fma(g, "fmaD", d, false, false);
            case FMSUB_D -> fma(g, "fmaD", d, false, true);
            case FNMSUB_D -> fma(g, "fmaD", d, true, false);
            case FNMADD_D -> fma(g, "fmaD", d, true, true);
            case FSGNJ_S, FSGNJN_S, FSGNJX_S -> sgnj(g, "sgnjS", rs1, rs2, op - FSGNJ_S);
            case FSGNJ_D, FSGNJN_D, FSGNJX_D -> sgnj(g, "sgnjD", rs1, rs2, op - FSGNJ_D);
            case FMIN_S -> plain2(g, "minS", rs1, rs2);
            case FMAX_S -> plain2(g, "maxS", rs1, rs2);
            case FMIN_D -> plain2(g, "minD", rs1, rs2);
            case FMAX_D -> plain2(g, "maxD", rs1, rs2);
            case FEQ_S -> plain2(g, "eqS", rs1, rs2);
            case FLT_S -> plain2(g, "ltS", rs1, rs2);
            case FLE_S -> plain2(g, "leS", rs1, rs2);
            case FEQ_D -> plain2(g, "eqD", rs1, rs2);
            case FLT_D -> plain2(g, "ltD", rs1, rs2);
            case FLE_D -> plain2(g, "leD", rs1, rs2);
            case FCVT_W_S -> rm1(g, "cvtWS", rs1, imm, false);
            case FCVT_WU_S -> rm1(g, "cvtWuS", rs1, imm, false);
            case FCVT_L_S -> rm1(g, "cvtLS", rs1, imm, false);
            case FCVT_LU_S -> rm1(g, "cvtLuS", rs1, imm, false);
            case FCVT_W_D -> rm1(g, "cvtWD", rs1, imm, false);
            case FCVT_WU_D -> rm1(g, "cvtWuD", rs1, imm, false);
            case FCVT_L_D -> rm1(g, "cvtLD", rs1, imm, false);
            case FCVT_LU_D -> rm1(g, "cvtLuD", rs1, imm, false);
            case FCVT_S_W -> rm1(g, "cvtSW", rs1, imm, true);
            case FCVT_S_WU -> rm1(g, "cvtSWu", rs1, imm, true);
            case FCVT_S_L -> rm1(g, "cvtSL", rs1, imm, true);
            case FCVT_S_LU -> rm1(g, "cvtSLu", rs1, imm, true);
            case FCVT_D_W -> rm1(g, "cvtDW", rs1, imm, true);
            case FCVT_D_WU -> rm1(g, "cvtDWu", rs1, imm, true);
            case FCVT_D_L -> rm1(g, "cvtDL", rs1, imm, true);
            case FCVT_D_LU -> rm1(g, "cvtDLu", rs1, imm, true);
            case FCVT_S_D -> rm1(g, "cvtSD", rs1, imm, false);
            case FCVT_D_S -> {
                // No rounding-mode check: FloatOps passes none (the conversion is exact).
                cb.aload(Gen.H);
                g.loadF(rs1);
                g.invokeStatic(FPU, "cvtDS", "(" + H + "J)J");
            }
            case FCLASS_S -> { g.loadF(rs1); g.invokeStatic(FPU, "classS", "(J)J"); }
            case FCLASS_D -> { g.loadF(rs1); g.invokeStatic(FPU, "classD", "(J)J"); }
            case FMV_X_W -> { g.loadF(rs1); cb.l2i(); cb.i2l(); }
            case FMV_X_D -> g.loadF(rs1);
            case FMV_W_X -> { g.loadX(rs1); cb.l2i(); g.invokeStatic(FPU, "box", "(I)J"); }
            case FMV_D_X -> g.loadX(rs1);
            default -> throw new IllegalStateException("no translation for " + dev.rivet.cpu.Op.name(op));
        }
        if (toX) g.storeX(rd);
        else cb.lastore();
    }

    /** True for the floating-point instructions whose result goes to an integer register. */
    static boolean writesX(int op) {
        return switch (op) {
            case FCVT_W_S, FCVT_WU_S, FCVT_L_S, FCVT_LU_S, FMV_X_W, FCLASS_S, FEQ_S, FLT_S, FLE_S,
                 FCVT_W_D, FCVT_WU_D, FCVT_L_D, FCVT_LU_D, FMV_X_D, FCLASS_D, FEQ_D, FLT_D, FLE_D -> true;
            default -> false;
        };
    }

    /**
     * The check that the FPU is on (mstatus.FS, which a dirtying instruction also sets to Dirty),
     * once per block: nothing inside a block can turn the FPU off (that takes a CSR write or a
     * trap, which end translated code), so a later instruction's check would find what the
     * first one left. Fewer inlined checks leave more of HotSpot's inlining budget to the
     * operations themselves.
     */
    private static void requireFp(Gen g, boolean dirty) {
        int needed = dirty ? Gen.FP_DIRTY : Gen.FP_ON;
        if (g.fpChecked >= needed) return;
        g.cb.aload(Gen.H);
        g.cb.loadConstant(dirty ? 1 : 0);
        g.invokeHart("requireFloatingPoint", "(Z)V");
        g.fpChecked = needed;
    }

    /** Pushes the resolved rounding mode (raises illegal instruction for a reserved one). */
    private static void roundingMode(Gen g, int rm) {
        g.cb.aload(Gen.H);
        g.cb.loadConstant(rm);
        g.invokeStatic(ACCESS, "roundingMode", "(" + H + "I)I");
    }

    private static void rm2(Gen g, String name, int rs1, int rs2, int rm) {
        g.cb.aload(Gen.H);
        g.loadF(rs1);
        g.loadF(rs2);
        roundingMode(g, rm);
        g.invokeStatic(FPU, name, "(" + H + "JJI)J");
    }

    /** One operand (f[rs1], or x[rs1] when {@code fromX}) and a rounding mode. */
    private static void rm1(Gen g, String name, int rs1, int rm, boolean fromX) {
        g.cb.aload(Gen.H);
        if (fromX) g.loadX(rs1);
        else g.loadF(rs1);
        roundingMode(g, rm);
        g.invokeStatic(FPU, name, "(" + H + "JI)J");
    }

    private static void fma(Gen g, String name, long d, boolean negateProduct, boolean negateAddend) {
        g.cb.aload(Gen.H);
        g.loadF(Insn.rs1(d));
        g.loadF(Insn.rs2(d));
        g.loadF(Insn.rs3(d));
        roundingMode(g, Insn.imm(d));
        g.cb.loadConstant(negateProduct ? 1 : 0);
        g.cb.loadConstant(negateAddend ? 1 : 0);
        g.invokeStatic(FPU, name, "(" + H + "JJJIZZ)J");
    }

    private static void sgnj(Gen g, String name, int rs1, int rs2, int kind) {
        g.loadF(rs1);
        g.loadF(rs2);
        g.cb.loadConstant(kind);
        g.invokeStatic(FPU, name, "(JJI)J");
    }

    private static void plain2(Gen g, String name, int rs1, int rs2) {
        g.cb.aload(Gen.H);
        g.loadF(rs1);
        g.loadF(rs2);
        g.invokeStatic(FPU, name, "(" + H + "JJ)J");
    }
}
