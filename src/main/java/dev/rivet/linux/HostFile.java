package dev.rivet.linux;

import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.StatEncoder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A regular host file opened by the guest. The offset belongs to this open file description, so
 * descriptors made by dup or fork share it; O_APPEND writes go to the end of the file each time.
 */
final class HostFile extends OpenFile implements HostBacked {
    static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

    private final Path host;
    private final boolean readOnlyMount;
    private final HostChannel channel;
    private long position;
    private Object fileKey;

    /**
     * @param host    the host path it was opened by; stat reads it, and it may since have been
     *                unlinked (memfd, temporary files), in which case stat is built from the channel
     * @param channel an open channel, whose reference passes to this file
     */
    HostFile(Path host, String guestPath, int flags, HostChannel channel, boolean readOnlyMount) {
        super(guestPath, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
        this.host = host;
        this.channel = channel;
        this.readOnlyMount = readOnlyMount;
    }

    @Override
    public Path host() {
        return host;
    }

    @Override
    public boolean readOnlyMount() {
        return readOnlyMount;
    }

    HostChannel hostChannel() {
        return channel;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        if (!readable()) throw new GuestError(Errno.EBADF);
        synchronized (this) {
            int n = readAt(buf, off, len, position);
            position += n;
            return n;
        }
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        if (!writable()) throw new GuestError(Errno.EBADF);
        synchronized (this) {
            if ((statusFlags & O_APPEND) != 0) position = size();
            writeAt(buf, off, len, position);
            position += len;
            return len;
        }
    }

    @Override
    public int pread(byte[] buf, int off, int len, long pos) {
        if (!readable()) throw new GuestError(Errno.EBADF);
        if (pos < 0) throw new GuestError(Errno.EINVAL);
        return readAt(buf, off, len, pos);
    }

    /** Like Linux, pwrite on an O_APPEND file appends whatever the offset says. */
    @Override
    public int pwrite(byte[] buf, int off, int len, long pos) {
        if (!writable()) throw new GuestError(Errno.EBADF);
        if (pos < 0) throw new GuestError(Errno.EINVAL);
        synchronized (this) {
            writeAt(buf, off, len, (statusFlags & O_APPEND) != 0 ? size() : pos);
        }
        return len;
    }

    // Reads and writes go through the shared-mapping page cache too, so they agree with mmap.
    private int readAt(byte[] buf, int off, int len, long pos) {
        try {
            int n = channel.readAt(buf, off, len, pos);
            if (n > 0) FilePages.INSTANCE.overlay(fileKey(), pos, buf, off, n);
            return n;
        } catch (IOException e) {
            throw HostChannel.errno(e);
        }
    }

    private void writeAt(byte[] buf, int off, int len, long pos) {
        if (pos + len < 0) throw new GuestError(Errno.EFBIG);
        try {
            channel.writeAt(buf, off, len, pos);
            FilePages.INSTANCE.written(fileKey(), pos, buf, off, len);
        } catch (IOException e) {
            throw HostChannel.errno(e);
        }
    }

    /** The host file's identity (device and inode); the channel itself when the file has no name any more. */
    @Override
    public synchronized Object fileKey() {
        if (fileKey == null) {
            try {
                fileKey = java.nio.file.Files.readAttributes(host, java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
            } catch (IOException | RuntimeException gone) {
                fileKey = null;
            }
            if (fileKey == null) fileKey = channel;
        }
        return fileKey;
    }

    long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw HostChannel.errno(e);
        }
    }

    /** Files have no holes as far as the JDK can tell: all data up to the size, one hole at the end. */
    @Override
    public synchronized long seek(long offset, int whence) {
        long base;
        switch (whence) {
            case SEEK_SET -> base = 0;
            case SEEK_CUR -> base = position;
            case SEEK_END -> base = size();
            case SEEK_DATA, SEEK_HOLE -> {
                long size = size();
                if (offset < 0) throw new GuestError(Errno.EINVAL);
                if (offset >= size) throw new GuestError(Errno.ENXIO);
                position = whence == SEEK_DATA ? offset : size;
                return position;
            }
            default -> throw new GuestError(Errno.EINVAL);
        }
        long next = base + offset;
        if (next < 0 || (offset > 0 && next < base)) throw new GuestError(Errno.EINVAL);
        position = next;
        return next;
    }

    @Override
    public byte[] stat() {
        return StatEncoder.stat(fileStat());
    }

    FileStat fileStat() {
        try {
            FileStat s = FileStat.ofHost(host);
            if (s.type() == FileStat.S_IFREG) return s;
        } catch (IOException gone) {
            // Unlinked (or replaced) since it was opened: describe what the descriptor still holds.
        }
        long size = size();
        return new FileStat(FileStat.SYNTHETIC_DEV, Integer.toUnsignedLong(System.identityHashCode(channel)),
                FileStat.S_IFREG | 0600, 0, 0, 0, 0, size, FileStat.DEFAULT_BLKSIZE, (size + 511) / 512,
                0, 0, 0, 0, 0, 0);
    }

    @Override
    public int poll() {
        return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
    }

    @Override
    public long ioctl(int request, long arg, UserMemory mem) {
        if (request == Terminal.FIONREAD) {
            long left;
            synchronized (this) {
                left = Math.max(0, size() - position);
            }
            mem.writeInt(arg, (int) Math.min(Integer.MAX_VALUE, left));
            return 0;
        }
        return super.ioctl(request, arg, mem);
    }

    @Override
    public void truncate(long length) {
        if (!writable()) throw new GuestError(Errno.EINVAL);
        if (length < 0) throw new GuestError(Errno.EINVAL);
        try {
            channel.truncate(length);
        } catch (IOException e) {
            throw HostChannel.errno(e);
        }
    }

    @Override
    public void sync() {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw HostChannel.errno(e);
        }
    }

    @Override
    public FileChannel channel() {
        channel.markMapped();
        return channel;
    }

    @Override
    protected void close() {
        channel.release();
    }
}
