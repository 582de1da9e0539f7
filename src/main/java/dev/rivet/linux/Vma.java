package dev.rivet.linux;

import java.nio.channels.FileChannel;

/**
 * One mapped range of a process's address space, as in /proc/PID/maps: page-aligned
 * {@code [start, end)}, its protection, whether it is shared, and the file behind it, if any.
 */
final class Vma {
    static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;

    final long start;
    final long end;
    final int prot;
    /** MAP_SHARED: writes are seen by every process holding the mapping, and reach the file. */
    final boolean shared;
    final FileChannel file;
    /** File offset of {@link #start}. */
    final long fileOffset;
    /** Identity of the host file of a shared file mapping (its pages live in {@link FilePages}); else null. */
    final Object fileKey;
    final String name;

    Vma(long start, long end, int prot, boolean shared, FileChannel file, long fileOffset, Object fileKey, String name) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.shared = shared;
        this.file = file;
        this.fileOffset = fileOffset;
        this.fileKey = fileKey;
        this.name = name;
    }

    /** The part of this mapping within {@code [from, to)}, keeping its file offset in step. */
    Vma slice(long from, long to) {
        long s = Math.max(from, start), e = Math.min(to, end);
        return new Vma(s, e, prot, shared, file, fileOffset + (s - start), fileKey, name);
    }

    Vma withProt(int newProt) {
        return new Vma(start, end, newProt, shared, file, fileOffset, fileKey, name);
    }

    Vma movedTo(long newStart, long newEnd) {
        return new Vma(newStart, newEnd, prot, shared, file, fileOffset, fileKey, name);
    }

    /** Offset in the file of the page at {@code pageAddr}. */
    long fileOffsetOf(long pageAddr) {
        return fileOffset + (pageAddr - start);
    }

    boolean allows(int wanted) {
        return (prot & wanted) == wanted;
    }
}
