package dev.rivet.jit;

import dev.rivet.cpu.Hart;
import dev.rivet.cpu.JitAccess;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The loads and stores of translated code: one static call per guest access, so that a load or
 * store costs a dozen bytecode bytes at its call site (regions stay small enough for both of
 * HotSpot's compilers) while the call, hot, is inlined down to the TLB check and the access.
 * One comparison checks both the hit and that the access stays within the page, as QEMU's softmmu
 * does: the tag at the index of the first byte's page must equal the page of the last byte, which
 * it cannot when the access crosses into the next page. Anything else (a miss, a page-crossing
 * access, a device, a fault) goes through {@code Hart.load}/{@code Hart.store}, the interpreter's
 * own path.
 *
 * <p>Naturally aligned loads (all but a few) read the page's words ({@code Page.words}) directly,
 * as do eight-byte aligned stores;
 * narrower stores go through the page's segment, which writes exactly their bytes (a word
 * read-modify-write could undo another guest thread's store to a neighbouring byte).
 *
 * <p>Stores return true when the store dropped the decoded code of the page being run
 * (self-modifying code): translated code must then leave. Only the slow path can, as a page
 * holding code is never in the write TLB.
 */
public final class Memory {
    private Memory() {}

    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int OFFSET = 4095;

    private static int index(long[] tags, long va) {
        return (int) (va >>> 12) & (tags.length - 1);
    }

    public static long lb(long[] tags, long[][] words, Hart h, long va) {
        int i = index(tags, va);
        if (tags[i] == va >>> 12) return (byte) (word(words[i], va) >>> ((va & 7) << 3));
        return (byte) h.load(va, 1);
    }

    public static long lbu(long[] tags, long[][] words, Hart h, long va) {
        int i = index(tags, va);
        if (tags[i] == va >>> 12) return (word(words[i], va) >>> ((va & 7) << 3)) & 0xffL;
        return h.load(va, 1);
    }

    public static long lh(long[] tags, long[][] words, Hart h, long va) {
        int i = index(tags, va);
        if (tags[i] == va >>> 12 && (va & 1) == 0) return (short) (word(words[i], va) >>> ((va & 6) << 3));
        return (short) h.load(va, 2);
    }

    public static long lhu(long[] tags, long[][] words, Hart h, long va) {
        int i = index(tags, va);
        if (tags[i] == va >>> 12 && (va & 1) == 0) return (word(words[i], va) >>> ((va & 6) << 3)) & 0xffffL;
        return h.load(va, 2);
    }

    public static long lw(long[] tags, long[][] words, Hart h, long va) {
        int i = index(tags, va);
        if (tags[i] == va >>> 12 && (va & 3) == 0) return (int) (word(words[i], va) >>> ((va & 4) << 3));
        return (int) h.load(va, 4);
    }

    public static long lwu(long[] tags, long[][] words, Hart h, long va) {
        int i = index(tags, va);
        if (tags[i] == va >>> 12 && (va & 3) == 0) return (word(words[i], va) >>> ((va & 4) << 3)) & 0xffffffffL;
        return h.load(va, 4);
    }

    public static long ld(long[] tags, long[][] words, Hart h, long va) {
        int i = index(tags, va);
        if (tags[i] == va >>> 12 && (va & 7) == 0) return word(words[i], va);
        return h.load(va, 8);
    }

    /** The word of a page holding the byte at {@code va}. */
    private static long word(long[] page, long va) {
        return page[((int) va & OFFSET) >>> 3];
    }

    public static boolean sb(long[] tags, long[][] words, MemorySegment[] pages, Hart h, long va, long value) {
        int i = index(tags, va);
        if (tags[i] == va >>> 12) {
            pages[i].set(I8, va & OFFSET, (byte) value);
            return false;
        }
        return storeSlow(h, va, 1, value);
    }

    public static boolean sh(long[] tags, long[][] words, MemorySegment[] pages, Hart h, long va, long value) {
        int i = index(tags, va);
        if (tags[i] == (va + 1) >>> 12) {
            pages[i].set(I16, va & OFFSET, (short) value);
            return false;
        }
        return storeSlow(h, va, 2, value);
    }

    public static boolean sw(long[] tags, long[][] words, MemorySegment[] pages, Hart h, long va, long value) {
        int i = index(tags, va);
        if (tags[i] == (va + 3) >>> 12) {
            pages[i].set(I32, va & OFFSET, (int) value);
            return false;
        }
        return storeSlow(h, va, 4, value);
    }

    public static boolean sd(long[] tags, long[][] words, MemorySegment[] pages, Hart h, long va, long value) {
        int i = index(tags, va);
        if (tags[i] == va >>> 12 && (va & 7) == 0) {
            words[i][((int) va & OFFSET) >>> 3] = value;
            return false;
        }
        if (tags[i] == (va + 7) >>> 12) {
            pages[i].set(I64, va & OFFSET, value);
            return false;
        }
        return storeSlow(h, va, 8, value);
    }

    private static boolean storeSlow(Hart h, long va, int size, long value) {
        h.store(va, size, value);
        return JitAccess.codeDropped(h);
    }
}
