package dev.rivet.cpu;

import static dev.rivet.cpu.MachineState.*;

/**
 * Machine- and supervisor-level CSRs with their WARL rules (privileged spec, "Control and Status
 * Registers", the CSR listing, and the register sections of the machine and supervisor chapters).
 * Counter CSRs honour mcounteren/scounteren; satp and sfence.vma honour mstatus.TVM.
 */
final class PrivilegedCsrs {
    private PrivilegedCsrs() {}

    static final int SSTATUS = 0x100, SIE_CSR = 0x104, STVEC = 0x105, SCOUNTEREN = 0x106, SENVCFG = 0x10a,
            SSCRATCH = 0x140, SEPC = 0x141, SCAUSE = 0x142, STVAL = 0x143, SIP_CSR = 0x144, STIMECMP = 0x14d,
            SATP = 0x180;
    static final int MSTATUS = 0x300, MISA_CSR = 0x301, MEDELEG = 0x302, MIDELEG = 0x303, MIE_CSR = 0x304,
            MTVEC = 0x305, MCOUNTEREN = 0x306, MENVCFG = 0x30a, MCOUNTINHIBIT = 0x320, MSCRATCH = 0x340,
            MEPC = 0x341, MCAUSE = 0x342, MTVAL = 0x343, MIP_CSR = 0x344, MTINST = 0x34a, MTVAL2 = 0x34b,
            PMPCFG0 = 0x3a0, PMPADDR0 = 0x3b0, MSECCFG = 0x747, MCYCLE = 0xb00, MINSTRET = 0xb02,
            MVENDORID = 0xf11, MARCHID = 0xf12, MIMPID = 0xf13, MHARTID = 0xf14, MCONFIGPTR = 0xf15;

    private static RuntimeException illegal(Hart h) {
        return h.raise(Cause.ILLEGAL_INSTRUCTION, 0);
    }

    /** Raises illegal-instruction unless the current mode may access {@code csr} (bits 9:8 give the lowest mode). */
    static void checkAccess(Hart h, int csr, boolean write) {
        MachineState m = h.machine;
        if (((csr >>> 8) & 3) > m.priv) throw illegal(h);
        if (write && (csr >>> 10) == 3) throw illegal(h);
        if (csr >= 0xc00 && csr <= 0xc1f) {
            int bit = 1 << (csr - 0xc00);
            if (m.priv < PRV_M && (m.mcounteren & bit) == 0) throw illegal(h);
            if (m.priv == PRV_U && (m.scounteren & bit) == 0) throw illegal(h);
        }
        if ((csr == SATP) && m.priv == PRV_S && (m.mstatus & TVM) != 0) throw illegal(h);
        if (csr == STIMECMP && m.priv == PRV_S && (m.menvcfg & MENVCFG_STCE) == 0) throw illegal(h);
    }

