package dev.rivet.cpu;

import dev.rivet.mem.Page;
import java.util.Arrays;

/**
 * The software TLBs of one privilege mode: read, write and fetch entries indexed by virtual page
 * number mod the number of entries; the read and write tags with their host addresses in one
 * table that translated code reads ({@link TlbTable}), their pages and the fetch entries in plain
 * arrays. A system VM hart keeps one set per
 * mode, as QEMU keeps a TLB per MMU index: an entry records an access check made at that mode's
 * privilege (U pages, SUM, MXR), so entries of one mode are wrong for another, and a hart that
 * kept a single set had to drop it on every trap and return (on a timer tick the user program's
 * whole working set missed again; in a busybox shell loop two million accesses left translated
 * code for the interpreter to refill them). With a set per mode a change of mode drops nothing.
 */
final class TlbSet {
    /**
     * The read and write entries and the stream slots, in one array that translated code reads
     * ({@link TlbTable}): per entry a read tag and addend and a write tag and addend, the tag a page
     * address ({@link Hart#NO_PAGE} when empty), the addend its page's host address minus the tag.
     */
    final byte[] table;
    /**
     * The page of each read and write entry: what keeps its host memory alive while an address
     * of it is in the entry. Only the hart that owns this set fills entries (page, then address,
     * then tag); a flush, from any thread, only empties tags, so an address read after a hit
     * always belongs to a page still held here. A page the guest has let go of (unmapped,
     * ballooned) thus stays in host memory until its entry is filled again: at most one page per
     * entry.
     */
    final Page[] readPages, writePages;
    /** Fetch entries: virtual page numbers and their pages. */
    final long[] fetchTag;
    final Page[] fetchPages;
    /** Translated code by pc, valid with the fetch entries (null while no translated code runs here). */
    JumpCache jumps;
    /**
     * A virtual range (the bits of {@code superMask} fixed to those of {@code superBase}) holding
     * every entry filled from a superpage since the last flush, as QEMU tracks its large pages:
     * entries are per 4 KiB page, so fencing one address of a superpage must drop them all.
     */
    private boolean superpages;
    private long superBase, superMask;
    /**
     * The read and write entries filled for U pages (reachable from S-mode only while
     * mstatus.SUM is set), up to the array's length; more than that and they are not told apart.
     */
    private final EntryLog userPages = new EntryLog(64);
    /**
     * The read and write entries filled since the last flush, up to the array's length: a flush
     * clears just those, so that it costs what was used rather than the TLB's size. A system VM
     * flushes on every satp write and mret, and its U-mode set is large so that a user program's
     * hot pages do not share entries (see Hart.SYSTEM_USER_TLB_SIZE).
     */
    private final EntryLog filled = new EntryLog(512);

    /**
     * Stream slots of translated code ({@code jit.Memory}), at the start of {@link #table}: a cache
     * of one page per load or store instruction of a loop, two longs each (page address, host
     * address minus it, as an entry here); read slots first, then write slots. A slot is filled
     * by its hart only, from an entry of this set, and holds no page: its page is kept alive by
     * that entry, which is why the hart clears every slot before it puts another page in any
     * entry ({@link #fillRead}, {@link #fillWrite}). Every drop of entries here clears the slots
     * too (tags only, so from any thread).
     */
    static final int STREAM_SLOTS = 64;
    /** A slot's tag when empty: no page address masked for an access equals it (bit 11 is set). */
    static final long NO_STREAM = 0x800;

    /** Empties the read slots, the write slots, or both. */
    void clearStreams(boolean reads, boolean writes) {
        for (int k = reads ? 0 : STREAM_SLOTS; k < (writes ? 2 * STREAM_SLOTS : STREAM_SLOTS); k++) {
            TlbTable.set(table, 2 * k, NO_STREAM);
        }
    }

    /** Before the hart replaces {@code old} in an entry: no slot may keep an address of it. */
    private void evicting(Page old, Page page) {
        if (old == null || old == page || TlbTable.get(table, TlbTable.FILLED) == 0) return;
        clearStreams(true, true);
        TlbTable.set(table, TlbTable.FILLED, 0);
    }

    TlbSet(int entries, int fetchEntries) {
        table = TlbTable.create(entries);
        readPages = new Page[entries];
        writePages = new Page[entries];
        fetchTag = new long[fetchEntries];
        fetchPages = new Page[fetchEntries];
        // The table's entries start empty; flush() empties the slots and the fetch entries.
        flush();
    }

    void flush() {
        clearStreams(true, true);
        superpages = false;
        userPages.reset();
        if (!filled.overflowed()) {
            for (int k = 0; k < filled.size(); k++) clear(filled.get(k));
        } else {
            for (int i = 0; i < readPages.length; i++) clear(i);
        }
        filled.reset();
        Arrays.fill(fetchTag, Hart.NO_PAGE);
        Arrays.fill(fetchPages, null);
        if (jumps != null) jumps.clear();
    }

    /** Notes that an entry for {@code va} came from a superpage whose offset bits are {@code span}. */
    void noteSuperpage(long va, long span) {
        long base = va & ~span;
        if (!superpages) {
            superpages = true;
            superBase = base;
            superMask = ~span;
            return;
        }
        // Widen the range until it covers both: fewer fixed bits, from the bottom up.
        long mask = superMask & ~span;
        while (((superBase ^ base) & mask) != 0) mask <<= 1;
        superMask = mask;
        superBase &= mask;
    }

