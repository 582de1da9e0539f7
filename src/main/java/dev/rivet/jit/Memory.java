package dev.rivet.jit;

import dev.rivet.mem.Bytes;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The loads and stores of translated code: one static call per guest access, so that a load or
 * store costs a dozen bytecode bytes at its call site (regions stay small enough for both of
 * HotSpot's compilers) while the call, hot, is inlined down to the TLB check and the access.
 * One comparison checks both the hit and that the access stays within the page, as QEMU's softmmu
 * does: the tag at the index of the first byte's page must equal the page of the last byte, which
 * it cannot when the access crosses into the next page. Anything else (a miss, a page-crossing
 * access, a device, a fault, a page holding decoded code, which is never in the write TLB) throws
 * {@link LeaveToInterpreter}: the interpreter then performs the access through
 * {@code Hart.load}/{@code Hart.store}, its own path, which also fills the TLB.
 *
 * <p>Naturally aligned loads (all but a few) read the page's words ({@code Page.words}) directly,
 * as do eight-byte aligned stores; narrower stores go through the page's segment, which writes
 * exactly their bytes (a word read-modify-write could undo another guest thread's store to a
 * neighbouring byte).
 */
public final class Memory {
    private Memory() {}

    private static final int OFFSET = 4095;
    private static final long PAGE = ~4095L;

    private static int index(long[] tags, long va) {
        return (int) (va >>> 12) & (tags.length - 1);
    }

    /**
     * Loads {@code size} bytes at {@code va}, zero-extended, from a page in the read TLB. Tags are
     * page addresses, so masking va with {@code PAGE | (size - 1)} keeps its misaligned low bits,
     * and one comparison checks both the hit and natural alignment (an aligned access lies in one
     * word). A misaligned access within the page is assembled from its words.
     */
    private static long load(long[] tags, long[][] words, long va, int size) {
        int i = index(tags, va);
        long tag = tags[i];
        if (tag == (va & (PAGE | (size - 1)))) {
            return low(words[i][((int) va & OFFSET) >>> 3] >>> ((va & 7) << 3), size);
        }
        if (tag == ((va + size - 1) & PAGE)) return misaligned(words[i], (int) va & OFFSET, size);
        throw LeaveToInterpreter.INSTANCE;
    }

    /**
     * A misaligned load within one page, from the one or two words it overlaps. Small enough to be
     * inlined with the rest: a call here (even on a rarely taken branch, which the shared profile
     * of these methods marks as taken once any program does a misaligned load) would make HotSpot
     * keep the loop around it in stack slots, since a call clobbers every host register.
     */
    private static long misaligned(long[] words, int offset, int size) {
        int w = offset >>> 3, shift = (offset & 7) << 3; // shift > 0: an aligned access took the fast path
        long value = words[w] >>> shift;
        if (shift + (size << 3) > 64) value |= words[w + 1] << (64 - shift);
        return low(value, size);
    }

    /** The low {@code size} bytes of {@code value}, zero-extended. */
    private static long low(long value, int size) {
        return size == 8 ? value : value & (1L << (size << 3)) - 1;
    }

    // The signed loads narrow the zero-extended value, which sign-extends it.

    public static long lb(long[] tags, long[][] words, long va) {
        return (byte) load(tags, words, va, 1);
    }

    public static long lbu(long[] tags, long[][] words, long va) {
        return load(tags, words, va, 1);
    }

    public static long lh(long[] tags, long[][] words, long va) {
        return (short) load(tags, words, va, 2);
    }

    public static long lhu(long[] tags, long[][] words, long va) {
        return load(tags, words, va, 2);
    }

    public static long lw(long[] tags, long[][] words, long va) {
        return (int) load(tags, words, va, 4);
    }

    public static long lwu(long[] tags, long[][] words, long va) {
        return load(tags, words, va, 4);
    }

    public static long ld(long[] tags, long[][] words, long va) {
        return load(tags, words, va, 8);
    }

    // Each store is written out on its own, without a shared helper: HotSpot does not inline a
    // method it has already compiled into a large body, and a store left as a call makes the
    // loop around it save every register. All four take the same arguments (one call shape for
    // the emitter); the narrow ones write through the segment and leave the words alone.

    public static void sb(long[] tags, long[][] words, MemorySegment[] pages, long va, long value) {
        int i = index(tags, va);
        if (tags[i] != (va & PAGE)) throw LeaveToInterpreter.INSTANCE;
        pages[i].set(ValueLayout.JAVA_BYTE, va & OFFSET, (byte) value);
    }

    public static void sh(long[] tags, long[][] words, MemorySegment[] pages, long va, long value) {
        int i = index(tags, va);
        if (tags[i] != ((va + 1) & PAGE)) throw LeaveToInterpreter.INSTANCE;
        pages[i].set(Bytes.U16, va & OFFSET, (short) value);
    }

    public static void sw(long[] tags, long[][] words, MemorySegment[] pages, long va, long value) {
        int i = index(tags, va);
        if (tags[i] != ((va + 3) & PAGE)) throw LeaveToInterpreter.INSTANCE;
        pages[i].set(Bytes.U32, va & OFFSET, (int) value);
    }

    /** An aligned doubleword goes straight into the page's words; a misaligned one through its segment. */
    public static void sd(long[] tags, long[][] words, MemorySegment[] pages, long va, long value) {
        int i = index(tags, va);
        long tag = tags[i];
        if (tag == (va & (PAGE | 7))) {
            words[i][((int) va & OFFSET) >>> 3] = value;
        } else if (tag == ((va + 7) & PAGE)) {
            pages[i].set(Bytes.U64, va & OFFSET, value);
        } else {
            throw LeaveToInterpreter.INSTANCE;
        }
    }
}
