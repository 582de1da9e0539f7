package dev.rivet.linux;

import dev.rivet.linux.fs.HostErrors;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host file opened for the guest: a {@link FileChannel} over a {@link RandomAccessFile}.
 *
 * <p>Why not the JDK's own FileChannel: its operations are interruptible, and an interrupt closes
 * the channel for good. Guest threads are interrupted whenever a signal arrives (a child's
 * SIGCHLD, a timer), so a file could vanish under every descriptor and mapping sharing it.
 * RandomAccessFile I/O ignores interrupts; regular-file I/O is short, so nothing is lost. The
 * price is that it cannot open with O_NOFOLLOW (see {@link #open}).
 *
 * <p>Reference counted by the open files sharing it. Once it has been handed to mmap it is never
 * closed explicitly: mappings outlive descriptors, and the host descriptor is closed by the
 * RandomAccessFile's cleaner when nothing refers to it any more.
 */
final class HostChannel extends FileChannel {
    private final RandomAccessFile file;
    private final boolean writable;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile boolean mapped;
    private long position;

    private HostChannel(RandomAccessFile file, boolean writable) {
        this.file = file;
        this.writable = writable;
    }

    /**
     * Opens an existing host file (the caller has checked it is not a symlink, see
     * {@link dev.rivet.linux.fs.Resolved}).
     *
     * @throws IOException as the host reports it; map with {@link #errno}
     */
    static HostChannel open(Path host, boolean write) throws IOException {
        RandomAccessFile file = new RandomAccessFile(host.toFile(), write ? "rw" : "r");
        // RandomAccessFile has no O_NOFOLLOW. A final link that appeared since lookup is refused
        // here; one swapped in and out again in between is the check-then-use race that
        // GuestFileSystem documents for every component.
        if (Files.isSymbolicLink(host)) {
            file.close();
            throw new FileSystemException(host.toString(), null, "Too many levels of symbolic links");
        }
        return new HostChannel(file, write);
    }

    /** RandomAccessFile reports failures as "path (reason)": the reason as a guest errno. */
    static GuestError errno(IOException e) {
        String m = e.getMessage();
        if (e instanceof FileNotFoundException && m != null && m.endsWith(")") && m.lastIndexOf(" (") >= 0) {
            String reason = m.substring(m.lastIndexOf(" (") + 2, m.length() - 1);
            return HostErrors.toGuest(new FileSystemException(null, null, reason));
        }
        return HostErrors.toGuest(e);
    }

    boolean canWrite() {
        return writable;
    }

    HostChannel retain() {
        references.incrementAndGet();
        return this;
    }

    void release() {
        if (references.decrementAndGet() == 0 && !mapped) {
            try {
                close();
            } catch (IOException ignored) {
                // Nothing to report to anyone: the last descriptor is gone.
            }
        }
    }

    /** Marks the channel as used by a mapping, which keeps it open past the last descriptor. */
    void markMapped() {
        mapped = true;
    }

    /** Reads up to {@code len} bytes at {@code pos}, looping until full or end of file. */
    int readAt(byte[] b, int off, int len, long pos) throws IOException {
        synchronized (file) {
            file.seek(pos);
            int done = 0;
            while (done < len) {
                int n = file.read(b, off + done, len - done);
                if (n < 0) break;
                done += n;
            }
            return done;
        }
    }

    void writeAt(byte[] b, int off, int len, long pos) throws IOException {
        if (!writable) throw new IOException("Bad file descriptor");
        synchronized (file) {
            file.seek(pos);
            file.write(b, off, len);
        }
    }

    // ---------------------------------------------------------------- FileChannel, for mmap

    @Override
    public int read(ByteBuffer dst, long pos) throws IOException {
        byte[] tmp = new byte[dst.remaining()];
        int n = readAt(tmp, 0, tmp.length, pos);
        dst.put(tmp, 0, n);
        return n == 0 && tmp.length > 0 ? -1 : n;
    }

    @Override
    public int write(ByteBuffer src, long pos) throws IOException {
        byte[] tmp = new byte[src.remaining()];
        src.get(tmp);
        writeAt(tmp, 0, tmp.length, pos);
        return tmp.length;
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        int n = read(dst, position);
        if (n > 0) position += n;
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = read(dsts[i]);
            if (n <= 0) return total == 0 ? n : total;
            total += n;
        }
        return total;
    }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        int n = write(src, position);
        position += n;
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) total += write(srcs[i]);
        return total;
    }

    @Override
    public synchronized long position() {
        return position;
    }

    @Override
    public synchronized FileChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        synchronized (file) {
            return file.length();
        }
    }

    /** Unlike FileChannel's usual truncate this also extends (ftruncate semantics). */
    @Override
    public FileChannel truncate(long size) throws IOException {
        if (!writable) throw new IOException("Bad file descriptor");
        synchronized (file) {
            file.setLength(size);
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.getFD().sync();
    }

    @Override
    public long transferTo(long pos, long count, WritableByteChannel target) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(count, 1 << 20));
        int n = read(b, pos);
        if (n <= 0) return 0;
        b.flip();
        return target.write(b);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long pos, long count) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(count, 1 << 20));
        int n = src.read(b);
        if (n <= 0) return 0;
        b.flip();
        return write(b, pos);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long pos, long size) {
        throw new UnsupportedOperationException("guest mappings read and write through the channel");
    }

    @Override
    public FileLock lock(long pos, long size, boolean shared) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileLock tryLock(long pos, long size, boolean shared) {
        throw new UnsupportedOperationException();
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
