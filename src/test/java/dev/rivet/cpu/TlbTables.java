package dev.rivet.cpu;

import dev.rivet.mem.Page;

/**
 * A TLB set's table for tests of translated code's accesses (which cannot see {@link TlbSet}),
 * filled through the set's own {@link TlbSet#fillRead} and {@link TlbSet#fillWrite}.
 */
public final class TlbTables {
    private final TlbSet set;

    /** A set of {@code entries} entries with every entry and stream slot empty. */
    public TlbTables(int entries) {
        set = new TlbSet(entries, 64);
    }

    /** The set's table, as translated code reads it. */
    public byte[] table() {
        return set.table;
    }

    /** Fills the read entry for the page at page address {@code va} with {@code page}. */
    public void fillRead(long va, Page page) {
        set.fillRead(index(va), va, page);
    }

    /** Fills the write entry for the page at page address {@code va} with {@code page}. */
    public void fillWrite(long va, Page page) {
        set.fillWrite(index(va), va, page);
    }

    private int index(long va) {
        return (int) (va >>> Page.SHIFT) & (set.readPages.length - 1);
    }
}
