package dev.rivet.cpu;

import static dev.rivet.cpu.MachineState.*;

import dev.rivet.mem.AtomicBytes;
import dev.rivet.mem.Page;

/**
 * Virtual-to-physical translation for Sv39, Sv48 and Sv57 (privileged spec, "Supervisor-Level ISA",
 * sections "Sv32: Virtual-Address Translation Process" as generalised for Sv39/Sv48/Sv57). Accessed
 * and dirty bits are set by the walker itself with a compare-and-swap on the PTE, as the spec
 * allows, so guests never see A/D page faults.
 */
public final class Mmu {
    private Mmu() {}

    static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_G = 32, PTE_A = 64, PTE_D = 128;
    /** Bits 63:54 (N, PBMT and reserved) must be zero: Svnapot and Svpbmt are not implemented. */
    private static final long PTE_RESERVED = 0x3ffL << 54;

    /**
     * Translates {@code va} for {@code access} at the hart's current privilege (MPRV applied for
     * data). Raises the access's page fault, or its access fault when a PTE lies outside RAM or PMP
     * forbids reading it.
     */
    public static long translate(Hart h, long va, Access access, PhysicalMemory mem) {
        MachineState m = h.machine;
        int priv = access == Access.EXECUTE ? m.priv : m.dataPriv();
        long satp = m.satp;
        int mode = (int) (satp >>> 60);
        if (priv == PRV_M || mode == 0) return va;
        int levels = mode - 5; // Sv39 = 8 -> 3 levels, Sv48 = 9 -> 4, Sv57 = 10 -> 5
        int vaBits = 12 + 9 * levels;
        // The address must be sign-extended from its top translated bit.
        if ((va >> (vaBits - 1)) != 0 && (va >> (vaBits - 1)) != -1) throw h.raise(access.pageFault, va);
        long table = (satp & ((1L << 44) - 1)) << 12;
        for (int level = levels - 1; level >= 0; level--) {
            long pteAddr = table + (((va >>> (12 + 9 * level)) & 511) << 3);
            Page page = mem.ramPage(pteAddr);
            if (page == null || !m.pmp.allows(pteAddr, 8, Access.READ, PRV_S)) throw h.raise(access.accessFault, va);
            int off = (int) pteAddr & (int) Page.OFFSET_MASK;
            long pte = AtomicBytes.getLongVolatile(page, off);
            if ((pte & PTE_V) == 0 || ((pte & (PTE_R | PTE_W)) == PTE_W) || (pte & PTE_RESERVED) != 0) {
                throw h.raise(access.pageFault, va);
            }
            long ppn = (pte >>> 10) & ((1L << 44) - 1);
            if ((pte & (PTE_R | PTE_X)) == 0) {
                // Non-leaf: A, D and U must be clear on pointers to the next level.
                if ((pte & (PTE_A | PTE_D | PTE_U)) != 0) throw h.raise(access.pageFault, va);
                table = ppn << 12;
                continue;
            }
            checkLeaf(h, pte, priv, access, va);
            // A superpage must be aligned: its low PPN fields are zero.
            long lowMask = (1L << (9 * level)) - 1;
            if ((ppn & lowMask) != 0) throw h.raise(access.pageFault, va);
            long need = PTE_A | (access == Access.WRITE ? PTE_D : 0);
            if ((pte & need) != need) {
                if (!AtomicBytes.compareAndSetLong(page, off, pte, pte | need)) {
                    // The PTE changed under us (another hart): walk again.
                    return translate(h, va, access, mem);
                }
            }
            long pageOffsetMask = (1L << (12 + 9 * level)) - 1;
            h.translatedSpan = pageOffsetMask;
            h.translatedUser = (pte & PTE_U) != 0;
            return ((ppn << 12) & ~pageOffsetMask) | (va & pageOffsetMask);
        }
        throw h.raise(access.pageFault, va);
    }

    private static void checkLeaf(Hart h, long pte, int priv, Access access, long va) {
        MachineState m = h.machine;
        boolean user = (pte & PTE_U) != 0;
        if (priv == PRV_U && !user) throw h.raise(access.pageFault, va);
        if (priv == PRV_S && user && (access == Access.EXECUTE || (m.mstatus & SUM) == 0)) {
            throw h.raise(access.pageFault, va);
        }
        boolean ok = switch (access) {
            case READ -> (pte & PTE_R) != 0 || ((m.mstatus & MXR) != 0 && (pte & PTE_X) != 0);
            case WRITE -> (pte & PTE_W) != 0;
            case EXECUTE -> (pte & PTE_X) != 0;
        };
        if (!ok) throw h.raise(access.pageFault, va);
    }
}
