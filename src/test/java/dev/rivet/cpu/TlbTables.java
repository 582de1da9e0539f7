package dev.rivet.cpu;

import dev.rivet.mem.Page;

/** TLB tables for tests of translated code's accesses, filled as {@link TlbSet} fills them. */
public final class TlbTables {
    private TlbTables() {}

    /** A table of {@code entries} entries with every entry and stream slot empty. */
    public static byte[] empty(int entries) {
        return new TlbSet(entries, 64).table;
    }

    /** Fills the read half of the entry for page address {@code va} with {@code page}. */
    public static void fillRead(byte[] table, long va, Page page) {
        fill(table, va, TlbTable.READ, page);
    }

    /** Fills the write half of the entry for page address {@code va} with {@code page}. */
    public static void fillWrite(byte[] table, long va, Page page) {
        fill(table, va, TlbTable.WRITE, page);
    }

    private static void fill(byte[] table, long va, int half, Page page) {
        int entries = (int) (TlbTable.get(table, TlbTable.MASK) / 32 + 1);
        int at = TlbTable.entry((int) (va >>> 12) & (entries - 1), half);
        TlbTable.set(table, at + 1, page.address - va);
        TlbTable.set(table, at, va);
    }
}
