package dev.rivet.cpu;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The privileged state of a hart in the system VM (privileged spec, chapters "Machine-Level ISA"
 * and "Supervisor-Level ISA"): privilege mode and the machine and supervisor CSRs. Supervisor
 * registers that are views of machine ones (sstatus, sie, sip) are not stored twice.
 */
public final class MachineState {
    public static final int PRV_U = 0, PRV_S = 1, PRV_M = 3;

    // mstatus fields (section "Machine Status Registers (mstatus and mstatush)").
    public static final long SIE = 1L << 1, MIE = 1L << 3, SPIE = 1L << 5, UBE = 1L << 6, MPIE = 1L << 7,
            SPP = 1L << 8, VS = 3L << 9, MPP = 3L << 11, FS = 3L << 13, XS = 3L << 15, MPRV = 1L << 17,
            SUM = 1L << 18, MXR = 1L << 19, TVM = 1L << 20, TW = 1L << 21, TSR = 1L << 22,
            UXL = 3L << 32, SXL = 3L << 34, SD = 1L << 63;
    public static final int MPP_SHIFT = 11;
    static final long FS_DIRTY = 3L << 13;
    /** The bits sstatus shows of mstatus. */
    public static final long SSTATUS_MASK = SIE | SPIE | UBE | SPP | VS | FS | XS | SUM | MXR | UXL | SD;
    /** The bits M-mode software may write (UXL/SXL fixed at 64 bits; no big-endian, no vector unit). */
    static final long MSTATUS_WRITABLE = SIE | MIE | SPIE | MPIE | SPP | MPP | FS | MPRV | SUM | MXR | TVM | TW | TSR;

    // Interrupt bits of mip/mie (section "Machine Interrupt Registers (mip and mie)").
    public static final int SSIP = 1 << 1, MSIP = 1 << 3, STIP = 1 << 5, MTIP = 1 << 7, SEIP = 1 << 9, MEIP = 1 << 11;
    /** Interrupts that may be delegated to S-mode (mideleg's writable bits). */
    static final long DELEGABLE_INTERRUPTS = SSIP | STIP | SEIP;
    /** Exceptions that may be delegated (medeleg): all but environment call from M-mode. */
    static final long DELEGABLE_EXCEPTIONS = 0xb3ffL & ~(1L << Cause.ECALL_M);

    /** misa: RV64 with A, C, D, F, I, M, S, U. */
    public static final long MISA = (2L << 62) | (1 << ('A' - 'A')) | (1 << ('C' - 'A')) | (1 << ('D' - 'A'))
            | (1 << ('F' - 'A')) | (1 << ('I' - 'A')) | (1 << ('M' - 'A')) | (1 << ('S' - 'A')) | (1 << ('U' - 'A'));

    public static final long MENVCFG_STCE = 1L << 63;

    public int priv = PRV_M;
    public long mstatus = (2L << 32) | (2L << 34);
    public long medeleg, mideleg, mie;
    /** Pending interrupts: set from device threads (CLINT, PLIC), so updated atomically. */
    public final AtomicLong mip = new AtomicLong();
    public long mtvec, mscratch, mepc, mcause, mtval;
    public long stvec, sscratch, sepc, scause, stval;
    public long satp;
    public int mcounteren, scounteren, mcountinhibit;
    public long menvcfg, senvcfg;
    public long stimecmp = -1;
    public final Pmp pmp = new Pmp();

    /** The privilege level loads and stores are checked against (MPRV makes M-mode use MPP). */
    public int dataPriv() {
        if (priv == PRV_M && (mstatus & MPRV) != 0) return (int) ((mstatus & MPP) >>> MPP_SHIFT);
        return priv;
    }

    /** Snapshot of pending interrupts, including a due Sstc timer. */
    long pending(long timeTicks) {
        long p = mip.get();
        if ((menvcfg & MENVCFG_STCE) != 0) {
            p = Long.compareUnsigned(timeTicks, stimecmp) >= 0 ? p | STIP : p & ~STIP;
        }
        return p;
    }
}
