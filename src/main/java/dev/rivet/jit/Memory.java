package dev.rivet.jit;

import dev.rivet.cpu.JitAccess;
import dev.rivet.cpu.StreamSlots;
import dev.rivet.mem.HostMemory;
import jdk.internal.misc.Unsafe;

/**
 * The loads and stores of translated code: one static call per guest access, so that a load or
 * store costs a few bytecode bytes at its call site (regions stay small enough for both of
 * HotSpot's compilers) while the call, hot, is inlined down to the TLB check and the access.
 * One comparison checks both the hit and that the access stays within the page, as QEMU's softmmu
 * does: the tag at the index of the first byte's page must equal the page of the last byte, which
 * it cannot when the access crosses into the next page (that page has another index). Anything
 * else (a miss, a page-crossing access, a device, a fault, a page holding decoded code, which is
 * never in the write TLB) throws {@link LeaveToInterpreter}: the interpreter then performs the
 * access through {@code Hart.load}/{@code Hart.store}, its own path, which also fills the TLB.
 *
 * <p>A TLB is one array of longs, tag and addend side by side ({@code cpu.TlbSet}): a hit's host
 * address is the addend plus the virtual address, and the access is a single host load or store
 * there ({@link HostMemory}), aligned or not. The array is read without bounds checks: the index
 * is masked with the array's own length, so it and the one after it lie within the array.
 *
 * <p>The accesses of loops dense in them go through a <em>stream slot</em> first, one per
 * instruction ({@link JitAccess#streams}): the page its last access used, so that a hit is a
 * mask, a comparison and an addition, with neither the TLB's index computed nor its array and
 * mask needed on the way (in host registers, in a loop). A miss looks the TLB up as above and
 * refills the slot.
 */
public final class Memory {
    private Memory() {}

    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final long BASE = UNSAFE.arrayBaseOffset(long[].class);
    private static final long PAGE = ~4095L;

    /** The host address of the {@code size} bytes at {@code va}, if the TLB has their page; else leaves. */
    private static long host(long[] tlb, long va, int size) {
        long at = entry(tlb, va);
        if (UNSAFE.getLong(tlb, at) != ((va + size - 1) & PAGE)) throw LeaveToInterpreter.INSTANCE;
        return UNSAFE.getLong(tlb, at + 8) + va;
    }

    /** The offset in {@code tlb} of the entry for the page of {@code va} (its tag; the addend follows). */
    private static long entry(long[] tlb, long va) {
        // Entry (va >>> 12) mod (length / 2), at index 2 * entry: the page number shifted by 11,
        // masked with length - 2 (lengths are powers of two), which is even and below the length.
        return BASE + (((va >>> 11) & (tlb.length - 2)) << 3);
    }

    /** The host address of the {@code size} bytes at {@code va}, if the TLB has their page; else leaves. */
    public static long address(long[] tlb, long va, int size) {
        return host(tlb, va, size);
    }

    public static long lb(long[] tlb, long va) {
        return HostMemory.getByte(host(tlb, va, 1));
    }

    public static long lbu(long[] tlb, long va) {
        return lb(tlb, va) & 0xffL;
    }

    public static long lh(long[] tlb, long va) {
        return HostMemory.getShort(host(tlb, va, 2));
    }

    public static long lhu(long[] tlb, long va) {
        return lh(tlb, va) & 0xffffL;
    }

    public static long lw(long[] tlb, long va) {
        return HostMemory.getInt(host(tlb, va, 4));
    }

    public static long lwu(long[] tlb, long va) {
        return lw(tlb, va) & 0xffffffffL;
    }

    public static long ld(long[] tlb, long va) {
        return HostMemory.getLong(host(tlb, va, 8));
    }

    public static void sb(long[] tlb, long va, long value) {
        HostMemory.putByte(host(tlb, va, 1), (byte) value);
    }

    public static void sh(long[] tlb, long va, long value) {
        HostMemory.putShort(host(tlb, va, 2), (short) value);
    }

    public static void sw(long[] tlb, long va, long value) {
        HostMemory.putInt(host(tlb, va, 4), (int) value);
    }

    public static void sd(long[] tlb, long va, long value) {
        HostMemory.putLong(host(tlb, va, 8), value);
    }

    // Stream slots (see JitAccess.streams): slot k at long 2k (its page address) and 2k + 1 (its
    // addend) of a byte[] (see StreamSlots).

    private static final long FILLED = StreamSlots.BASE + 8L * JitAccess.STREAMS_FILLED;

