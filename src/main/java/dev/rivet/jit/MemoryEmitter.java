package dev.rivet.jit;

import static dev.rivet.jit.Gen.*;

import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;

/**
 * Emits loads and stores as one call each to {@link Memory}, whose TLB fast path HotSpot inlines;
 * everything else leaves the access to the interpreter ({@link LeaveToInterpreter}). A store
 * that changes code always takes that way (pages holding code are never in the write TLB), so a
 * translated store needs no check for self-modifying code.
 */
final class MemoryEmitter {
    private MemoryEmitter() {}

    private static final ClassDesc MEMORY = ClassDesc.of(Memory.class.getName());
    private static final String LOAD = "([JJ)J";
    private static final String STORE = "([JJJ)V";

    /**
     * Loads with {@code method} (a {@link Memory} load: lb, lbu, lh, lhu, lw, lwu, ld) at x[rs1] +
     * imm into x[rd] ({@code toF} false) or f[rd] ({@code toF}; a 4-byte value is NaN-boxed).
     */
    static void load(Gen g, String method, int rs1, int imm, boolean toF, int rd) {
        CodeBuilder cb = g.cb;
        if (toF) {
            cb.aload(FS);
            cb.loadConstant(rd);
        }
        cb.aload(RTLB);
        g.address(rs1, imm);
        g.invokeStatic(MEMORY, method, LOAD);
        if (!toF) {
            g.storeX(rd);
            return;
        }
        if (method.equals("lwu")) {
            cb.l2i();
            g.invokeStatic(FPU, "box", "(I)J");
        }
        cb.lastore();
    }

    /**
     * Stores with {@code method} (sb, sh, sw, sd) the low bytes of x[rs2] ({@code fromF} false) or
     * f[rs2] at x[rs1] + imm.
     */
    static void store(Gen g, String method, int rs1, int imm, boolean fromF, int rs2) {
        CodeBuilder cb = g.cb;
        cb.aload(WTLB);
        g.address(rs1, imm);
        if (fromF) g.loadF(rs2);
        else g.loadX(rs2);
        g.invokeStatic(MEMORY, method, STORE);
    }
}
