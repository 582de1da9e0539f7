package dev.rivet.gdb;

import dev.rivet.cpu.Hart;
import dev.rivet.cpu.MachineState;
import dev.rivet.cpu.PhysicalMemory;
import dev.rivet.mem.Page;

/**
 * A debugger's page-table walk (Sv39/Sv48/Sv57): the translation a hart's instruction fetches
 * currently use, computed without side effects (no accessed/dirty bits set, no trap raised, no
 * permission checks, since a debugger may look at any mapped page). M-mode and satp Bare mean
 * physical addresses.
 */
public final class PageWalk {
    private PageWalk() {}

    /** Returned when an address has no translation. */
    public static final long NONE = -1;

    /** The physical address {@code va} maps to for {@code h} in its current mode, or {@link #NONE}. */
    public static long translate(Hart h, long va, PhysicalMemory mem) {
        if (h.machine.priv == MachineState.PRV_M) return va;
        return translate(h.machine.satp, va, mem);
    }

    /** The physical address {@code va} maps to under {@code satp}, or {@link #NONE}. */
    public static long translate(long satp, long va, PhysicalMemory mem) {
        int mode = (int) (satp >>> 60);
        if (mode == 0) return va;
        if (mode < 8 || mode > 10) return NONE;
        int levels = mode - 5;
        int vaBits = 12 + 9 * levels;
        if ((va >> (vaBits - 1)) != 0 && (va >> (vaBits - 1)) != -1) return NONE;
        long table = (satp & ((1L << 44) - 1)) << 12;
        for (int level = levels - 1; level >= 0; level--) {
            long pteAddr = table + (((va >>> (12 + 9 * level)) & 511) << 3);
            Page page = mem.ramPage(pteAddr);
            if (page == null) return NONE;
            long pte = page.read((int) (pteAddr & Page.OFFSET_MASK), 8);
            if ((pte & 1) == 0) return NONE;
            long ppn = (pte >>> 10) & ((1L << 44) - 1);
            if ((pte & 0xa) == 0) {
                table = ppn << 12;
                continue;
            }
            long offsetMask = (1L << (12 + 9 * level)) - 1;
            return ((ppn << 12) & ~offsetMask) | (va & offsetMask);
        }
        return NONE;
    }
}