    /**
     * Drops the entries of the page holding {@code va} ({@code sfence.vma} with an address), or
     * every entry when {@code va} lies in the range of superpage entries.
     */
    void flushPage(long va) {
        clearStreams(true, true);
        if (superpages && (va & superMask) == superBase) {
            flush();
            return;
        }
        long vpn = va >>> Page.SHIFT, tag = vpn << Page.SHIFT;
        int i = (int) vpn & (readPages.length - 1);
        if (readTag(i) == tag) clearRead(i);
        if (writeTag(i) == tag) clearWrite(i);
        int f = (int) vpn & (fetchTag.length - 1);
        if (fetchTag[f] == vpn) {
            fetchTag[f] = Hart.NO_PAGE;
            fetchPages[f] = null;
        }
        if (jumps != null) jumps.clear();
    }

    /** Notes that read or write entry {@code i} was filled (for {@link #flush}). */
    void noteFilled(int i) {
        filled.add(i);
    }

    private void clear(int i) {
        clearRead(i);
        clearWrite(i);
    }

    /** The tag of read entry {@code i}. */
    long readTag(int i) {
        return TlbTable.get(table, TlbTable.entry(i, TlbTable.READ));
    }

    /** The tag of write entry {@code i}. */
    long writeTag(int i) {
        return TlbTable.get(table, TlbTable.entry(i, TlbTable.WRITE));
    }

    /** The addend of read entry {@code i}: its page's host address minus its tag. */
    long readAddend(int i) {
        return TlbTable.get(table, TlbTable.entry(i, TlbTable.READ) + 1);
    }

    /** The addend of write entry {@code i}. */
    long writeAddend(int i) {
        return TlbTable.get(table, TlbTable.entry(i, TlbTable.WRITE) + 1);
    }

    private void clearRead(int i) {
        TlbTable.set(table, TlbTable.entry(i, TlbTable.READ), Hart.NO_PAGE);
    }

    private void clearWrite(int i) {
        TlbTable.set(table, TlbTable.entry(i, TlbTable.WRITE), Hart.NO_PAGE);
    }

    /** Fills the tag and addend at {@code half} of entry {@code i}: the addend first, so that a hit on the tag finds it. */
    private void fill(int i, int half, long tag, Page page) {
        int at = TlbTable.entry(i, half);
        TlbTable.set(table, at + 1, page.address - tag);
        TlbTable.set(table, at, tag);
    }

    /** Fills read entry {@code i} with the page at virtual page address {@code tag}. */
    void fillRead(int i, long tag, Page page) {
        evicting(readPages[i], page);
        readPages[i] = page;
        fill(i, TlbTable.READ, tag, page);
    }

    /** Fills write entry {@code i} with the page at virtual page address {@code tag}. */
    void fillWrite(int i, long tag, Page page) {
        evicting(writePages[i], page);
        writePages[i] = page;
        fill(i, TlbTable.WRITE, tag, page);
    }

    /** Notes that read or write entry {@code i} was filled for a U page. */
    void noteUserPage(int i) {
        userPages.add(i);
    }

    /**
     * Drops the read and write entries filled for U pages (mstatus.SUM was cleared), or every
     * entry when there were more of them than were noted.
     */
    void dropUserPages() {
        clearStreams(true, true);
        if (userPages.overflowed()) {
            flush();
            return;
        }
        for (int k = 0; k < userPages.size(); k++) clear(userPages.get(k));
        userPages.reset();
    }

    /** Drops the write entries of a page that now holds decoded code, so stores to it take the slow path. */
    void dropWritesTo(Page page) {
        clearStreams(false, true);
        if (!filled.overflowed()) {
            for (int k = 0; k < filled.size(); k++) dropWriteTo(filled.get(k), page);
        } else {
            for (int i = 0; i < writePages.length; i++) dropWriteTo(i, page);
        }
    }

    private void dropWriteTo(int i, Page page) {
        if (writePages[i] == page) clearWrite(i);
    }

    /** Points the read entry of virtual page {@code vpn}, if there is one, at the page that now backs it. */
    void updateRead(long vpn, Page page) {
        int i = (int) vpn & (readPages.length - 1);
        long tag = vpn << Page.SHIFT;
        if (readTag(i) == tag) fillRead(i, tag, page);
    }

    /**
     * Entry indices noted since the last reset, up to a capacity; past it the log only knows that
     * there were more (its user then treats every entry as noted).
     */
    private static final class EntryLog {
        private final int[] indices;
        private int count;

        EntryLog(int capacity) {
            indices = new int[capacity];
        }

        void add(int i) {
            if (count < indices.length) indices[count] = i;
            // One past the capacity means "more than were noted"; it need not count further.
            if (count <= indices.length) count++;
        }

        boolean overflowed() {
            return count > indices.length;
        }

        /** How many were noted (while not overflowed). */
        int size() {
            return count;
        }

        int get(int k) {
            return indices[k];
        }

        void reset() {
            count = 0;
        }
    }
}
