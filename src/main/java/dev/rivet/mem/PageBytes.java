package dev.rivet.mem;

import jdk.internal.misc.Unsafe;

/**
 * Little-endian access to a page's bytes ({@link Page#bytes}, always {@link Page#SIZE} long) at
 * an offset its caller has already proved to lie within the page, without the array's bounds
 * check: that check reads the array's length from its header, a cache line apart from the data,
 * which costs a second cache miss on every access that strides across pages. Only translated
 * code's loads and stores use it, after their TLB comparison, which holds only when the access's
 * first and last bytes are both on the page (see {@code jit.Memory}); every array a TLB holds is
 * a page's.
 */
public final class PageBytes {
    private PageBytes() {}

    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final long BASE = UNSAFE.arrayBaseOffset(byte[].class);

    public static byte getByte(byte[] page, int off) {
        return UNSAFE.getByte(page, BASE + off);
    }

    public static short getShort(byte[] page, int off) {
        return UNSAFE.getShortUnaligned(page, BASE + off, false);
    }

    public static int getInt(byte[] page, int off) {
        return UNSAFE.getIntUnaligned(page, BASE + off, false);
    }

    public static long getLong(byte[] page, int off) {
        return UNSAFE.getLongUnaligned(page, BASE + off, false);
    }

    public static void putByte(byte[] page, int off, byte value) {
        UNSAFE.putByte(page, BASE + off, value);
    }

    public static void putShort(byte[] page, int off, short value) {
        UNSAFE.putShortUnaligned(page, BASE + off, value, false);
    }

    public static void putInt(byte[] page, int off, int value) {
        UNSAFE.putIntUnaligned(page, BASE + off, value, false);
    }

    public static void putLong(byte[] page, int off, long value) {
        UNSAFE.putLongUnaligned(page, BASE + off, value, false);
    }
}
