package dev.rivet.dev.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A qcow2 image (QEMU docs/interop/qcow2.txt), versions 2 and 3, read and write: guest clusters
 * map through the L1 table and L2 tables to host clusters; unallocated clusters read from the
 * backing file (or as zeros), zero clusters as zeros, compressed (zlib) clusters are inflated.
 * Writes allocate clusters (copying on write from the backing file, a compressed cluster or a
 * cluster shared with a snapshot, which lacks the COPIED flag), and keep refcounts and COPIED
 * flags exact, so {@code qemu-img check} finds nothing to fix. Discard frees whole clusters (they
 * become zero clusters, hiding the backing file). Metadata is written through immediately;
 * {@link #flush} forces it and the data to disk.
 */
public final class Qcow2Image implements BlockImage {
    static final long OFFSET_MASK = 0x00ff_ffff_ffff_fe00L; // bits 9-55
    static final long COPIED = 1L << 63, COMPRESSED = 1L << 62, ZERO = 1;
    private static final int CACHED_L2 = 64;

    private final Path path;
    private final FileChannel file;
    private final Qcow2Header header;
    private final boolean readOnly;
    private final BlockImage backing;
    private final int clusterBits, clusterSize, l2Bits;
    private final long[] l1;
    private final Qcow2Refcounts refcounts;
    private final Map<Long, long[]> l2Cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> e) {
            return size() > CACHED_L2;
        }
    };
    private long inflatedEntry = -1;
    private final byte[] inflated;

    private Qcow2Image(Path path, boolean readOnly) throws IOException {
        this.path = path;
        this.readOnly = readOnly;
        this.file = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            header = Qcow2Header.read(file);
            if (!readOnly && (header.incompatible & (Qcow2Header.INCOMPAT_DIRTY | Qcow2Header.INCOMPAT_CORRUPT)) != 0) {
                throw new IOException(path + " is marked dirty or corrupt: repair it with 'qemu-img check -r all' first");
            }
            clusterBits = header.clusterBits;
            clusterSize = header.clusterSize();
            l2Bits = clusterBits - 3;
            long needed = (header.size + ((long) clusterSize << l2Bits) - 1) / ((long) clusterSize << l2Bits);
            if (header.l1Size < needed || header.l1Size > (1 << 25)) throw new IOException("bad qcow2 L1 table size");
            ByteBuffer b = ByteBuffer.allocate(header.l1Size * 8);
            file.read(b, header.l1TableOffset);
            l1 = new long[header.l1Size];
            for (int i = 0; i < l1.length; i++) l1[i] = b.getLong(i * 8);
            refcounts = new Qcow2Refcounts(file, path, header, this::tableMoved);
            inflated = new byte[clusterSize];
            backing = header.backingFile == null ? null : openBacking();
            if (!readOnly && header.version == 3 && header.autoclear != 0) {
                // Autoclear bits we do not maintain (bitmaps, raw external data) must be cleared.
                file.write(ByteBuffer.allocate(8), 88);
            }
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Opens an existing qcow2 image; its backing file (if any) is opened read-only. */
    public static Qcow2Image open(Path path, boolean readOnly) throws IOException {
        return new Qcow2Image(path, readOnly);
    }

    /**
     * Creates a version 3 image of {@code size} bytes with 64 KiB clusters and 16-bit refcounts,
     * laid out as qemu-img does (header, refcount table, refcount block, L1 table), optionally on
     * top of {@code backingFile} (stored as given, so relative names are relative to the image).
     */
    public static Qcow2Image create(Path path, long size, String backingFile, String backingFormat) throws IOException {
        Qcow2Header h = new Qcow2Header();
        h.version = 3;
        h.clusterBits = 16;
        h.size = size;
        long perL2 = 1L << (16 + 13);
        h.l1Size = (int) Math.max(1, (size + perL2 - 1) / perL2);
        int l1Clusters = (h.l1Size * 8 + 0xffff) >>> 16;
        h.refcountTableOffset = 1L << 16;
        h.refcountTableClusters = 1;
        h.l1TableOffset = 3L << 16;
        h.backingFile = backingFile;
        h.backingFormat = backingFormat;
        int clusters = 3 + l1Clusters;
        ByteBuffer img = ByteBuffer.allocate(clusters << 16);
        img.put(0, h.encode());
        img.putLong(1 << 16, 2L << 16);                              // refcount table -> block at cluster 2
        for (int c = 0; c < clusters; c++) img.putShort((2 << 16) + 2 * c, (short) 1); // all in use once
        try (FileChannel f = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            f.write(img, 0);
            f.force(true);
        }
        return open(path, false);
    }

    private BlockImage openBacking() throws IOException {
        Path p = Path.of(header.backingFile);
        if (!p.isAbsolute()) p = path.toAbsolutePath().getParent().resolve(p);
        String format = header.backingFormat != null ? header.backingFormat : BlockImages.probe(p);
        return BlockImages.open(p, format, true);
    }

    private void tableMoved(long offset, int clusters) throws IOException {
        file.write(ByteBuffer.allocate(12).putLong(0, offset).putInt(8, clusters), 48);
    }

    @Override
    public long size() {
        return header.size;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public String format() {
        return "qcow2";
    }

    @Override
    public int discardGranularity() {
        return clusterSize;
    }

    // ---------------------------------------------------------------- mapping

    private long l2Entry(long vc) throws IOException {
        long[] t = l2TableOf(vc);
        return t == null ? 0 : t[(int) (vc & ((1 << l2Bits) - 1))];
    }

    private long[] l2TableOf(long vc) throws IOException {
        int i = (int) (vc >>> l2Bits);
        long off = l1[i] & OFFSET_MASK;
        return off == 0 ? null : l2Table(off);
    }

    private long[] l2Table(long off) throws IOException {
        long[] t = l2Cache.get(off);
        if (t == null) {
            ByteBuffer b = ByteBuffer.allocate(clusterSize);
            file.read(b, off);
            t = new long[clusterSize / 8];
            for (int i = 0; i < t.length; i++) t[i] = b.getLong(i * 8);
            l2Cache.put(off, t);
        }
        return t;
    }

    /** Sets the L2 entry of guest cluster {@code vc}, first making its L2 table exist and be ours alone. */
    private void setL2Entry(long vc, long entry) throws IOException {
        int i = (int) (vc >>> l2Bits);
        long l1e = l1[i];
        long off = l1e & OFFSET_MASK;
        if (off == 0 || (l1e & COPIED) == 0) {
            long fresh = refcounts.allocate();
            long[] t = off == 0 ? new long[clusterSize / 8] : l2Table(off).clone();
            ByteBuffer b = ByteBuffer.allocate(clusterSize);
            for (int k = 0; k < t.length; k++) b.putLong(k * 8, t[k]);
            file.write(b, fresh);
            l2Cache.put(fresh, t);
            l1[i] = fresh | COPIED;
            file.write(ByteBuffer.allocate(8).putLong(0, l1[i]), header.l1TableOffset + 8L * i);
            if (off != 0) refcounts.decrement(off); // the snapshot keeps the old table
            off = fresh;
        }
        int k = (int) (vc & ((1 << l2Bits) - 1));
        l2Table(off)[k] = entry;
        file.write(ByteBuffer.allocate(8).putLong(0, entry), off + 8L * k);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public void read(long offset, byte[] buf, int off, int len) throws IOException {
        while (len > 0) {
            int in = (int) (offset & (clusterSize - 1));
            int n = Math.min(len, clusterSize - in);
            readCluster(offset >>> clusterBits, in, buf, off, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    /** Bytes {@code [in, in + n)} of guest cluster {@code vc}, wherever they are. */
    private void readCluster(long vc, int in, byte[] buf, int off, int n) throws IOException {
        long entry = l2Entry(vc);
        long host = entry & OFFSET_MASK;
        if ((entry & COMPRESSED) != 0) {
            inflate(entry);
            System.arraycopy(inflated, in, buf, off, n);
        } else if (isZero(entry)) {
            Arrays.fill(buf, off, off + n, (byte) 0);
        } else if (host != 0) {
            readFile(host + in, buf, off, n);
        } else if (backing != null) {
            long pos = (vc << clusterBits) + in;
            int k = (int) Math.max(0, Math.min(n, backing.size() - pos));
            if (k > 0) backing.read(pos, buf, off, k);
            Arrays.fill(buf, off + k, off + n, (byte) 0);
        } else {
            Arrays.fill(buf, off, off + n, (byte) 0);
        }
    }

    /** Zero flag of a standard cluster (version 3 only: bit 0 is reserved in version 2; part of a compressed offset). */
    private boolean isZero(long entry) {
        return header.version >= 3 && (entry & COMPRESSED) == 0 && (entry & ZERO) != 0;
    }

    private void readFile(long pos, byte[] buf, int off, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, off, n);
        while (b.hasRemaining()) {
            if (file.read(b, pos + b.position() - off) < 0) {
                Arrays.fill(buf, b.position(), off + n, (byte) 0); // past the end of the file: zeros
                return;
            }
        }
    }

    /** Host byte range of a compressed cluster descriptor: {start, length} (qcow2.txt, "Compressed Clusters Descriptor"). */
    private long[] compressedRange(long entry) {
        int x = 62 - (clusterBits - 8);
        long hostOff = entry & ((1L << x) - 1);
        long sectors = ((entry >>> x) & ((1L << (clusterBits - 8)) - 1)) + 1;
        return new long[] {hostOff, sectors * 512 - (hostOff & 511)};
    }

    private void inflate(long entry) throws IOException {
        if (entry == inflatedEntry) return;
        long[] r = compressedRange(entry);
        byte[] packed = new byte[(int) Math.min(r[1], 2L * clusterSize + 512)];
        readFile(r[0], packed, 0, packed.length);
        Inflater z = new Inflater(true);
        try {
            z.setInput(packed);
            int got = z.inflate(inflated);
            if (got != clusterSize) throw new IOException("corrupt compressed qcow2 cluster");
        } catch (DataFormatException e) {
            throw new IOException("corrupt compressed qcow2 cluster: " + e.getMessage());
        } finally {
            z.end();
        }
        inflatedEntry = entry;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void write(long offset, byte[] buf, int off, int len) throws IOException {
        if (readOnly) throw new IOException("read-only image");
        while (len > 0) {
            int in = (int) (offset & (clusterSize - 1));
            int n = Math.min(len, clusterSize - in);
            writeCluster(offset >>> clusterBits, in, buf, off, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    private void writeCluster(long vc, int in, byte[] buf, int off, int n) throws IOException {
        long entry = l2Entry(vc);
        long host = entry & OFFSET_MASK;
        boolean ours = (entry & COMPRESSED) == 0 && host != 0 && (entry & COPIED) != 0;
        if (ours && !isZero(entry)) {
            writeFile(host + in, buf, off, n);
            return;
        }
        // Copy on write: the whole cluster, from wherever its contents are now.
        byte[] cluster = new byte[clusterSize];
        if (n < clusterSize) readCluster(vc, 0, cluster, 0, clusterSize);
        System.arraycopy(buf, off, cluster, in, n);
        long target = ours ? host : refcounts.allocate();
        writeFile(target, cluster, 0, clusterSize);
        setL2Entry(vc, target | COPIED);
        if (!ours) release(entry);
        if (entry == inflatedEntry) inflatedEntry = -1;
    }

    private void writeFile(long pos, byte[] buf, int off, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, off, n);
        while (b.hasRemaining()) file.write(b, pos + b.position() - off);
    }

    /** Drops the references an L2 entry held. */
    private void release(long entry) throws IOException {
        if ((entry & COMPRESSED) != 0) {
            long[] r = compressedRange(entry);
            long start = r[0] & ~511L;
            long last = r[0] + r[1] - 1;
            for (long c = start >>> clusterBits; c <= last >>> clusterBits; c++) refcounts.decrement(c << clusterBits);
            return;
        }
        long host = entry & OFFSET_MASK;
        if (host != 0) refcounts.decrement(host);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        if (readOnly) throw new IOException("read-only image");
        long endAt = offset + length;
        while (offset < endAt) {
            int in = (int) (offset & (clusterSize - 1));
            long vc = offset >>> clusterBits;
            int n = (int) Math.min(endAt - offset, clusterSize - in);
            boolean whole = in == 0 && (n == clusterSize || offset + n == header.size);
            if (!whole || header.version < 3) {
                long e = l2Entry(vc);
                if (!(e == 0 && backing == null) && !isZero(e)) writeZeros(offset, n);
            } else {
                long entry = l2Entry(vc);
                // A zero cluster hides the backing file; without one, unallocated already reads as zeros.
                long replacement = backing != null ? ZERO : 0;
                if (entry != replacement && !(entry == 0 && backing == null)) {
                    setL2Entry(vc, replacement);
                    release(entry);
                    if (entry == inflatedEntry) inflatedEntry = -1;
                }
            }
            offset += n;
        }
    }

    private void writeZeros(long offset, int n) throws IOException {
        write(offset, new byte[n], 0, n);
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) file.force(true);
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            if (backing != null) backing.close();
        }
    }
}
