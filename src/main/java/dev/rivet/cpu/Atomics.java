package dev.rivet.cpu;

import static dev.rivet.cpu.Op.*;

import dev.rivet.mem.Bytes;
import dev.rivet.mem.Page;

/**
 * A-extension read-modify-write operations (unprivileged spec, "A" chapter, AMO instructions),
 * atomic across host threads.
 *
 * <p>Since JDK 23 the byte-array view {@code VarHandle}s support only plain get and set (atomic
 * access modes throw {@code UnsupportedOperationException}), so guest memory, a {@code byte[]}, has
 * no host compare-and-set. Every AMO and every successful store-conditional therefore runs under a
 * lock chosen by the page's bytes and the aligned 8-byte granule, which makes them atomic with
 * respect to each other. They are not atomic with respect to a plain store from another hart that
 * lands between the read and the write of an AMO (a known limitation).
 */
public final class Atomics {
    private Atomics() {}

    private static final int STRIPES = 256;
    private static final Object[] LOCKS = new Object[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) LOCKS[i] = new Object();
    }

    /** The lock guarding the 8-byte granule at {@code off} of the page whose bytes are {@code data}. */
    static Object lock(byte[] data, int off) {
        int h = System.identityHashCode(data) * 0x9e3779b1 + (off >>> 3);
        return LOCKS[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    /** amo*.w: returns the old value sign-extended. */
    public static long amo32(Hart h, int op, long va, long operand) {
        byte[] data = h.atomicPage(va, 4);
        int off = (int) va & (int) Page.OFFSET_MASK;
        int v = (int) operand;
        synchronized (lock(data, off)) {
            int old = Bytes.i32(data, off);
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
            Bytes.write(data, off, 4, next);
            return old;
        }
    }

    /** amo*.d: returns the old value. */
    public static long amo64(Hart h, int op, long va, long v) {
        byte[] data = h.atomicPage(va, 8);
        int off = (int) va & (int) Page.OFFSET_MASK;
        synchronized (lock(data, off)) {
            long old = Bytes.i64(data, off);
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
            Bytes.write(data, off, 8, next);
            return old;
        }
    }

    /** Stores {@code value} if memory still holds {@code expected}, atomically with every AMO; true if stored. */
    static boolean compareAndStore(byte[] data, int off, int size, long expected, long value) {
        synchronized (lock(data, off)) {
            long current = size == 8 ? Bytes.i64(data, off) : Bytes.i32(data, off);
            if (current != (size == 8 ? expected : (int) expected)) return false;
            Bytes.write(data, off, size, value);
            return true;
        }
    }
}