    /**
     * The host address of the {@code size} bytes at {@code va} through stream slot {@code k},
     * else through the TLB, refilling the slot. The slot's page address is compared with the
     * address masked to its page and its alignment bits, so an access that is not naturally
     * aligned (and only such an access can cross into the next page) always takes the TLB's way.
     */
    private static long stream(byte[] s, int k, long[] tlb, long va, int size) {
        long at = StreamSlots.BASE + ((long) k << 4);
        if (UNSAFE.getLong(s, at) == (va & (PAGE | (size - 1)))) return UNSAFE.getLong(s, at + 8) + va;
        long host = host(tlb, va, size);
        fill(s, at, va & PAGE, host - va);
        return host;
    }

    /**
     * Fills the stream slot at offset {@code at} of {@code s}: the flag that some slot is filled,
     * then the addend, then the page address that makes the slot hit.
     */
    private static void fill(byte[] s, long at, long page, long addend) {
        UNSAFE.putLong(s, FILLED, 1);
        UNSAFE.putLong(s, at + 8, addend);
        UNSAFE.putLong(s, at, page);
    }

    /**
     * For an access group (see {@code AccessGroups}): the host address of {@code va}, the group's
     * base register, when the {@code span} bytes from {@code va + lo} lie in stream slot
     * {@code k}'s page, or in a page the TLB has (which then refills the slot); else 0, and each
     * access of the group takes its own way. No page's host memory lies within a few pages of
     * address 0, so no group's address is 0.
     */
    public static long group(byte[] s, int k, long[] tlb, long va, int lo, int span) {
        long first = va + lo, lastPage = (first + span - 1) & PAGE;
        long at = StreamSlots.BASE + ((long) k << 4);
        long page = UNSAFE.getLong(s, at);
        if ((first & PAGE) == page && lastPage == page) return UNSAFE.getLong(s, at + 8) + va;
        long host = group(tlb, va, lo, span);
        if (host != 0) fill(s, at, lastPage, host - va);
        return host;
    }

    /**
     * For an access group outside stream slots: the host address of {@code va} when the
     * {@code span} bytes from {@code va + lo} lie in a page the TLB has; else 0.
     */
    public static long group(long[] tlb, long va, int lo, int span) {
        long first = va + lo, at = entry(tlb, first);
        // The tag of the first byte's entry is the last byte's page: a hit, and one page for all.
        if (UNSAFE.getLong(tlb, at) != ((first + span - 1) & PAGE)) return 0;
        return UNSAFE.getLong(tlb, at + 8) + va;
    }

    /**
     * The host address of the {@code size} bytes at {@code va}, an access of a group: its group's
     * page ({@code group}, the host address of the group's base register, plus {@code imm}), or
     * when the group's check found none ({@code group} 0), the TLB's, else it leaves.
     */
    public static long at(long group, int imm, long[] tlb, long va, int size) {
        return group != 0 ? group + imm : host(tlb, va, size);
    }

    /** As {@link #at(long, int, long[], long, int)}, through stream slot {@code k} when the group's check found no page. */
    public static long at(long group, int imm, byte[] s, int k, long[] tlb, long va, int size) {
        return group != 0 ? group + imm : stream(s, k, tlb, va, size);
    }

    public static long lb(byte[] s, int k, long[] tlb, long va) {
        return HostMemory.getByte(stream(s, k, tlb, va, 1));
    }

    public static long lbu(byte[] s, int k, long[] tlb, long va) {
        return lb(s, k, tlb, va) & 0xffL;
    }

    public static long lh(byte[] s, int k, long[] tlb, long va) {
        return HostMemory.getShort(stream(s, k, tlb, va, 2));
    }

    public static long lhu(byte[] s, int k, long[] tlb, long va) {
        return lh(s, k, tlb, va) & 0xffffL;
    }

    public static long lw(byte[] s, int k, long[] tlb, long va) {
        return HostMemory.getInt(stream(s, k, tlb, va, 4));
    }

    public static long lwu(byte[] s, int k, long[] tlb, long va) {
        return lw(s, k, tlb, va) & 0xffffffffL;
    }

    public static long ld(byte[] s, int k, long[] tlb, long va) {
        return HostMemory.getLong(stream(s, k, tlb, va, 8));
    }

    public static void sb(byte[] s, int k, long[] tlb, long va, long value) {
        HostMemory.putByte(stream(s, k, tlb, va, 1), (byte) value);
    }

    public static void sh(byte[] s, int k, long[] tlb, long va, long value) {
        HostMemory.putShort(stream(s, k, tlb, va, 2), (short) value);
    }

    public static void sw(byte[] s, int k, long[] tlb, long va, long value) {
        HostMemory.putInt(stream(s, k, tlb, va, 4), (int) value);
    }

    public static void sd(byte[] s, int k, long[] tlb, long va, long value) {
        HostMemory.putLong(stream(s, k, tlb, va, 8), value);
    }
}
