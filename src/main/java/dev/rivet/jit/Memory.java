package dev.rivet.jit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The TLB fast path of translated loads and stores, as methods small enough (under HotSpot's
 * MaxInlineSize of 35 bytecode bytes) to be inlined everywhere, profile or not. Each returns the
 * page of an access that hits the TLB and stays within one page, else null (the generated code
 * then calls {@code Hart.load}/{@code Hart.store}, the slow path). One comparison does both checks,
 * as QEMU's softmmu does: the tag at the index of the first byte's page must equal the page of the
 * last byte, which it cannot when the access crosses into the next page.
 */
public final class Memory {
    private Memory() {}

    public static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    // Written as if/return rather than ?: to stay at 34 bytes.

    public static MemorySegment page1(long[] tags, MemorySegment[] pages, long va) {
        int i = (int) (va >>> 12) & (tags.length - 1);
        if (tags[i] != va >>> 12) return null;
        return pages[i];
    }

    public static MemorySegment page2(long[] tags, MemorySegment[] pages, long va) {
        int i = (int) (va >>> 12) & (tags.length - 1);
        if (tags[i] != (va + 1) >>> 12) return null;
        return pages[i];
    }

    public static MemorySegment page4(long[] tags, MemorySegment[] pages, long va) {
        int i = (int) (va >>> 12) & (tags.length - 1);
        if (tags[i] != (va + 3) >>> 12) return null;
        return pages[i];
    }

    public static MemorySegment page8(long[] tags, MemorySegment[] pages, long va) {
        int i = (int) (va >>> 12) & (tags.length - 1);
        if (tags[i] != (va + 7) >>> 12) return null;
        return pages[i];
    }
}
