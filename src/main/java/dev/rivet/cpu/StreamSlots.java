package dev.rivet.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.internal.misc.Unsafe;

/**
 * The longs of a TLB set's stream slots ({@link TlbSet#streams}), kept in a {@code byte[]} rather
 * than a {@code long[]}: translated code refills a slot inside the loop that uses it, and HotSpot's
 * C2 takes a store to one {@code long[]} as a store to any, so that a loop refilling a slot could
 * keep no value of the hart's other {@code long[]}s (the registers, the TLB) in a host register
 * across its trips: matmul's inner loop loaded its bound from the registers' array on every trip.
 * Stores to a {@code byte[]} leave those loads alone. Translated code reads and writes the longs
 * through {@code Unsafe} at {@link #BASE} ({@code jit.Memory}); Java code here through a view in
 * native order. The longs start {@link #PAD} bytes into the array, so that they are aligned
 * whatever offset the JVM's arrays start at.
 */
public final class StreamSlots {
    private StreamSlots() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Bytes before the first long: the array's first element may lie at an offset that is not a multiple of 8. */
    static final int PAD = (int) ((8 - Unsafe.ARRAY_BYTE_BASE_OFFSET % 8) % 8);
    /** The {@code Unsafe} offset of the first long in the array. */
    public static final long BASE = Unsafe.ARRAY_BYTE_BASE_OFFSET + PAD;

    /** Room for {@code longs} longs, all zero. */
    public static byte[] create(int longs) {
        return new byte[PAD + 8 * longs];
    }

    /** Long {@code i} of {@code slots}. */
    public static long get(byte[] slots, int i) {
        return (long) LONGS.get(slots, PAD + 8 * i);
    }

    /** Sets long {@code i} of {@code slots}. */
    public static void set(byte[] slots, int i, long value) {
        LONGS.set(slots, PAD + 8 * i, value);
    }
}
