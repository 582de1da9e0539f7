package dev.rivet.cpu;

import static dev.rivet.cpu.Op.*;

/**
 * Dispatch of the F and D arithmetic instructions to {@link Fpu}: operand fetch, rounding-mode
 * resolution (unprivileged spec, "F" chapter, rounding modes: 7 selects frm; 5, 6 and an invalid
 * frm are illegal) and write-back. Loads and stores are in the interpreter proper.
 */
final class FloatOps {
    private FloatOps() {}

    static int roundingMode(Hart h, int rm) {
        int mode = rm == 7 ? h.frm : rm;
        if (mode > 4) throw h.raise(Cause.ILLEGAL_INSTRUCTION, 0);
        return mode;
    }

    static void execute(Hart h, long d) {
        h.requireFloatingPoint(true);
        long[] f = h.f;
        long[] x = h.x;
        int rd = Insn.rd(d);
        long a = f[Insn.rs1(d)];
        long b = f[Insn.rs2(d)];
        long ia = x[Insn.rs1(d)];
        int rm = Insn.imm(d);
        switch (Insn.op(d)) {
            case FADD_S -> f[rd] = Fpu.addS(h, a, b, roundingMode(h, rm));
            case FSUB_S -> f[rd] = Fpu.subS(h, a, b, roundingMode(h, rm));
            case FMUL_S -> f[rd] = Fpu.mulS(h, a, b, roundingMode(h, rm));
            case FDIV_S -> f[rd] = Fpu.divS(h, a, b, roundingMode(h, rm));
            case FSQRT_S -> f[rd] = Fpu.sqrtS(h, a, roundingMode(h, rm));
            case FMADD_S -> f[rd] = Fpu.fmaS(h, a, b, f[Insn.rs3(d)], roundingMode(h, rm), false, false);
            case FMSUB_S -> f[rd] = Fpu.fmaS(h, a, b, f[Insn.rs3(d)], roundingMode(h, rm), false, true);
            case FNMSUB_S -> f[rd] = Fpu.fmaS(h, a, b, f[Insn.rs3(d)], roundingMode(h, rm), true, false);
            case FNMADD_S -> f[rd] = Fpu.fmaS(h, a, b, f[Insn.rs3(d)], roundingMode(h, rm), true, true);
            case FSGNJ_S -> f[rd] = Fpu.sgnjS(a, b, 0);
            case FSGNJN_S -> f[rd] = Fpu.sgnjS(a, b, 1);
            case FSGNJX_S -> f[rd] = Fpu.sgnjS(a, b, 2);
            case FMIN_S -> f[rd] = Fpu.minS(h, a, b);
            case FMAX_S -> f[rd] = Fpu.maxS(h, a, b);
            case FCVT_W_S -> x[rd] = Fpu.cvtWS(h, a, roundingMode(h, rm));
            case FCVT_WU_S -> x[rd] = Fpu.cvtWuS(h, a, roundingMode(h, rm));
            case FCVT_L_S -> x[rd] = Fpu.cvtLS(h, a, roundingMode(h, rm));
            case FCVT_LU_S -> x[rd] = Fpu.cvtLuS(h, a, roundingMode(h, rm));
            case FMV_X_W -> x[rd] = (int) a;
            case FCLASS_S -> x[rd] = Fpu.classS(a);
            case FEQ_S -> x[rd] = Fpu.eqS(h, a, b);
            case FLT_S -> x[rd] = Fpu.ltS(h, a, b);
            case FLE_S -> x[rd] = Fpu.leS(h, a, b);
            case FCVT_S_W -> f[rd] = Fpu.cvtSW(h, ia, roundingMode(h, rm));
            case FCVT_S_WU -> f[rd] = Fpu.cvtSWu(h, ia, roundingMode(h, rm));
            case FCVT_S_L -> f[rd] = Fpu.cvtSL(h, ia, roundingMode(h, rm));
            case FCVT_S_LU -> f[rd] = Fpu.cvtSLu(h, ia, roundingMode(h, rm));
            case FMV_W_X -> f[rd] = Fpu.box((int) ia);
            case FADD_D -> f[rd] = Fpu.addD(h, a, b, roundingMode(h, rm));
            case FSUB_D -> f[rd] = Fpu.subD(h, a, b, roundingMode(h, rm));
            case FMUL_D -> f[rd] = Fpu.mulD(h, a, b, roundingMode(h, rm));
            case FDIV_D -> f[rd] = Fpu.divD(h, a, b, roundingMode(h, rm));
            case FSQRT_D -> f[rd] = Fpu.sqrtD(h, a, roundingMode(h, rm));
            case FMADD_D -> f[rd] = Fpu.fmaD(h, a, b, f[Insn.rs3(d)], roundingMode(h, rm), false, false);
            case FMSUB_D -> f[rd] = Fpu.fmaD(h, a, b, f[Insn.rs3(d)], roundingMode(h, rm), false, true);
            case FNMSUB_D -> f[rd] = Fpu.fmaD(h, a, b, f[Insn.rs3(d)], roundingMode(h, rm), true, false);
            case FNMADD_D -> f[rd] = Fpu.fmaD(h, a, b, f[Insn.rs3(d)], roundingMode(h, rm), true, true);
            case FSGNJ_D -> f[rd] = Fpu.sgnjD(a, b, 0);
            case FSGNJN_D -> f[rd] = Fpu.sgnjD(a, b, 1);
            case FSGNJX_D -> f[rd] = Fpu.sgnjD(a, b, 2);
            case FMIN_D -> f[rd] = Fpu.minD(h, a, b);
            case FMAX_D -> f[rd] = Fpu.maxD(h, a, b);
            case FCVT_S_D -> f[rd] = Fpu.cvtSD(h, a, roundingMode(h, rm));
            case FCVT_D_S -> f[rd] = Fpu.cvtDS(h, a);
            case FCVT_W_D -> x[rd] = Fpu.cvtWD(h, a, roundingMode(h, rm));
            case FCVT_WU_D -> x[rd] = Fpu.cvtWuD(h, a, roundingMode(h, rm));
            case FCVT_L_D -> x[rd] = Fpu.cvtLD(h, a, roundingMode(h, rm));
            case FCVT_LU_D -> x[rd] = Fpu.cvtLuD(h, a, roundingMode(h, rm));
            case FMV_X_D -> x[rd] = a;
            case FCLASS_D -> x[rd] = Fpu.classD(a);
            case FEQ_D -> x[rd] = Fpu.eqD(h, a, b);
            case FLT_D -> x[rd] = Fpu.ltD(h, a, b);
            case FLE_D -> x[rd] = Fpu.leD(h, a, b);
            case FCVT_D_W -> f[rd] = Fpu.cvtDW(h, ia, roundingMode(h, rm));
            case FCVT_D_WU -> f[rd] = Fpu.cvtDWu(h, ia, roundingMode(h, rm));
            case FCVT_D_L -> f[rd] = Fpu.cvtDL(h, ia, roundingMode(h, rm));
            case FCVT_D_LU -> f[rd] = Fpu.cvtDLu(h, ia, roundingMode(h, rm));
            case FMV_D_X -> f[rd] = ia;
            default -> throw h.raise(Cause.ILLEGAL_INSTRUCTION, 0);
        }
    }
}
