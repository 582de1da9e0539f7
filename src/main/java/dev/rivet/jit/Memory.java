package dev.rivet.jit;

import dev.rivet.cpu.Hart;
import dev.rivet.cpu.JitAccess;
import dev.rivet.mem.Bytes;
import java.lang.foreign.MemorySegment;

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
 * as do eight-byte aligned stores; narrower stores go through the page's segment, which writes
 * exactly their bytes (a word read-modify-write could undo another guest thread's store to a
 * neighbouring byte).
 *
 * <p>Stores return true when the store dropped the decoded code of the page being run
 * (self-modifying code): translated code must then leave. Only the slow path can, as a page
 * holding code is never in the write TLB.
 */
public final class Memory {
    private Memory() {}

    private static final int OFFSET = 4095;

    private static int index(long[] tags, long va) {
        return (int) (va >>> 12) & (tags.length - 1);
    }

    /**
     * Loads {@code size} bytes at {@code va}, zero-extended: from the page's words when the access
     * hits the TLB and is naturally aligned (so within one page), else through the hart.
     */
    private static long load(long[] tags, long[][] words, Hart h, long va, int size) {
        int i = index(tags, va);
        if (tags[i] == va >>> 12 && (va & (size - 1)) == 0) return Bytes.read(words[i], (int) va & OFFSET, size);
        return h.load(va, size);
    }

    // The signed loads narrow the zero-extended value, which sign-extends it.

    public static long lb(long[] tags, long[][] words, Hart h, long va) {
        return (byte) load(tags, words, h, va, 1);
    }

    public static long lbu(long[] tags, long[][] words, Hart h, long va) {
        return load(tags, words, h, va, 1);
    }

    public static long lh(long[] tags, long[][] words, Hart h, long va) {
        return (short) load(tags, words, h, va, 2);
    }

    public static long lhu(long[] tags, long[][] words, Hart h, long va) {
        return load(tags, words, h, va, 2);
    }

    public static long lw(long[] tags, long[][] words, Hart h, long va) {
        return (int) load(tags, words, h, va, 4);
    }

    public static long lwu(long[] tags, long[][] words, Hart h, long va) {
        return load(tags, words, h, va, 4);
    }

    public static long ld(long[] tags, long[][] words, Hart h, long va) {
        return load(tags, words, h, va, 8);
    }

    /**
     * Stores the low {@code size} bytes of {@code value} at {@code va}: an eight-byte aligned store
     * into the page's words, anything else within a TLB page through its segment, the rest through
     * the hart. True when the store dropped the code of the page being run.
     */
    private static boolean store(long[] tags, long[][] words, MemorySegment[] pages, Hart h, long va, int size,
            long value) {
        int i = index(tags, va);
        if (size == 8 && tags[i] == va >>> 12 && (va & 7) == 0) {
            words[i][((int) va & OFFSET) >>> 3] = value;
            return false;
        }
        if (tags[i] == (va + size - 1) >>> 12) {
            Bytes.write(pages[i], va & OFFSET, size, value);
            return false;
        }
        h.store(va, size, value);
        return JitAccess.codeDropped(h);
    }

    public static boolean sb(long[] tags, long[][] words, MemorySegment[] pages, Hart h, long va, long value) {
        return store(tags, words, pages, h, va, 1, value);
    }

    public static boolean sh(long[] tags, long[][] words, MemorySegment[] pages, Hart h, long va, long value) {
        return store(tags, words, pages, h, va, 2, value);
    }

    public static boolean sw(long[] tags, long[][] words, MemorySegment[] pages, Hart h, long va, long value) {
        return store(tags, words, pages, h, va, 4, value);
    }

    public static boolean sd(long[] tags, long[][] words, MemorySegment[] pages, Hart h, long va, long value) {
        return store(tags, words, pages, h, va, 8, value);
    }
}
