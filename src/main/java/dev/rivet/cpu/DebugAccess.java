package dev.rivet.cpu;

/**
 * Register access for debuggers: CSRs read and written as M-mode would see them, without the
 * privilege checks instructions are subject to and without leaving a trap cause behind. Use only
 * while the hart is paused.
 */
public final class DebugAccess {
    private DebugAccess() {}

    /** The value of {@code csr}, or null if this hart has no such CSR. */
    public static Long readCsr(Hart h, int csr) {
        int cause = h.trapCause;
        long value = h.trapValue;
        try {
            return switch (csr) {
                case Csrs.FFLAGS -> (long) h.fflags;
                case Csrs.FRM -> (long) h.frm;
                case Csrs.FCSR -> (long) ((h.frm << 5) | h.fflags);
                case Csrs.CYCLE, Csrs.INSTRET -> h.instret;
                case Csrs.TIME -> h.clock.ticks();
                default -> h.userOnly ? null : PrivilegedCsrs.read(h, csr);
            };
        } catch (Trap t) {
            return null;
        } finally {
            h.trapCause = cause;
            h.trapValue = value;
        }
    }

    /** Writes {@code csr} with its WARL rules applied; false if this hart has no such writable CSR. */
    public static boolean writeCsr(Hart h, int csr, long v) {
        int cause = h.trapCause;
        long value = h.trapValue;
        try {
            switch (csr) {
                case Csrs.FFLAGS -> h.fflags = (int) v & 0x1f;
                case Csrs.FRM -> h.frm = (int) v & 7;
                case Csrs.FCSR -> {
                    h.fflags = (int) v & 0x1f;
                    h.frm = (int) (v >>> 5) & 7;
                }
                default -> {
                    if (h.userOnly) return false;
                    PrivilegedCsrs.write(h, csr, v);
                }
            }
            return true;
        } catch (Trap t) {
            return false;
        } finally {
            h.trapCause = cause;
            h.trapValue = value;
        }
    }

    /** Sets the privilege mode (0 U, 1 S, 3 M), as a debugger writing the virtual priv register does. */
    public static boolean setPrivilege(Hart h, int priv) {
        if (h.userOnly || (priv != MachineState.PRV_U && priv != MachineState.PRV_S && priv != MachineState.PRV_M)) {
            return false;
        }
        Traps.setPriv(h, priv);
        return true;
    }
}
