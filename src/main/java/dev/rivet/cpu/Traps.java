package dev.rivet.cpu;

import static dev.rivet.cpu.MachineState.*;

/**
 * Trap entry and return for the system VM (privileged spec, "Machine Trap Delegation Registers",
 * "Machine Trap-Vector Base-Address Register", "Machine Interrupt Registers", and the MRET/SRET
 * description under "Trap-Return Instructions"). One {@link #take} implements delegation for
 * exceptions and interrupts alike.
 */
public final class Traps {
    private Traps() {}

    /** Interrupt causes in the order the spec gives them priority: MEI, MSI, MTI, SEI, SSI, STI. */
    private static final int[] PRIORITY = {11, 3, 7, 9, 1, 5};

    /**
     * Enters the trap handler for {@code cause} (exceptions) or interrupt {@code cause}, from the
     * instruction at {@code h.pc}: to S-mode if delegated and not coming from M-mode, else to M-mode.
     */
    public static void take(Hart h, int cause, long tval, boolean interrupt) {
        MachineState m = h.machine;
        long deleg = interrupt ? m.mideleg : m.medeleg;
        long causeValue = interrupt ? (1L << 63) | cause : cause;
        int from = m.priv;
        long epc = h.pc;
        h.clearReservation();
        if (from <= PRV_S && ((deleg >>> cause) & 1) != 0) {
            m.scause = causeValue;
            m.sepc = h.pc;
            m.stval = tval;
            long s = m.mstatus;
            s = (s & SIE) != 0 ? s | SPIE : s & ~SPIE;
            s = from == PRV_S ? s | SPP : s & ~SPP;
            m.mstatus = s & ~SIE;
            h.pc = vector(m.stvec, cause, interrupt);
            setPriv(h, PRV_S);
        } else {
            m.mcause = causeValue;
            m.mepc = h.pc;
            m.mtval = tval;
            long s = m.mstatus;
            s = (s & MIE) != 0 ? s | MPIE : s & ~MPIE;
            s = (s & ~MPP) | ((long) from << MPP_SHIFT);
            m.mstatus = s & ~MIE;
            h.pc = vector(m.mtvec, cause, interrupt);
            setPriv(h, PRV_M);
        }
        DebugHook hook = h.debugHook;
        if (hook != null) hook.trapEntered(h, causeValue, tval, epc, m.priv);
    }

    private static long vector(long tvec, int cause, boolean interrupt) {
        long base = tvec & ~3L;
        return interrupt && (tvec & 3) == 1 ? base + 4L * cause : base;
    }

    static void setPriv(Hart h, int priv) {
        if (h.machine.priv != priv) {
            h.machine.priv = priv;
            h.selectTlb(priv);
        }
    }

    /** The highest-priority interrupt that is pending, enabled and allowed now, or -1. */
    static int pendingInterrupt(Hart h) {
        MachineState m = h.machine;
        long pending = m.pending(h.clock.ticks()) & m.mie;
        if (pending == 0) return -1;
        boolean mEnabled = m.priv < PRV_M || (m.mstatus & MIE) != 0;
        boolean sEnabled = m.priv < PRV_S || (m.priv == PRV_S && (m.mstatus & SIE) != 0);
        long machineLevel = mEnabled ? pending & ~m.mideleg : 0;
        long supervisorLevel = sEnabled ? pending & m.mideleg : 0;
        long allowed = machineLevel | supervisorLevel;
        if (allowed == 0) return -1;
        for (int cause : PRIORITY) if (((allowed >>> cause) & 1) != 0) return cause;
        return -1;
    }

    /** Takes a pending interrupt if one is allowed; true if it did. */
    static boolean checkInterrupts(Hart h) {
        int cause = pendingInterrupt(h);
        if (cause < 0) return false;
        take(h, cause, 0, true);
        return true;
    }

    /** True if any enabled interrupt is pending, ignoring the global enables: what wakes WFI. */
    public static boolean wakeupPending(Hart h) {
        MachineState m = h.machine;
        return (m.pending(h.clock.ticks()) & m.mie) != 0;
    }

    static void mret(Hart h) {
        MachineState m = h.machine;
        if (m.priv < PRV_M) throw h.raise(Cause.ILLEGAL_INSTRUCTION, 0);
        long s = m.mstatus;
        int to = (int) ((s & MPP) >>> MPP_SHIFT);
        s = (s & MPIE) != 0 ? s | MIE : s & ~MIE;
        s |= MPIE;
        s &= ~MPP;
        if (to != PRV_M) s &= ~MPRV;
        m.mstatus = s;
        h.pc = m.mepc;
        setPriv(h, to);
        h.flushTlb();
    }

    static void sret(Hart h) {
        MachineState m = h.machine;
        if (m.priv < PRV_S || (m.priv == PRV_S && (m.mstatus & TSR) != 0)) throw h.raise(Cause.ILLEGAL_INSTRUCTION, 0);
        long s = m.mstatus;
        int to = (s & SPP) != 0 ? PRV_S : PRV_U;
        s = (s & SPIE) != 0 ? s | SIE : s & ~SIE;
        s |= SPIE;
        s &= ~SPP;
        s &= ~MPRV;
        m.mstatus = s;
        h.pc = m.sepc;
        setPriv(h, to);
    }
}
