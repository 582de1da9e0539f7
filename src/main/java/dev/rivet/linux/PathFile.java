package dev.rivet.linux;

import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.HostErrors;
import dev.rivet.linux.fs.StatEncoder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An O_PATH descriptor: it only names a file, for fstat, fchdir and as a starting point of *at
 * lookups. Reading, writing and everything else that touches the contents fail with EBADF.
 */
final class PathFile extends OpenFile {
    private final Path host;
    private final VNode node;
    private final boolean directory;

    /**
     * @param host the host file, or null for a synthetic one
     * @param node the synthetic node when {@code host} is null
     */
    PathFile(String guestPath, int flags, Path host, VNode node, boolean directory) {
        super(guestPath, (flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW)) | O_PATH);
        this.host = host;
        this.node = node;
        this.directory = directory;
    }

    boolean isDirectory() {
        return directory;
    }

    @Override
    public byte[] stat() {
        if (host == null) return StatEncoder.stat(node.stat());
        try {
            return StatEncoder.stat(FileStat.ofHost(host));
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public int pread(byte[] buf, int off, int len, long position) {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public int pwrite(byte[] buf, int off, int len, long position) {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public long seek(long offset, int whence) {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public long ioctl(int request, long arg, UserMemory mem) {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public void truncate(long length) {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public void sync() {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public int readDirectory(byte[] buf) {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public int poll() {
        return POLLNVAL;
    }
}
