package dev.rivet.cpu;

import dev.rivet.mem.Page;

/**
 * The few package-private parts of the CPU that translated code and its dispatcher need, opened
 * here rather than made public on {@link Hart}: generated code calls these through invokestatic and
 * HotSpot inlines them, so they cost nothing over direct access.
 */
public final class JitAccess {
    private JitAccess() {}

    /**
     * The page holding the instruction at {@code h.pc}, through the fetch TLB (so execute
     * permission is checked exactly as an instruction fetch would). Raises the fetch exception the
     * interpreter would raise for that pc.
     */
    public static Page codePage(Hart h) {
        long pc = h.pc;
        if ((pc >>> Page.SHIFT) != h.fetchVpn) h.refillFetchFor(pc);
        return h.fetchPage;
    }

    /**
     * Gives the hart's TLB sets jump caches (see {@link JumpCache}) whose targets arrays
     * {@code targets} makes, typed as the translator's code.
     */
    public static void attachJumpCaches(Hart h, java.util.function.IntFunction<Object[]> targets) {
        h.attachJumpCaches(targets);
    }

    /** The current mode's jump cache: the pcs of its entries (null without one). */
    public static long[] jumpPcs(Hart h) {
        return h.jumpPcs;
    }

    /** The current mode's jump cache: the code at each entry (the array given to {@link #attachJumpCaches}). */
    public static Object[] jumpTargets(Hart h) {
        return h.jumpTargets;
    }

    /**
     * Enters {@code region} for {@code h.pc} in the current mode's jump cache if the page of
     * {@code h.pc} (just looked up by {@link #codePage}) is in the fetch TLB, whose flushes clear
     * the cache.
     */
    public static void cacheJump(Hart h, Object region) {
        if (h.fetchCached(h.pc)) h.jumps.put(h.pc, region);
    }

    /** The jump cache entry for {@code pc}. */
    public static int jumpIndex(long pc) {
        return JumpCache.index(pc);
    }

    /** Makes {@code page}, with decoded slots {@code code}, the fetch page for {@code h.pc}: after a jump cache hit. */
    public static void enterFetchPage(Hart h, Page page, long[] code) {
        h.enterFetchPage(h.pc, page, code);
    }

    /**
     * Empties the hart's jump caches if {@code installs} (a count of translations installed)
     * changed since they were last emptied here: an entry stays right while its code serves, but
     * a later translation of the same place should take over.
     */
    public static void syncJumpCaches(Hart h, long installs) {
        h.syncJumpCaches(installs);
    }

    /**
     * The page that follows the page of {@code pc} in the hart's address space, as its fetch TLB
     * holds it (so mapped executable; an entry filled first from a process's page in memory), or
     * null. No fault, no page-table walk: a translation only looks whether the next page is where
     * it was.
     */
    public static Page fetchPageAfter(Hart h, long pc) {
        return h.fetchPageAhead((pc >>> Page.SHIFT) + 1);
    }

    /** The decoded-slot array of the current fetch page: identifies the page's code version. */
    public static Object codeVersion(Hart h) {
        return h.fetchCode;
    }

    /**
     * The TLB table of the current privilege mode ({@link TlbTable}: stream slots, then read and
     * write entries), for translated code's inlined fast path. A region reads it when it starts;
     * it changes identity only with the mode, which no region runs across. A page that holds code
     * is never in a write entry.
     */
    public static byte[] tlbTable(Hart h) {
        return h.tlbTable;
    }

    /** Read stream slots, and as many write slots after them (see {@link TlbSet#STREAM_SLOTS}). */
    public static final int STREAM_SLOTS = TlbSet.STREAM_SLOTS;

    /** True when a stop request or interrupt change wants the hart's attention. */
    public static boolean attention(Hart h) {
        return h.attention;
    }

    /**
     * True when a store since the last {@link #codePage} dropped the decoded code of the page
     * being executed: the interpreter would re-decode the next instruction, so translated code of
     * that page must stop here.
     */
    public static boolean codeDropped(Hart h) {
        return h.fetchVpn == Hart.NO_PAGE;
    }

    public static long loadReserved(Hart h, long va, int size) {
        return h.loadReserved(va, size);
    }

    public static long storeConditional(Hart h, long va, int size, long value) {
        return h.storeConditional(va, size, value);
    }

    /**
     * A CSR instruction, as the interpreter runs it; returns the value for rd. Translated code uses
     * it only for the floating-point CSRs (fflags, frm, fcsr), whose accesses never need the
     * interrupt check or the retired-instruction count that other CSRs do.
     */
    public static long csr(Hart h, long decoded, long rs1Value) {
        return Interpreter.csr(h, decoded, rs1Value);
    }

    /** The rounding mode of an F/D instruction's rm field (7: frm), or an illegal-instruction trap. */
    public static int roundingMode(Hart h, int rm) {
        return FloatOps.roundingMode(h, rm);
    }
}
