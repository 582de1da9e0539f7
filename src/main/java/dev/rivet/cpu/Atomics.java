package dev.rivet.cpu;

import static dev.rivet.cpu.Op.*;

import dev.rivet.mem.AtomicBytes;
import dev.rivet.mem.Page;

/**
 * A-extension read-modify-write operations (unprivileged spec, "A" chapter, AMO instructions),
 * atomic across host threads: each reads the old value and compare-and-sets the new one on the
 * page's bytes, again until no other store came between, so guest threads running on different
 * host threads see them indivisible.
 */
public final class Atomics {
    private Atomics() {}

    /** amo*.w: returns the old value sign-extended. */
    public static long amo32(Hart h, int op, long va, long operand) {
        Page page = h.atomicPage(va, 4);
        int off = (int) va & (int) Page.OFFSET_MASK;
        int v = (int) operand;
        while (true) {
            int old = AtomicBytes.getIntVolatile(page, off);
            int next = switch (op) {
                case AMOSWAP_W -> v;
                case AMOADD_W -> old + v;
                case AMOXOR_W -> old ^ v;
                case AMOAND_W -> old & v;
                case AMOOR_W -> old | v;
                case AMOMIN_W -> Math.min(old, v);
                case AMOMAX_W -> Math.max(old, v);
                case AMOMINU_W -> Integer.compareUnsigned(old, v) <= 0 ? old : v;
                default -> Integer.compareUnsigned(old, v) >= 0 ? old : v;
            };
            if (AtomicBytes.compareAndSetInt(page, off, old, next)) return old;
        }
    }

    /** amo*.d: returns the old value. */
    public static long amo64(Hart h, int op, long va, long v) {
        Page page = h.atomicPage(va, 8);
        int off = (int) va & (int) Page.OFFSET_MASK;
        while (true) {
            long old = AtomicBytes.getLongVolatile(page, off);
            long next = switch (op) {
                case AMOSWAP_D -> v;
                case AMOADD_D -> old + v;
                case AMOXOR_D -> old ^ v;
                case AMOAND_D -> old & v;
                case AMOOR_D -> old | v;
                case AMOMIN_D -> Math.min(old, v);
                case AMOMAX_D -> Math.max(old, v);
                case AMOMINU_D -> Long.compareUnsigned(old, v) <= 0 ? old : v;
                default -> Long.compareUnsigned(old, v) >= 0 ? old : v;
            };
            if (AtomicBytes.compareAndSetLong(page, off, old, next)) return old;
        }
    }
}
