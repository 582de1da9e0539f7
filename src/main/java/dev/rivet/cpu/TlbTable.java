package dev.rivet.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.internal.misc.Unsafe;

/**
 * The layout of a TLB set's table ({@link TlbSet#table}): everything translated code reads of a
 * TLB set, in one {@code byte[]}, so that a region keeps a single reference to it in a host
 * register. Longs, in order: the stream slots (two each: a page address and its addend;
 * {@link TlbSet#STREAM_SLOTS} read slots, then as many write slots), the flag translated code
 * sets when it fills a slot ({@link #FILLED}), the entries' offset mask ({@link #MASK}), then the
 * entries, four longs each: the read tag and addend, the write tag and addend. A tag is a page
 * address (or {@link Hart#NO_PAGE}), the addend the page's host address minus it, so that a
 * hit's host address is the addend plus the virtual address, as QEMU's TLB keeps one. Read and
 * write entries of a page share a cache line.
 *
 * <p>Why one array of bytes: with the read TLB, the write TLB and the slots in three arrays, a
 * loop's region kept three references live, and in matmul's inner loop (two loads, a TLB lookup
 * and a stream slot a trip) HotSpot's C2 had no general register left for the TLB and reloaded it
 * from a vector register on every trip. And translated code stores to the table (refilling a
 * slot) inside loops: C2 takes a store to one {@code long[]} for a store to any, which would keep
 * it from holding any value of the hart's registers' array in a host register across the loop's
 * trips; stores to a {@code byte[]} leave those loads alone.
 *
 * <p>Translated code reads and writes the longs through {@code Unsafe} at the offsets here
 * ({@code jit.Memory}); the hart's fast path too, at an entry index masked with the set's size;
 * other Java code through a view in native order. The longs start {@link #PAD} bytes into the
 * array, so that they are aligned whatever offset the JVM's arrays start at.
 */
public final class TlbTable {
    private TlbTable() {}

    private static final Unsafe UNSAFE = Unsafe.getUnsafe();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Bytes before the first long: the array's first element may lie at an offset that is not a multiple of 8. */
    static final int PAD = (int) ((8 - Unsafe.ARRAY_BYTE_BASE_OFFSET % 8) % 8);
    /** The {@code Unsafe} offset of the first long in the array. */
    public static final long BASE = Unsafe.ARRAY_BYTE_BASE_OFFSET + PAD;

    /** Index of the long translated code sets when it fills a stream slot (cleared by the hart only). */
    public static final int FILLED = 4 * TlbSet.STREAM_SLOTS;
    /** Index of the long holding the entries' offset mask: (entries - 1) * 32. */
    public static final int MASK = FILLED + 1;
    /** Index of the first entry's first long (a multiple of eight longs from the first). */
    static final int ENTRIES = FILLED + 8;

    /** The {@code Unsafe} offset of {@link #FILLED}, of {@link #MASK}, and of the first entry. */
    public static final long FILLED_AT = BASE + 8L * FILLED, MASK_AT = BASE + 8L * MASK, ENTRIES_AT = BASE + 8L * ENTRIES;
    /** Where in an entry the read and the write halves start (each a tag, then an addend). */
    public static final int READ = 0, WRITE = 16;

    /**
     * A table for {@code entries} entries (a power of two), every entry empty (all its longs
     * {@link Hart#NO_PAGE}), the slots zero. The entries are filled by one {@code setMemory}: a
     * program's start runs this while the JVM is still cold, where a loop over 8192 entries took
     * 3 ms.
     */
    static byte[] create(int entries) {
        byte[] table = new byte[PAD + 8 * (ENTRIES + 4 * entries)];
        set(table, MASK, (entries - 1) * 32L);
        UNSAFE.setMemory(table, ENTRIES_AT, 32L * entries, (byte) Hart.NO_PAGE);
        return table;
    }

    /** Long {@code i} of {@code table}. */
    public static long get(byte[] table, int i) {
        return (long) LONGS.get(table, PAD + 8 * i);
    }

    /** Sets long {@code i} of {@code table}. */
    public static void set(byte[] table, int i, long value) {
        LONGS.set(table, PAD + 8 * i, value);
    }

    /** The index of the long at {@code half} ({@link #READ} or {@link #WRITE}) of entry {@code i}. */
    static int entry(int i, int half) {
        return ENTRIES + 4 * i + half / 8;
    }

    /** The {@code Unsafe} offset of entry {@code i} (its read tag). */
    static long entryAt(int i) {
        return ENTRIES_AT + ((long) i << 5);
    }

    /**
     * The long at {@code Unsafe} offset {@code at} of {@code table}, unchecked: {@code at} must be
     * an entry's offset masked as {@link #entryAt} masks it (plus 8, 16 or 24), or a slot's.
     */
    static long longAt(byte[] table, long at) {
        return UNSAFE.getLong(table, at);
    }

    /**
     * The {@code Unsafe} offset of the entry for the page of {@code va} in {@code table}: the page
     * number modulo the entry count, times 32, which the mask keeps within the table.
     */
    public static long entryAt(byte[] table, long va) {
        return ENTRIES_AT + ((va >>> 7) & UNSAFE.getLong(table, MASK_AT));
    }
}
