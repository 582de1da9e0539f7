package dev.rivet.dev.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * The qcow2 header (QEMU docs/interop/qcow2.txt, "Header" and "Header extensions"), versions 2
 * and 3, big-endian. Parses what Rivet needs, refuses incompatible features it does not
 * implement, and writes new version 3 headers for the images Rivet creates.
 */
final class Qcow2Header {
    static final int MAGIC = 0x514649fb; // "QFI\xfb"
    static final int EXT_END = 0, EXT_BACKING_FORMAT = 0xe2792aca;
    /** Incompatible feature bits: dirty, corrupt (the others are refused). */
    static final long INCOMPAT_DIRTY = 1, INCOMPAT_CORRUPT = 2;
    static final int V3_HEADER_LENGTH = 112;

    int version;
    long backingFileOffset;
    int backingFileSize;
    int clusterBits;
    long size;
    int l1Size;
    long l1TableOffset;
    long refcountTableOffset;
    int refcountTableClusters;
    int nbSnapshots;
    long incompatible, compatible, autoclear;
    int refcountOrder = 4;
    int headerLength = 72;
    String backingFile;
    String backingFormat;

    static Qcow2Header read(FileChannel f) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        f.read(b, 0);
        b.flip();
        if (b.limit() < 72 || b.getInt(0) != MAGIC) throw new IOException("not a qcow2 image");
        Qcow2Header h = new Qcow2Header();
        h.version = b.getInt(4);
        if (h.version != 2 && h.version != 3) throw new IOException("qcow2 version " + h.version + " is not supported");
        h.backingFileOffset = b.getLong(8);
        h.backingFileSize = b.getInt(16);
        h.clusterBits = b.getInt(20);
        h.size = b.getLong(24);
        if (b.getInt(32) != 0) throw new IOException("encrypted qcow2 images are not supported");
        h.l1Size = b.getInt(36);
        h.l1TableOffset = b.getLong(40);
        h.refcountTableOffset = b.getLong(48);
        h.refcountTableClusters = b.getInt(56);
        h.nbSnapshots = b.getInt(60);
        if (h.clusterBits < 9 || h.clusterBits > 21) throw new IOException("bad qcow2 cluster size 2^" + h.clusterBits);
        if (h.version == 3) {
            h.incompatible = b.getLong(72);
            h.compatible = b.getLong(80);
            h.autoclear = b.getLong(88);
            h.refcountOrder = b.getInt(96);
            h.headerLength = b.getInt(100);
            if (h.headerLength < 104 || h.headerLength > 4096) throw new IOException("bad qcow2 header length");
            if ((h.incompatible & ~(INCOMPAT_DIRTY | INCOMPAT_CORRUPT)) != 0) {
                throw new IOException("qcow2 image uses unsupported features (incompatible bits 0x"
                        + Long.toHexString(h.incompatible) + ": external data, zstd or extended L2)");
            }
            if (h.refcountOrder < 3 || h.refcountOrder > 6) {
                throw new IOException("qcow2 refcount width of " + (1 << h.refcountOrder) + " bits is not supported");
            }
            h.readExtensions(b);
        }
        if (h.backingFileOffset != 0) {
            if (h.backingFileSize <= 0 || h.backingFileSize > 1023) throw new IOException("bad qcow2 backing file name");
            ByteBuffer n = ByteBuffer.allocate(h.backingFileSize);
            f.read(n, h.backingFileOffset);
            h.backingFile = new String(n.array(), 0, n.position(), StandardCharsets.UTF_8);
        }
        return h;
    }

    private void readExtensions(ByteBuffer b) throws IOException {
        int at = headerLength;
        while (at + 8 <= b.limit()) {
            int type = b.getInt(at);
            int len = b.getInt(at + 4);
            if (type == EXT_END) return;
            if (len < 0 || at + 8 + len > b.limit()) throw new IOException("bad qcow2 header extension");
            if (type == EXT_BACKING_FORMAT) {
                backingFormat = new String(b.array(), at + 8, len, StandardCharsets.UTF_8);
            }
            at += 8 + (len + 7 & ~7);
        }
    }

    int clusterSize() {
        return 1 << clusterBits;
    }

    /**
     * A new version 3 header in {@code clusterSize} bytes, with the backing file format extension
     * and the backing file name after the extensions.
     */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(clusterSize());
        b.putInt(0, MAGIC).putInt(4, 3);
        b.putInt(20, clusterBits).putLong(24, size);
        b.putInt(36, l1Size).putLong(40, l1TableOffset);
        b.putLong(48, refcountTableOffset).putInt(56, refcountTableClusters);
        b.putLong(72, incompatible).putLong(80, compatible).putLong(88, autoclear);
        b.putInt(96, refcountOrder).putInt(100, V3_HEADER_LENGTH);
        int at = V3_HEADER_LENGTH;
        if (backingFile != null) {
            if (backingFormat != null) {
                byte[] fmt = backingFormat.getBytes(StandardCharsets.UTF_8);
                b.putInt(at, EXT_BACKING_FORMAT).putInt(at + 4, fmt.length).put(at + 8, fmt);
                at += 8 + (fmt.length + 7 & ~7);
            }
            b.putInt(at, EXT_END).putInt(at + 4, 0);
            at += 8;
            byte[] name = backingFile.getBytes(StandardCharsets.UTF_8);
            b.putLong(8, at).putInt(16, name.length).put(at, name);
        } else {
            b.putInt(at, EXT_END).putInt(at + 4, 0);
        }
        return b.array();
    }
}
