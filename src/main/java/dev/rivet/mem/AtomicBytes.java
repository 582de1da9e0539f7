package dev.rivet.mem;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Atomic access to naturally aligned 4- and 8-byte little-endian words of a page
 * ({@link Page#data}), for the A extension and for page-table entry updates: the segment's var
 * handles of aligned layouts, which check the offset against the page and its alignment, and
 * hold the page for the access.
 */
public final class AtomicBytes {
    private AtomicBytes() {}

    private static final VarHandle I32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle I64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    /** The 4-byte word at {@code index}, read with volatile semantics. */
    public static int getIntVolatile(Page page, int index) {
        return (int) I32.getVolatile(page.data, (long) index);
    }

    /** Sets the 4-byte word at {@code index} to {@code next} if it holds {@code expected}. */
    public static boolean compareAndSetInt(Page page, int index, int expected, int next) {
        return I32.compareAndSet(page.data, (long) index, expected, next);
    }

    /** The 8-byte word at {@code index}, read with volatile semantics. */
    public static long getLongVolatile(Page page, int index) {
        return (long) I64.getVolatile(page.data, (long) index);
    }

    /** Sets the 8-byte word at {@code index} to {@code next} if it holds {@code expected}. */
    public static boolean compareAndSetLong(Page page, int index, long expected, long next) {
        return I64.compareAndSet(page.data, (long) index, expected, next);
    }
}
