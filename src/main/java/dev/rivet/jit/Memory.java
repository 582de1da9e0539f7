package dev.rivet.jit;

import static dev.rivet.cpu.TlbTable.READ;
import static dev.rivet.cpu.TlbTable.WRITE;

import dev.rivet.cpu.JitAccess;
import dev.rivet.cpu.TlbTable;
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
 * never in a write entry) throws {@link LeaveToInterpreter}: the interpreter then performs the
 * access through {@code Hart.load}/{@code Hart.store}, its own path, which also fills the TLB.
 *
 * <p>A TLB set is one {@code byte[]} of longs ({@link TlbTable}): a hit's host address is the
 * entry's addend plus the virtual address, and the access is a single host load or store there
 * ({@link HostMemory}), aligned or not. The table is read without bounds checks: the entry's
 * offset is masked with the table's own mask, which keeps it within the table.
 *
 * <p>The accesses of loops dense in them go through a <em>stream slot</em> first, one per
 * instruction ({@link JitAccess#STREAM_SLOTS}, at the table's start): the page its last access
 * used, so that a hit is a mask, a comparison and an addition, with no entry's offset computed on
 * the way. A miss looks the TLB up as above and refills the slot.
 */
public final class Memory {
    private Memory() {}

    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final long PAGE = ~4095L;

    /**
     * The host address of the {@code size} bytes at {@code va}, if the entries' {@code half}
     * ({@link TlbTable#READ} or {@link TlbTable#WRITE}) has their page; else leaves.
     */
    private static long host(byte[] t, long va, int size, int half) {
        long at = TlbTable.entryAt(t, va) + half;
        if (UNSAFE.getLong(t, at) != ((va + size - 1) & PAGE)) throw LeaveToInterpreter.INSTANCE;
        return UNSAFE.getLong(t, at + 8) + va;
    }

    /** The host address of the {@code size} bytes at {@code va} for reading, if the TLB has their page; else leaves. */
    public static long address(byte[] t, long va, int size) {
        return host(t, va, size, READ);
    }

    /** The host address of the {@code size} bytes at {@code va} for writing, if the TLB has their page; else leaves. */
    public static long writeAddress(byte[] t, long va, int size) {
        return host(t, va, size, WRITE);
    }

    public static long lb(byte[] t, long va) {
        return HostMemory.getByte(host(t, va, 1, READ));
    }

    public static long lbu(byte[] t, long va) {
        return lb(t, va) & 0xffL;
    }

    public static long lh(byte[] t, long va) {
        return HostMemory.getShort(host(t, va, 2, READ));
    }

    public static long lhu(byte[] t, long va) {
        return lh(t, va) & 0xffffL;
    }

    public static long lw(byte[] t, long va) {
        return HostMemory.getInt(host(t, va, 4, READ));
    }

    public static long lwu(byte[] t, long va) {
        return lw(t, va) & 0xffffffffL;
    }

    public static long ld(byte[] t, long va) {
        return HostMemory.getLong(host(t, va, 8, READ));
    }

    public static void sb(byte[] t, long va, long value) {
        HostMemory.putByte(host(t, va, 1, WRITE), (byte) value);
    }

    public static void sh(byte[] t, long va, long value) {
        HostMemory.putShort(host(t, va, 2, WRITE), (short) value);
    }

    public static void sw(byte[] t, long va, long value) {
        HostMemory.putInt(host(t, va, 4, WRITE), (int) value);
    }

    public static void sd(byte[] t, long va, long value) {
        HostMemory.putLong(host(t, va, 8, WRITE), value);
    }

    // Stream slots (see TlbTable): slot k at long 2k (its page address) and 2k + 1 (its addend).

    /**
     * The host address of the {@code size} bytes at {@code va} through stream slot {@code k},
     * else through the entries' {@code half}, refilling the slot. The slot's page address is
     * compared with the address masked to its page and its alignment bits, so an access that is
     * not naturally aligned (and only such an access can cross into the next page) always takes
     * the TLB's way.
     */
    private static long stream(byte[] t, int k, long va, int size, int half) {
        long at = TlbTable.BASE + ((long) k << 4);
        if (UNSAFE.getLong(t, at) == (va & (PAGE | (size - 1)))) return UNSAFE.getLong(t, at + 8) + va;
        long host = host(t, va, size, half);
        fill(t, at, va & PAGE, host - va);
        return host;
    }

    /**
     * Fills the stream slot at offset {@code at} of {@code t}: the flag that some slot is filled,
     * then the addend, then the page address that makes the slot hit.
     */
    private static void fill(byte[] t, long at, long page, long addend) {
        UNSAFE.putLong(t, TlbTable.FILLED_AT, 1);
        UNSAFE.putLong(t, at + 8, addend);
        UNSAFE.putLong(t, at, page);
    }

    /**
     * For an access group (see {@code AccessGroups}): the host address of {@code va}, the group's
     * base register, when the {@code span} bytes from {@code va + lo} lie in stream slot
     * {@code k}'s page, or in a page the entries' {@code half} has (which then refills the slot);
     * else 0, and each access of the group takes its own way. No page's host memory lies within a
     * few pages of address 0, so no group's address is 0.
     */
    public static long group(byte[] t, int k, long va, int lo, int span, int half) {
        long first = va + lo, lastPage = (first + span - 1) & PAGE;
        long at = TlbTable.BASE + ((long) k << 4);
        long page = UNSAFE.getLong(t, at);
        if ((first & PAGE) == page && lastPage == page) return UNSAFE.getLong(t, at + 8) + va;
        long host = group(t, va, lo, span, half);
        if (host != 0) fill(t, at, lastPage, host - va);
        return host;
    }

    /**
     * For an access group outside stream slots: the host address of {@code va} when the
     * {@code span} bytes from {@code va + lo} lie in a page the entries' {@code half} has; else 0.
     */
    public static long group(byte[] t, long va, int lo, int span, int half) {
        long first = va + lo, at = TlbTable.entryAt(t, first) + half;
        // The tag of the first byte's entry is the last byte's page: a hit, and one page for all.
        if (UNSAFE.getLong(t, at) != ((first + span - 1) & PAGE)) return 0;
        return UNSAFE.getLong(t, at + 8) + va;
    }

    /**
     * The host address of the {@code size} bytes at {@code va}, an access of a group: its group's
     * page ({@code group}, the host address of the group's base register, plus {@code imm}), or
     * when the group's check found none ({@code group} 0), the entries' {@code half}, else it leaves.
     */
    public static long at(long group, int imm, byte[] t, long va, int size, int half) {
        return group != 0 ? group + imm : host(t, va, size, half);
    }

    /** As {@link #at(long, int, byte[], long, int, int)}, through stream slot {@code k} when the group's check found no page. */
    public static long at(long group, int imm, byte[] t, int k, long va, int size, int half) {
        return group != 0 ? group + imm : stream(t, k, va, size, half);
    }

    public static long lb(byte[] t, int k, long va) {
        return HostMemory.getByte(stream(t, k, va, 1, READ));
    }

    public static long lbu(byte[] t, int k, long va) {
        return lb(t, k, va) & 0xffL;
    }

    public static long lh(byte[] t, int k, long va) {
        return HostMemory.getShort(stream(t, k, va, 2, READ));
    }

    public static long lhu(byte[] t, int k, long va) {
        return lh(t, k, va) & 0xffffL;
    }

    public static long lw(byte[] t, int k, long va) {
        return HostMemory.getInt(stream(t, k, va, 4, READ));
    }

    public static long lwu(byte[] t, int k, long va) {
        return lw(t, k, va) & 0xffffffffL;
    }

    public static long ld(byte[] t, int k, long va) {
        return HostMemory.getLong(stream(t, k, va, 8, READ));
    }

    public static void sb(byte[] t, int k, long va, long value) {
        HostMemory.putByte(stream(t, k, va, 1, WRITE), (byte) value);
    }

    public static void sh(byte[] t, int k, long va, long value) {
        HostMemory.putShort(stream(t, k, va, 2, WRITE), (short) value);
    }

    public static void sw(byte[] t, int k, long va, long value) {
        HostMemory.putInt(stream(t, k, va, 4, WRITE), (int) value);
    }

    public static void sd(byte[] t, int k, long va, long value) {
        HostMemory.putLong(stream(t, k, va, 8, WRITE), value);
    }
}
