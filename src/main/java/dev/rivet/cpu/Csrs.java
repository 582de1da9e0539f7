package dev.rivet.cpu;

/**
 * Control and status registers reachable from user mode: the floating-point CSRs (unprivileged
 * spec, "F" chapter, fcsr) and the Zicntr counters (cycle, time, instret). Access to any other CSR
 * number raises an illegal-instruction exception.
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
        return switch (csr) {
            case FFLAGS -> h.fflags;
            case FRM -> h.frm;
            case FCSR -> (h.frm << 5) | h.fflags;
            case CYCLE, INSTRET -> h.instret;
            case TIME -> h.clock.ticks();
            default -> throw h.raise(Cause.ILLEGAL_INSTRUCTION, rawInsn);
        };
    }

    public static void write(Hart h, int csr, long value, int rawInsn) {
        switch (csr) {
            case FFLAGS -> h.fflags = (int) value & 0x1f;
            case FRM -> h.frm = (int) value & 7;
            case FCSR -> {
                h.fflags = (int) value & 0x1f;
                h.frm = (int) (value >>> 5) & 7;
            }
            // Counters are read-only in user mode (writing them is illegal).
            default -> throw h.raise(Cause.ILLEGAL_INSTRUCTION, rawInsn);
        }
    }
}
