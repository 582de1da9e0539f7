package dev.rivet.linux;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open file description: what a file descriptor refers to. Duplicated descriptors and forked
 * processes share one description (and its offset and status flags); it is closed when the last
 * reference goes. Operations a kind of file does not support fail as Linux fails them.
 */
public abstract class OpenFile {
    public static final int POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20,
            POLLRDNORM = 0x40, POLLWRNORM = 0x100;
    public static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200,
            O_NOCTTY = 0400, O_TRUNC = 01000, O_APPEND = 02000, O_NONBLOCK = 04000, O_DIRECTORY = 0200000,
            O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000, O_PATH = 010000000;

    private final AtomicInteger references = new AtomicInteger(1);
    /** O_APPEND, O_NONBLOCK and the access mode, as F_GETFL reports them. */
    protected volatile int statusFlags;
    /** The guest path this was opened by, for /proc/self/fd, fchdir and *at lookups. */
    protected final String guestPath;

    protected OpenFile(String guestPath, int statusFlags) {
        this.guestPath = guestPath;
        this.statusFlags = statusFlags;
    }

    public String guestPath() {
        return guestPath;
    }

    public int statusFlags() {
        return statusFlags;
    }

    /** F_SETFL: only O_APPEND and O_NONBLOCK can change. */
    public void setStatusFlags(int flags) {
        int changeable = O_APPEND | O_NONBLOCK;
        statusFlags = (statusFlags & ~changeable) | (flags & changeable);
    }

    public boolean nonBlocking() {
        return (statusFlags & O_NONBLOCK) != 0;
    }

    protected boolean readable() {
        int mode = statusFlags & O_ACCMODE;
        return mode == O_RDONLY || mode == O_RDWR;
    }

    protected boolean writable() {
        int mode = statusFlags & O_ACCMODE;
        return mode == O_WRONLY || mode == O_RDWR;
    }

    OpenFile retain() {
        references.incrementAndGet();
        return this;
    }

    void release() {
        if (references.decrementAndGet() == 0) close();
    }

    /** False once the last descriptor referring to this description is closed (epoll then forgets it). */
    boolean isOpen() {
        return references.get() > 0;
    }

    /** Reads up to {@code len} bytes; 0 at end of file. May block (interruptibly: EINTR). */
    public int read(byte[] buf, int off, int len) {
        throw new GuestError(Errno.EINVAL);
    }

    public int write(byte[] buf, int off, int len) {
        throw new GuestError(Errno.EINVAL);
    }

    public int pread(byte[] buf, int off, int len, long position) {
        throw new GuestError(Errno.ESPIPE);
    }

    public int pwrite(byte[] buf, int off, int len, long position) {
        throw new GuestError(Errno.ESPIPE);
    }

    public long seek(long offset, int whence) {
        throw new GuestError(Errno.ESPIPE);
    }

    /** The riscv64 {@code struct stat} of this file. */
    public abstract byte[] stat();

    /** Which of POLLIN/POLLOUT/POLLHUP/POLLERR hold now. */
    public int poll() {
        return POLLIN | POLLOUT;
    }

    /**
     * Whether epoll may watch this file. Linux refuses (EPERM) files without a poll operation:
     * regular files, directories, /dev/null. Go relies on that EPERM to fall back to blocking I/O.
     */
    public boolean pollable() {
        return false;
    }

    /**
     * A stamp that moves whenever this file's readiness may have changed (data arrived or left, an
     * end closed): the {@link Readiness} version of its last change. Epoll treats a move as the
     * wake-up callback Linux files make, so an edge-triggered watcher never misses an edge even
     * when the file went unready and ready again between two looks. Files whose readiness never
     * changes keep 0.
     */
    public long readinessEvents() {
        return 0;
    }

    /** ioctl: ENOTTY unless the file is a terminal or answers the request. */
    public long ioctl(int request, long arg, UserMemory mem) {
        throw new GuestError(Errno.ENOTTY);
    }

    public void truncate(long length) {
        throw new GuestError(Errno.EINVAL);
    }

    public void sync() {}

    /** getdents64: fills {@code buf} with directory entries; ENOTDIR unless a directory. */
    public int readDirectory(byte[] buf) {
        throw new GuestError(Errno.ENOTDIR);
    }

    /** The host channel behind a regular file, for mmap; null if there is none. */
    public java.nio.channels.FileChannel channel() {
        return null;
    }

    /** Identity of the host file behind this, for coherent shared mappings ({@link FilePages}); null if none. */
    public Object fileKey() {
        return null;
    }

    protected void close() {}
}
