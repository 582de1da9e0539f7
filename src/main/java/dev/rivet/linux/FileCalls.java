package dev.rivet.linux;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file system calls (fs/open.c, read_write.c, fcntl.c, ...). Descriptor bookkeeping lives here;
 * opening is {@link Opener}, moving data {@link Transfers}, and calls on paths {@link PathCalls}.
 */
final class FileCalls {
    static final int CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;
    static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4, MFD_NOEXEC_SEAL = 8, MFD_EXEC = 0x10;

    private final Kernel kernel;
    /** Inode numbers of pipes; FIFOs and the console use small numbers of their own. */
    private final AtomicLong pipeInodes = new AtomicLong(1000);
    private final NamedPipes fifos;
    private final PathLookup lookup;
    private final Opener opener;
    private final PathCalls paths;
    private final AttributeCalls attributes;

    FileCalls(Kernel kernel) {
        this.kernel = kernel;
        this.fifos = new NamedPipes(kernel.readiness, pipeInodes::incrementAndGet);
        this.lookup = new PathLookup(kernel);
        this.opener = new Opener(kernel, lookup, fifos);
        this.paths = new PathCalls(kernel, lookup, fifos);
        this.attributes = new AttributeCalls(kernel, lookup, paths);
    }

    private static OpenFile file(GuestThread t, int fd) {
        return t.process.fds.get(fd);
    }

    // ---------------------------------------------------------------- opening and closing

    long openat(GuestThread t, int dirfd, long pathAddr, int flags, int mode) {
        OpenFile f = opener.open(t, dirfd, PathCalls.path(t, pathAddr), flags, mode);
        return t.process.fds.add(f, (flags & OpenFile.O_CLOEXEC) != 0);
    }

    long close(GuestThread t, int fd) {
        t.process.fds.close(fd);
        return 0;
    }

