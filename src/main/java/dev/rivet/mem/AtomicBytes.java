package dev.rivet.mem;

import java.lang.ref.Reference;
import java.nio.ByteOrder;
import java.util.Objects;
import jdk.internal.misc.Unsafe;

/**
 * Atomic access to naturally aligned 4- and 8-byte little-endian words of a page
 * ({@link Page#data}), for the A extension and for page-table entry updates. Pages are aligned
 * to 8 bytes, so an aligned offset is an aligned host address; big-endian hosts get their values
 * byte-reversed. The JDK's internal primitives at the page's address, not the segment's var
 * handles: every page-table walk reads its entries here, and a var handle call runs through
 * several method-handle frames until HotSpot has compiled its caller, which in a boot's first
 * seconds it has not. Every offset is checked against the page and for alignment before any
 * access, and the page is held until the access is done, so no caller can reach past a page.
 */
public final class AtomicBytes {
    private AtomicBytes() {}

    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private static long address(Page page, int index, int size) {
        Objects.checkFromIndexSize(index, size, Page.SIZE);
        if ((index & (size - 1)) != 0) throw new IllegalArgumentException("misaligned atomic access at " + index);
        return page.address + index;
    }

    private static int order(int v) {
        return BIG_ENDIAN ? Integer.reverseBytes(v) : v;
    }

    private static long order(long v) {
        return BIG_ENDIAN ? Long.reverseBytes(v) : v;
    }

    /** The 4-byte word at {@code index}, read with volatile semantics. */
    public static int getIntVolatile(Page page, int index) {
        int v = UNSAFE.getIntVolatile(null, address(page, index, 4));
        Reference.reachabilityFence(page);
        return order(v);
    }

    /** Sets the 4-byte word at {@code index} to {@code next} if it holds {@code expected}. */
    public static boolean compareAndSetInt(Page page, int index, int expected, int next) {
        boolean set = UNSAFE.compareAndSetInt(null, address(page, index, 4), order(expected), order(next));
        Reference.reachabilityFence(page);
        return set;
    }

    /** The 8-byte word at {@code index}, read with volatile semantics. */
    public static long getLongVolatile(Page page, int index) {
        long v = UNSAFE.getLongVolatile(null, address(page, index, 8));
        Reference.reachabilityFence(page);
        return order(v);
    }

    /** Sets the 8-byte word at {@code index} to {@code next} if it holds {@code expected}. */
    public static boolean compareAndSetLong(Page page, int index, long expected, long next) {
        boolean set = UNSAFE.compareAndSetLong(null, address(page, index, 8), order(expected), order(next));
        Reference.reachabilityFence(page);
        return set;
    }
}
