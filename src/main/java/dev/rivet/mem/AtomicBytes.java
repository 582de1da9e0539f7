package dev.rivet.mem;

import java.nio.ByteOrder;
import java.util.Objects;
import jdk.internal.misc.Unsafe;

/**
 * Atomic access to naturally aligned 4- and 8-byte little-endian words of a page's byte array
 * ({@link Page#bytes}), for the A extension and for page-table entry updates. The JDK's public
 * API offers none on byte arrays (its array views allow only plain access, since the alignment of
 * array elements is not promised on every platform), so this class uses the JDK's internal
 * atomic primitives, after checking the two facts it relies on at start-up: the elements of a
 * byte array start at an 8-byte aligned offset (so an aligned index is an aligned address), and
 * the host's byte order (big-endian hosts get their values byte-reversed). Every index is checked
 * against the array and for alignment before any access, so no caller can reach past a page.
 */
public final class AtomicBytes {
    private AtomicBytes() {}

    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final long BASE = UNSAFE.arrayBaseOffset(byte[].class);
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    static {
        if (BASE % 8 != 0) throw new ExceptionInInitializerError("byte array elements are not 8-byte aligned: " + BASE);
    }

    private static long address(byte[] bytes, int index, int size) {
        Objects.checkFromIndexSize(index, size, bytes.length);
        if ((index & (size - 1)) != 0) throw new IllegalArgumentException("misaligned atomic access at " + index);
        return BASE + index;
    }

    private static int order(int v) {
        return BIG_ENDIAN ? Integer.reverseBytes(v) : v;
    }

    private static long order(long v) {
        return BIG_ENDIAN ? Long.reverseBytes(v) : v;
    }

    /** The 4-byte word at {@code index}, read with volatile semantics. */
    public static int getIntVolatile(byte[] bytes, int index) {
        return order(UNSAFE.getIntVolatile(bytes, address(bytes, index, 4)));
    }

    /** Sets the 4-byte word at {@code index} to {@code next} if it holds {@code expected}. */
    public static boolean compareAndSetInt(byte[] bytes, int index, int expected, int next) {
        return UNSAFE.compareAndSetInt(bytes, address(bytes, index, 4), order(expected), order(next));
    }

    /** The 8-byte word at {@code index}, read with volatile semantics. */
    public static long getLongVolatile(byte[] bytes, int index) {
        return order(UNSAFE.getLongVolatile(bytes, address(bytes, index, 8)));
    }

    /** Sets the 8-byte word at {@code index} to {@code next} if it holds {@code expected}. */
    public static boolean compareAndSetLong(byte[] bytes, int index, long expected, long next) {
        return UNSAFE.compareAndSetLong(bytes, address(bytes, index, 8), order(expected), order(next));
    }
}
