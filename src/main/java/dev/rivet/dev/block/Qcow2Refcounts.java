package dev.rivet.dev.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The refcounts of a qcow2 image (qcow2.txt, "Host cluster management"): a refcount table of
 * refcount block offsets, each block holding one 2^order-bit big-endian count per host cluster.
 * Every change is written through to the file at once, so the image stays consistent for
 * {@code qemu-img check} at any point. Allocation reuses free clusters below the end of the
 * image, lowest first, and otherwise appends; new refcount blocks and a grown refcount table go
 * at the end. Freed clusters are punched out of the host file where possible.
 */
final class Qcow2Refcounts {
    private static final long OFFSET_MASK = ~0x1ffL;
    private static final int CACHED_BLOCKS = 32;

    /** Where the header keeps the refcount table's offset and size in clusters. */
    interface TableMoved {
        void moved(long offset, int clusters) throws IOException;
    }

    private final FileChannel file;
    private final Path path;
    private final int clusterBits, clusterSize, bytesPer;
    private final long perBlock;
    private final TableMoved onMove;
    private long tableOffset;
    private long[] table;
    private final Map<Long, byte[]> blocks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) {
            return size() > CACHED_BLOCKS;
        }
    };
    /** First cluster past everything in the image: where appends go. */
    private long end;
    /** Every cluster below this one is in use. */
    private long hint;

    Qcow2Refcounts(FileChannel file, Path path, Qcow2Header h, TableMoved onMove) throws IOException {
        this.file = file;
        this.path = path;
        this.clusterBits = h.clusterBits;
        this.clusterSize = h.clusterSize();
        this.bytesPer = (1 << h.refcountOrder) / 8;
        this.perBlock = clusterSize / bytesPer;
        this.onMove = onMove;
        this.tableOffset = h.refcountTableOffset;
        long entries = (long) h.refcountTableClusters * clusterSize / 8;
        if (entries <= 0 || entries > (1 << 24)) throw new IOException("bad qcow2 refcount table size");
        ByteBuffer b = ByteBuffer.allocate((int) entries * 8);
        file.read(b, tableOffset);
        table = new long[(int) entries];
        for (int i = 0; i < table.length; i++) table[i] = b.getLong(i * 8) & OFFSET_MASK;
        this.end = (file.size() + clusterSize - 1) >>> clusterBits;
        for (long off : table) end = Math.max(end, (off >>> clusterBits) + 1);
    }

    int clusterSize() {
        return clusterSize;
    }

    /** The refcount of host cluster {@code c}. */
    long get(long c) throws IOException {
        int t = (int) (c / perBlock);
        if (t >= table.length || table[t] == 0) return 0;
        byte[] block = block(table[t]);
        int at = (int) (c % perBlock) * bytesPer;
        long v = 0;
        for (int i = 0; i < bytesPer; i++) v = v << 8 | block[at + i] & 0xff;
        return v;
    }

    /** Sets the refcount of host cluster {@code c}, making a refcount block (or table) if needed. */
    void set(long c, long value) throws IOException {
        int t = (int) Math.min(c / perBlock, Integer.MAX_VALUE);
        if (t >= table.length) grow(t);
        if (table[t] == 0) newBlock(t);
        byte[] block = block(table[t]);
        int at = (int) (c % perBlock) * bytesPer;
        for (int i = bytesPer - 1; i >= 0; i--, value >>>= 8) block[at + i] = (byte) value;
        file.write(ByteBuffer.wrap(block, at, bytesPer), table[t] + at);
        end = Math.max(end, c + 1);
    }

    /** Allocates one host cluster (refcount 1) and returns its byte offset. */
    long allocate() throws IOException {
        long c = hint;
        while (c < end && get(c) != 0) c++;
        if (c == end) end++;
        hint = c + 1;
        set(c, 1);
        return c << clusterBits;
    }

    /** Adds one reference to the host cluster at byte offset {@code off}. */
    void increment(long off) throws IOException {
        long c = off >>> clusterBits;
        set(c, get(c) + 1);
    }

    /** Drops one reference to the host cluster at {@code off}; at zero it is free and punched out. */
    void decrement(long off) throws IOException {
        long c = off >>> clusterBits;
        long v = get(c);
        if (v == 0) throw new IOException("qcow2 refcount of cluster " + c + " would go below zero");
        set(c, v - 1);
        if (v == 1) {
            hint = Math.min(hint, c);
            HolePunch.punch(path, c << clusterBits, clusterSize);
        }
    }

    private byte[] block(long off) throws IOException {
        byte[] b = blocks.get(off);
        if (b == null) {
            b = new byte[clusterSize];
            file.read(ByteBuffer.wrap(b), off);
            blocks.put(off, b);
        }
        return b;
    }

    /** A zeroed refcount block for table entry {@code t}, appended, which counts itself where it can. */
    private void newBlock(int t) throws IOException {
        long c = end++;
        long off = c << clusterBits;
        byte[] zero = new byte[clusterSize];
        file.write(ByteBuffer.wrap(zero), off);
        blocks.put(off, zero);
        table[t] = off;
        file.write(ByteBuffer.allocate(8).putLong(0, off), tableOffset + 8L * t);
        set(c, 1);
    }

    /** Moves the refcount table to the end of the image with room for entry {@code needed} and more. */
    private void grow(int needed) throws IOException {
        long entries = Math.max((long) needed + 1, table.length * 2L) + 64;
        int clusters = (int) ((entries * 8 + clusterSize - 1) >>> clusterBits);
        long[] grown = java.util.Arrays.copyOf(table, clusters * clusterSize / 8);
        long oldOffset = tableOffset;
        int oldClusters = (int) ((table.length * 8L) >>> clusterBits);
        long first = end;
        end += clusters;
        ByteBuffer b = ByteBuffer.allocate(clusters * clusterSize);
        for (int i = 0; i < grown.length; i++) b.putLong(i * 8, grown[i]);
        file.write(b, first << clusterBits);
        table = grown;
        tableOffset = first << clusterBits;
        onMove.moved(tableOffset, clusters);
        for (int i = 0; i < clusters; i++) set(first + i, 1);
        for (int i = 0; i < oldClusters; i++) decrement(oldOffset + ((long) i << clusterBits));
    }
}
