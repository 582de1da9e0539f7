package dev.rivet.jit;

import dev.rivet.mem.PageBytes;

/**
 * The loads and stores of translated code: one static call per guest access, so that a load or
 * store costs a dozen bytecode bytes at its call site (regions stay small enough for both of
 * HotSpot's compilers) while the call, hot, is inlined down to the TLB check and the access.
 * One comparison checks both the hit and that the access stays within the page, as QEMU's softmmu
 * does: the tag at the index of the first byte's page must equal the page of the last byte, which
 * it cannot when the access crosses into the next page (that page has another index). Anything
 * else (a miss, a page-crossing access, a device, a fault, a page holding decoded code, which is
 * never in the write TLB) throws {@link LeaveToInterpreter}: the interpreter then performs the
 * access through {@code Hart.load}/{@code Hart.store}, its own path, which also fills the TLB.
 *
 * <p>The access itself is a single host load or store in the page's byte array, aligned or not
 * ({@link PageBytes}: a byte store writes exactly its byte), without the array's bounds check,
 * which the TLB comparison has made redundant: every array the TLB holds is a 4096-byte page,
 * and the comparison holds only when the access's first and last bytes are both on it.
 */
public final class Memory {
    private Memory() {}

    private static final int OFFSET = 4095;
    private static final long PAGE = ~4095L;

    /** The bytes of the page holding {@code size} bytes at {@code va}, if the TLB has it; else leaves. */
    private static byte[] page(long[] tags, byte[][] pages, long va, int size) {
        int i = (int) (va >>> 12) & (tags.length - 1);
        byte[] page = pages[i];
        // Null only while another thread flushes this TLB: PageBytes must never see it.
        if (tags[i] != ((va + size - 1) & PAGE) || page == null) throw LeaveToInterpreter.INSTANCE;
        return page;
    }

    // The unsigned loads are the signed ones with the sign extension masked off.

    public static long lb(long[] tags, byte[][] pages, long va) {
        return PageBytes.getByte(page(tags, pages, va, 1), (int) va & OFFSET);
    }

    public static long lbu(long[] tags, byte[][] pages, long va) {
        return lb(tags, pages, va) & 0xffL;
    }

    public static long lh(long[] tags, byte[][] pages, long va) {
        return PageBytes.getShort(page(tags, pages, va, 2), (int) va & OFFSET);
    }

    public static long lhu(long[] tags, byte[][] pages, long va) {
        return lh(tags, pages, va) & 0xffffL;
    }

    public static long lw(long[] tags, byte[][] pages, long va) {
        return PageBytes.getInt(page(tags, pages, va, 4), (int) va & OFFSET);
    }

    public static long lwu(long[] tags, byte[][] pages, long va) {
        return lw(tags, pages, va) & 0xffffffffL;
    }

    public static long ld(long[] tags, byte[][] pages, long va) {
        return PageBytes.getLong(page(tags, pages, va, 8), (int) va & OFFSET);
    }

    public static void sb(long[] tags, byte[][] pages, long va, long value) {
        PageBytes.putByte(page(tags, pages, va, 1), (int) va & OFFSET, (byte) value);
    }

    public static void sh(long[] tags, byte[][] pages, long va, long value) {
        PageBytes.putShort(page(tags, pages, va, 2), (int) va & OFFSET, (short) value);
    }

    public static void sw(long[] tags, byte[][] pages, long va, long value) {
        PageBytes.putInt(page(tags, pages, va, 4), (int) va & OFFSET, (int) value);
    }

    public static void sd(long[] tags, byte[][] pages, long va, long value) {
        PageBytes.putLong(page(tags, pages, va, 8), (int) va & OFFSET, value);
    }
}