    long closeRange(GuestThread t, int first, int last, int flags) {
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0) throw new GuestError(Errno.EINVAL);
        long lo = Integer.toUnsignedLong(first), hi = Integer.toUnsignedLong(last);
        if (lo > hi) throw new GuestError(Errno.EINVAL);
        // Unsharing a table shared by CLONE_FILES: this process continues with its own copy.
        if ((flags & CLOSE_RANGE_UNSHARE) != 0) t.process.fds = t.process.fds.copy();
        FdTable fds = t.process.fds;
        for (int fd : fds.openDescriptors()) {
            if (fd < lo || fd > hi) continue;
            try {
                if ((flags & CLOSE_RANGE_CLOEXEC) != 0) fds.setCloseOnExec(fd, true);
                else fds.close(fd);
            } catch (GuestError raced) {
                // Closed meanwhile by another thread: nothing left to do for it.
            }
        }
        return 0;
    }

    long memfdCreate(GuestThread t, long nameAddr, int flags) {
        if ((flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)) != 0) {
            throw new GuestError(Errno.EINVAL);
        }
        String name = t.memory().readString(nameAddr, 250);
        if (name.getBytes(StandardCharsets.UTF_8).length > 249) throw new GuestError(Errno.EINVAL);
        return t.process.fds.add(opener.memfd(name), (flags & MFD_CLOEXEC) != 0);
    }

    long pipe2(GuestThread t, long fdsAddr, int flags) {
        if ((flags & ~(OpenFile.O_CLOEXEC | OpenFile.O_NONBLOCK | 040000)) != 0) throw new GuestError(Errno.EINVAL);
        Pipe pipe = new Pipe(kernel.readiness, pipeInodes.incrementAndGet());
        boolean cloexec = (flags & OpenFile.O_CLOEXEC) != 0;
        FdTable fds = t.process.fds;
        PipeEnd writeEnd = new PipeEnd(pipe, false, flags);
        int r;
        try {
            r = fds.add(new PipeEnd(pipe, true, flags), cloexec);
        } catch (GuestError e) {
            writeEnd.release();
            throw e;
        }
        int w;
        try {
            w = fds.add(writeEnd, cloexec);
        } catch (GuestError e) {
            fds.close(r);
            throw e;
        }
        try {
            t.memory().writeInt(fdsAddr, r);
            t.memory().writeInt(fdsAddr + 4, w);
        } catch (GuestError e) {
            fds.close(r);
            fds.close(w);
            throw e;
        }
        return 0;
    }

    // ---------------------------------------------------------------- data

    long read(GuestThread t, int fd, long buf, long count) {
        return Transfers.read(t, file(t, fd), buf, count, -1);
    }

    long write(GuestThread t, int fd, long buf, long count) {
        return Transfers.write(t, file(t, fd), buf, count, -1);
    }

    long readv(GuestThread t, int fd, long iov, int count) {
        return Transfers.readv(t, file(t, fd), iov, count, -1);
    }

    long writev(GuestThread t, int fd, long iov, int count) {
        return Transfers.writev(t, file(t, fd), iov, count, -1);
    }

    long pread(GuestThread t, int fd, long buf, long count, long pos) {
        OpenFile f = file(t, fd);
        if (pos < 0) throw new GuestError(f instanceof PipeEnd ? Errno.ESPIPE : Errno.EINVAL);
        return Transfers.read(t, f, buf, count, pos);
    }

    long pwrite(GuestThread t, int fd, long buf, long count, long pos) {
        OpenFile f = file(t, fd);
        if (pos < 0) throw new GuestError(f instanceof PipeEnd ? Errno.ESPIPE : Errno.EINVAL);
        return Transfers.write(t, f, buf, count, pos);
    }

    long preadv(GuestThread t, int fd, long iov, int count, long pos) {
        OpenFile f = file(t, fd);
        if (pos < 0) throw new GuestError(Errno.EINVAL);
        return Transfers.readv(t, f, iov, count, pos);
    }

    long pwritev(GuestThread t, int fd, long iov, int count, long pos) {
        OpenFile f = file(t, fd);
        if (pos < 0) throw new GuestError(Errno.EINVAL);
        return Transfers.writev(t, f, iov, count, pos);
    }

    long lseek(GuestThread t, int fd, long offset, int whence) {
        return file(t, fd).seek(offset, whence);
    }

    long sendfile(GuestThread t, int outFd, int inFd, long offsetPtr, long count) {
        return Transfers.sendfile(t, file(t, outFd), file(t, inFd), offsetPtr, count);
    }

    long copyFileRange(GuestThread t, int inFd, long inOffPtr, int outFd, long outOffPtr, long len) {
        // The dispatcher does not pass the flags argument (a5); all defined flags are reserved anyway.
        return Transfers.copyFileRange(t, file(t, inFd), inOffPtr, file(t, outFd), outOffPtr, len, 0);
    }

    long getdents64(GuestThread t, int fd, long dirp, int count) {
        OpenFile f = file(t, fd);
        byte[] buf = new byte[(int) Math.min(Integer.toUnsignedLong(count), Transfers.CHUNK)];
        int n = f.readDirectory(buf);
        t.memory().write(dirp, buf, 0, n);
        return n;
    }

    long ftruncate(GuestThread t, int fd, long length) {
        OpenFile f = file(t, fd);
        if (length < 0) throw new GuestError(Errno.EINVAL);
        if (f instanceof DirectoryFile) throw new GuestError(Errno.EINVAL);
        f.truncate(length);
        return 0;
    }

    /** Mode 0 extends the file; KEEP_SIZE alone is accepted (nothing to reserve); PUNCH_HOLE zeroes. */
    long fallocate(GuestThread t, int fd, int mode, long offset, long len) {
        final int keepSize = 1, punchHole = 2;
        OpenFile f = file(t, fd);
        if (offset < 0 || len <= 0 || offset + len < 0) throw new GuestError(Errno.EINVAL);
        if (!(f instanceof HostFile hf)) {
            throw new GuestError(f instanceof PipeEnd ? Errno.ESPIPE : f instanceof DirectoryFile ? Errno.EISDIR : Errno.ENODEV);
        }
        if (!hf.writable()) throw new GuestError(Errno.EBADF);
        long size = hf.size();
        if (mode == 0) {
            if (offset + len > size) hf.truncate(offset + len);
        } else if (mode == (punchHole | keepSize)) {
            long end = Math.min(size, offset + len);
            byte[] zeros = new byte[(int) Math.min(Transfers.CHUNK, Math.max(0, end - offset))];
            for (long p = offset; p < end; p += zeros.length) hf.pwrite(zeros, 0, (int) Math.min(zeros.length, end - p), p);
        } else if (mode != keepSize) {
            throw new GuestError(Errno.EOPNOTSUPP);
        }
        return 0;
    }

    long fsync(GuestThread t, int fd) {
        OpenFile f = file(t, fd);
        if (f instanceof PipeEnd) throw new GuestError(Errno.EINVAL);
        f.sync();
        return 0;
    }

    // ---------------------------------------------------------------- working directory and umask

    long getcwd(GuestThread t, long buf, long size) {
        byte[] cwd = (t.process.cwd + "\0").getBytes(StandardCharsets.UTF_8);
        if (size < cwd.length) throw new GuestError(Errno.ERANGE);
        t.memory().write(buf, cwd);
        return cwd.length;
    }

    long chdir(GuestThread t, long pathAddr) {
        return paths.chdir(t, pathAddr);
    }

    long fchdir(GuestThread t, int fd) {
        OpenFile f = file(t, fd);
        if (!PathLookup.isDirectory(f)) throw new GuestError(Errno.ENOTDIR);
        t.process.cwd = f.guestPath();
        return 0;
    }

    long umask(GuestThread t, int mask) {
        int old = t.process.umask;
        t.process.umask = mask & 0777;
        return old;
    }

    // ---------------------------------------------------------------- descriptors

    long dup(GuestThread t, int fd) {
        return t.process.fds.add(file(t, fd).retain(), false);
    }

    long dup3(GuestThread t, int oldFd, int newFd, int flags) {
        if ((flags & ~OpenFile.O_CLOEXEC) != 0 || oldFd == newFd) throw new GuestError(Errno.EINVAL);
        t.process.fds.put(newFd, file(t, oldFd).retain(), (flags & OpenFile.O_CLOEXEC) != 0);
        return newFd;
    }

    long fcntl(GuestThread t, int fd, int cmd, long arg) {
        return Control.fcntl(t, fd, cmd, arg);
    }

    long ioctl(GuestThread t, int fd, int request, long arg) {
        return Control.ioctl(t, fd, request, arg);
    }

    long flock(GuestThread t, int fd, int operation) {
        return Control.flock(t, fd, operation);
    }

    // ---------------------------------------------------------------- calls on paths

    long newfstatat(GuestThread t, int dirfd, long pathAddr, long buf, int flags) {
        return paths.newfstatat(t, dirfd, pathAddr, buf, flags);
    }

    long fstat(GuestThread t, int fd, long buf) {
        t.memory().write(buf, file(t, fd).stat());
        return 0;
    }

    long statx(GuestThread t, int dirfd, long pathAddr, int flags, int mask, long buf) {
        return paths.statx(t, dirfd, pathAddr, flags, mask, buf);
    }

    long statfs(GuestThread t, long pathAddr, long buf) {
        return paths.statfs(t, pathAddr, buf);
    }

    long fstatfs(GuestThread t, int fd, long buf) {
        return paths.fstatfs(t, fd, buf);
    }

    long readlinkat(GuestThread t, int dirfd, long pathAddr, long buf, int size) {
        return paths.readlinkat(t, dirfd, pathAddr, buf, size);
    }

    long faccessat(GuestThread t, int dirfd, long pathAddr, int mode, int flags) {
        return paths.faccessat(t, dirfd, pathAddr, mode, flags);
    }

    long mkdirat(GuestThread t, int dirfd, long pathAddr, int mode) {
        return paths.mkdirat(t, dirfd, pathAddr, mode);
    }

    long mknodat(GuestThread t, int dirfd, long pathAddr, int mode, long dev) {
        return paths.mknodat(t, dirfd, pathAddr, mode, dev);
    }

    long unlinkat(GuestThread t, int dirfd, long pathAddr, int flags) {
        return paths.unlinkat(t, dirfd, pathAddr, flags);
    }

    long renameat(GuestThread t, int oldDirfd, long oldAddr, int newDirfd, long newAddr, int flags) {
        return paths.renameat(t, oldDirfd, oldAddr, newDirfd, newAddr, flags);
    }

    long symlinkat(GuestThread t, long targetAddr, int newDirfd, long linkAddr) {
        return paths.symlinkat(t, targetAddr, newDirfd, linkAddr);
    }

    long linkat(GuestThread t, int oldDirfd, long oldAddr, int newDirfd, long newAddr, int flags) {
        return paths.linkat(t, oldDirfd, oldAddr, newDirfd, newAddr, flags);
    }

    long fchmod(GuestThread t, int fd, int mode) {
        return attributes.fchmod(t, fd, mode);
    }

    long fchmodat(GuestThread t, int dirfd, long pathAddr, int mode) {
        return attributes.fchmodat(t, dirfd, pathAddr, mode);
    }

    long fchown(GuestThread t, int fd, int uid, int gid) {
        return attributes.fchown(t, fd, uid, gid);
    }

    long fchownat(GuestThread t, int dirfd, long pathAddr, int uid, int gid, int flags) {
        return attributes.fchownat(t, dirfd, pathAddr, uid, gid, flags);
    }

    long utimensat(GuestThread t, int dirfd, long pathAddr, long times, int flags) {
        return attributes.utimensat(t, dirfd, pathAddr, times, flags);
    }

    long truncate(GuestThread t, long pathAddr, long length) {
        return paths.truncate(t, pathAddr, length);
    }
}