    static long read(Hart h, int csr) {
        MachineState m = h.machine;
        return switch (csr) {
            case SSTATUS -> withSd(m.mstatus) & SSTATUS_MASK;
            case SIE_CSR -> m.mie & m.mideleg;
            case STVEC -> m.stvec;
            case SCOUNTEREN -> m.scounteren & 0xffffffffL;
            case SENVCFG -> m.senvcfg;
            case SSCRATCH -> m.sscratch;
            case SEPC -> m.sepc;
            case SCAUSE -> m.scause;
            case STVAL -> m.stval;
            case SIP_CSR -> m.pending(h.clock.ticks()) & m.mideleg;
            case STIMECMP -> m.stimecmp;
            case SATP -> m.satp;
            case MSTATUS -> withSd(m.mstatus);
            case MISA_CSR -> MISA;
            case MEDELEG -> m.medeleg;
            case MIDELEG -> m.mideleg;
            case MIE_CSR -> m.mie;
            case MTVEC -> m.mtvec;
            case MCOUNTEREN -> m.mcounteren & 0xffffffffL;
            case MENVCFG -> m.menvcfg;
            case MCOUNTINHIBIT -> m.mcountinhibit & 0xffffffffL;
            case MSCRATCH -> m.mscratch;
            case MEPC -> m.mepc;
            case MCAUSE -> m.mcause;
            case MTVAL -> m.mtval;
            case MIP_CSR -> m.pending(h.clock.ticks());
            case MTINST, MTVAL2, MSECCFG, MVENDORID, MARCHID, MIMPID, MCONFIGPTR -> 0;
            case MHARTID -> h.id;
            case MCYCLE, MINSTRET -> h.instret;
            default -> {
                if (csr >= PMPCFG0 && csr < PMPCFG0 + 16) {
                    if ((csr & 1) != 0) throw illegal(h);
                    yield m.pmp.readCfg(csr - PMPCFG0);
                }
                if (csr >= PMPADDR0 && csr < PMPADDR0 + 64) yield csr - PMPADDR0 < Pmp.ENTRIES ? m.pmp.readAddr(csr - PMPADDR0) : 0;
                // Unimplemented hardware performance counters and their event selectors read as zero.
                if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f) || (csr >= 0xc03 && csr <= 0xc1f)) yield 0;
                throw illegal(h);
            }
        };
    }

    private static long withSd(long mstatus) {
        return (mstatus & FS) == FS_DIRTY ? mstatus | SD : mstatus & ~SD;
    }

    static void write(Hart h, int csr, long v) {
        MachineState m = h.machine;
        switch (csr) {
            case SSTATUS -> writeMstatus(h, (m.mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK));
            case SIE_CSR -> m.mie = (m.mie & ~m.mideleg) | (v & m.mideleg);
            case STVEC -> m.stvec = warlTvec(m.stvec, v);
            case SCOUNTEREN -> m.scounteren = (int) v;
            case SENVCFG -> m.senvcfg = v & 1;
            case SSCRATCH -> m.sscratch = v;
            case SEPC -> m.sepc = v & ~1L;
            case SCAUSE -> m.scause = v;
            case STVAL -> m.stval = v;
            case SIP_CSR -> writeMip(m, SSIP & m.mideleg, v);
            case STIMECMP -> m.stimecmp = v;
            case SATP -> writeSatp(h, v);
            case MSTATUS -> writeMstatus(h, v);
            case MISA_CSR -> { }
            case MEDELEG -> m.medeleg = v & DELEGABLE_EXCEPTIONS;
            case MIDELEG -> m.mideleg = v & DELEGABLE_INTERRUPTS;
            case MIE_CSR -> m.mie = v & (SSIP | MSIP | STIP | MTIP | SEIP | MEIP);
            case MTVEC -> m.mtvec = warlTvec(m.mtvec, v);
            case MCOUNTEREN -> m.mcounteren = (int) v;
            case MENVCFG -> m.menvcfg = v & (MENVCFG_STCE | 1);
            case MCOUNTINHIBIT -> m.mcountinhibit = (int) v & ~2;
            case MSCRATCH -> m.mscratch = v;
            case MEPC -> m.mepc = v & ~1L;
            case MCAUSE -> m.mcause = v;
            case MTVAL -> m.mtval = v;
            case MIP_CSR -> writeMip(m, SSIP | SEIP | ((m.menvcfg & MENVCFG_STCE) == 0 ? STIP : 0), v);
            case MTINST, MTVAL2, MSECCFG -> { }
            case MCYCLE, MINSTRET -> h.instret = v;
            default -> {
                if (csr >= PMPCFG0 && csr < PMPCFG0 + 16) {
                    if ((csr & 1) != 0) throw illegal(h);
                    m.pmp.writeCfg(csr - PMPCFG0, v);
                    h.flushTlb();
                } else if (csr >= PMPADDR0 && csr < PMPADDR0 + 64) {
                    if (csr - PMPADDR0 < Pmp.ENTRIES) m.pmp.writeAddr(csr - PMPADDR0, v);
                    h.flushTlb();
                } else if (!((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f))) {
                    throw illegal(h);
                }
            }
        }
        h.attention();
    }

    private static void writeMip(MachineState m, long writable, long v) {
        m.mip.getAndUpdate(old -> (old & ~writable) | (v & writable));
    }

    /** mtvec/stvec: modes 0 (direct) and 1 (vectored); a reserved mode leaves the register unchanged. */
    private static long warlTvec(long old, long v) {
        return (v & 3) >= 2 ? old : v & ~2L;
    }

    private static void writeMstatus(Hart h, long v) {
        MachineState m = h.machine;
        long old = m.mstatus;
        long next = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
        // MPP is WARL over the implemented modes: the reserved value 2 becomes U.
        if (((next & MPP) >>> MPP_SHIFT) == 2) next &= ~MPP;
        m.mstatus = next;
        // Setting SUM or MXR only widens what loads and stores may reach, so every cached
        // translation stays right; clearing them, or changing whose privilege MPRV lends, does not.
        // Clearing SUM denies only U pages to the modes above U (see Hart.dropUserPagesAboveU).
        if (((old ^ next) & (MPRV | MPP)) != 0 || (old & ~next & MXR) != 0) h.flushTlb();
        else if ((old & ~next & SUM) != 0) h.dropUserPagesAboveU();
    }

    private static void writeSatp(Hart h, long v) {
        long mode = v >>> 60;
        // Unsupported modes leave satp unchanged; ASIDs are not implemented (ASIDLEN = 0).
        if (mode != 0 && mode != 8 && mode != 9 && mode != 10) return;
        h.machine.satp = v & ~(0xffffL << 44);
        h.flushTlb();
    }
}
