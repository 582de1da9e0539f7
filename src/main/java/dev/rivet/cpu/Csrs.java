package dev.rivet.cpu;

/**
 * CSR access as instructions see it. The floating-point CSRs (unprivileged spec, "F" chapter, fcsr)
 * and the Zicntr counters are here; in the system VM every access is first checked against the
 * privilege rules and the machine/supervisor CSRs are served by {@link PrivilegedCsrs}. A user-only
 * hart (process VM) knows only the unprivileged ones.
 */
public final class Csrs {
    private Csrs() {}

    public static final int FFLAGS = 0x001;
    public static final int FRM = 0x002;
    public static final int FCSR = 0x003;
    public static final int CYCLE = 0xc00;
    public static final int TIME = 0xc01;
    public static final int INSTRET = 0xc02;

    public static long read(Hart h, int csr, int rawInsn) {
        if (!h.userOnly) PrivilegedCsrs.checkAccess(h, csr, false);
        return switch (csr) {
            case FFLAGS -> fp(h, false).fflags;
            case FRM -> fp(h, false).frm;
            case FCSR -> (fp(h, false).frm << 5) | h.fflags;
            case CYCLE, INSTRET -> h.instret;
            case TIME -> h.clock.ticks();
            default -> {
                if (h.userOnly) throw h.raise(Cause.ILLEGAL_INSTRUCTION, rawInsn);
                yield PrivilegedCsrs.read(h, csr);
            }
        };
    }

    public static void write(Hart h, int csr, long value, int rawInsn) {
        if (!h.userOnly) PrivilegedCsrs.checkAccess(h, csr, true);
        switch (csr) {
            case FFLAGS -> fp(h, true).fflags = (int) value & 0x1f;
            case FRM -> fp(h, true).frm = (int) value & 7;
            case FCSR -> {
                fp(h, true).fflags = (int) value & 0x1f;
                h.frm = (int) (value >>> 5) & 7;
            }
            default -> {
                // Counters are read-only below M-mode; user-only harts have nothing else.
                if (h.userOnly || csr >= CYCLE) throw h.raise(Cause.ILLEGAL_INSTRUCTION, rawInsn);
                PrivilegedCsrs.write(h, csr, value);
            }
        }
    }

    private static Hart fp(Hart h, boolean dirty) {
        h.requireFloatingPoint(dirty);
        return h;
    }
}
