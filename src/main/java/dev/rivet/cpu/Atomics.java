package dev.rivet.cpu;

import static dev.rivet.cpu.Op.*;

import dev.rivet.mem.Bytes;
import dev.rivet.mem.Page;
import java.lang.foreign.MemorySegment;

/**
 * A-extension read-modify-write operations (unprivileged spec, "A" chapter, AMO instructions),
 * atomic across host threads: each is one atomic access on the page's bytes, so guest threads
 * running on different host threads see them indivisible.
 */
public final class Atomics {
    private Atomics() {}

    /** amo*.w: returns the old value sign-extended. */
    public static long amo32(Hart h, int op, long va, long operand) {
        MemorySegment data = h.atomicPage(va, 4);
        long off = va & Page.OFFSET_MASK;
        int v = (int) operand;
        return switch (op) {
            case AMOSWAP_W -> (int) Bytes.ATOMIC32.getAndSet(data, off, v);
            case AMOADD_W -> (int) Bytes.ATOMIC32.getAndAdd(data, off, v);
            case AMOXOR_W -> (int) Bytes.ATOMIC32.getAndBitwiseXor(data, off, v);
            case AMOAND_W -> (int) Bytes.ATOMIC32.getAndBitwiseAnd(data, off, v);
            case AMOOR_W -> (int) Bytes.ATOMIC32.getAndBitwiseOr(data, off, v);
            default -> {
                while (true) {
                    int old = (int) Bytes.ATOMIC32.getVolatile(data, off);
                    int next = switch (op) {
                        case AMOMIN_W -> Math.min(old, v);
                        case AMOMAX_W -> Math.max(old, v);
                        case AMOMINU_W -> Integer.compareUnsigned(old, v) <= 0 ? old : v;
                        default -> Integer.compareUnsigned(old, v) >= 0 ? old : v;
                    };
                    if (Bytes.ATOMIC32.compareAndSet(data, off, old, next)) yield old;
                }
            }
        };
    }

    /** amo*.d: returns the old value. */
    public static long amo64(Hart h, int op, long va, long v) {
        MemorySegment data = h.atomicPage(va, 8);
        long off = va & Page.OFFSET_MASK;
        return switch (op) {
            case AMOSWAP_D -> (long) Bytes.ATOMIC64.getAndSet(data, off, v);
            case AMOADD_D -> (long) Bytes.ATOMIC64.getAndAdd(data, off, v);
            case AMOXOR_D -> (long) Bytes.ATOMIC64.getAndBitwiseXor(data, off, v);
            case AMOAND_D -> (long) Bytes.ATOMIC64.getAndBitwiseAnd(data, off, v);
            case AMOOR_D -> (long) Bytes.ATOMIC64.getAndBitwiseOr(data, off, v);
            default -> {
                while (true) {
                    long old = (long) Bytes.ATOMIC64.getVolatile(data, off);
                    long next = switch (op) {
                        case AMOMIN_D -> Math.min(old, v);
                        case AMOMAX_D -> Math.max(old, v);
                        case AMOMINU_D -> Long.compareUnsigned(old, v) <= 0 ? old : v;
                        default -> Long.compareUnsigned(old, v) >= 0 ? old : v;
                    };
                    if (Bytes.ATOMIC64.compareAndSet(data, off, old, next)) yield old;
                }
            }
        };
    }
}
