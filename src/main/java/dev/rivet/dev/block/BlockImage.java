package dev.rivet.dev.block;

import java.io.Closeable;
import java.io.IOException;

/**
 * A disk image as a virtual disk sees it: a fixed number of bytes that can be read, written,
 * flushed to stable storage and discarded. Offsets and lengths are checked by the caller to lie
 * inside {@link #size()}. Implementations need not be thread-safe: the disk serializes requests.
 */
public interface BlockImage extends Closeable {
    /** Virtual size in bytes. */
    long size();

    /** Whether writes are refused. */
    boolean readOnly();

    /** The format's name ("raw", "qcow2"), for messages. */
    String format();

    /** Fills {@code buf[off..off+len)} from the disk at {@code offset}. */
    void read(long offset, byte[] buf, int off, int len) throws IOException;

    /** Writes {@code buf[off..off+len)} to the disk at {@code offset}. */
    void write(long offset, byte[] buf, int off, int len) throws IOException;

    /** Makes everything written so far durable (FileChannel.force). */
    void flush() throws IOException;

    /**
     * The range no longer holds data the guest needs: free its space where the format allows. It
     * then reads as zeros (virtio-blk DISCARD leaves the contents undefined; zeros are simplest).
     */
    void discard(long offset, long length) throws IOException;

    /** Makes the range read as zeros; {@code unmap} allows freeing its space as well. */
    default void writeZeroes(long offset, long length, boolean unmap) throws IOException {
        if (unmap) {
            discard(offset, length);
            return;
        }
        byte[] zeros = new byte[(int) Math.min(length, 1 << 20)];
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(zeros.length, length - done);
            write(offset + done, zeros, 0, n);
            done += n;
        }
    }

    /** Granularity in bytes at which {@link #discard} actually frees space. */
    default int discardGranularity() {
        return 4096;
    }
}
