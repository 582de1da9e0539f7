package dev.rivet.linux;

/** PLACEHOLDER: being written. */
final class FileCalls {
    private final Kernel kernel;

    FileCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    long openat(GuestThread t, int a0, long a1, int a2, int a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long close(GuestThread t, int a0) {
        t.process.fds.close(a0);
        return 0;
    }

    long closeRange(GuestThread t, int a0, int a1, int a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long read(GuestThread t, int a0, long a1, long a2) {
        byte[] buf = new byte[(int) Math.min(a2, 1 << 20)];
        int n = t.process.fds.get(a0).read(buf, 0, buf.length);
        if (n > 0) t.memory().write(a1, buf, 0, n);
        return n;
    }

    long write(GuestThread t, int a0, long a1, long a2) {
        byte[] buf = t.memory().read(a1, (int) Math.min(a2, 1 << 20));
        return t.process.fds.get(a0).write(buf, 0, buf.length);
    }

    long readv(GuestThread t, int a0, long a1, int a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long writev(GuestThread t, int a0, long a1, int a2) {
        long total = 0;
        for (int i = 0; i < a2; i++) {
            long base = t.memory().readLong(a1 + 16L * i), len = t.memory().readLong(a1 + 16L * i + 8);
            byte[] buf = t.memory().read(base, (int) len);
            total += t.process.fds.get(a0).write(buf, 0, buf.length);
        }
        return total;
    }

    long pread(GuestThread t, int a0, long a1, long a2, long a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long pwrite(GuestThread t, int a0, long a1, long a2, long a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long preadv(GuestThread t, int a0, long a1, int a2, long a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long pwritev(GuestThread t, int a0, long a1, int a2, long a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long lseek(GuestThread t, int a0, long a1, int a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long sendfile(GuestThread t, int a0, int a1, long a2, long a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long copyFileRange(GuestThread t, int a0, long a1, int a2, long a3, long a4) {
        throw new GuestError(Errno.ENOSYS);
    }

    long getdents64(GuestThread t, int a0, long a1, int a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long newfstatat(GuestThread t, int a0, long a1, long a2, int a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long fstat(GuestThread t, int a0, long a1) {
        t.memory().write(a1, t.process.fds.get(a0).stat());
        return 0;
    }

    long statx(GuestThread t, int a0, long a1, int a2, int a3, long a4) {
        throw new GuestError(Errno.ENOSYS);
    }

    long statfs(GuestThread t, long a0, long a1) {
        throw new GuestError(Errno.ENOSYS);
    }

    long fstatfs(GuestThread t, int a0, long a1) {
        throw new GuestError(Errno.ENOSYS);
    }

    long readlinkat(GuestThread t, int a0, long a1, long a2, int a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long faccessat(GuestThread t, int a0, long a1, int a2, int a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long mkdirat(GuestThread t, int a0, long a1, int a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long mknodat(GuestThread t, int a0, long a1, int a2, long a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long unlinkat(GuestThread t, int a0, long a1, int a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long renameat(GuestThread t, int a0, long a1, int a2, long a3, int a4) {
        throw new GuestError(Errno.ENOSYS);
    }

    long symlinkat(GuestThread t, long a0, int a1, long a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long linkat(GuestThread t, int a0, long a1, int a2, long a3, int a4) {
        throw new GuestError(Errno.ENOSYS);
    }

    long fchmod(GuestThread t, int a0, int a1) {
        throw new GuestError(Errno.ENOSYS);
    }

    long fchmodat(GuestThread t, int a0, long a1, int a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long fchown(GuestThread t, int a0, int a1, int a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long fchownat(GuestThread t, int a0, long a1, int a2, int a3, int a4) {
        throw new GuestError(Errno.ENOSYS);
    }

    long utimensat(GuestThread t, int a0, long a1, long a2, int a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long truncate(GuestThread t, long a0, long a1) {
        throw new GuestError(Errno.ENOSYS);
    }

    long ftruncate(GuestThread t, int a0, long a1) {
        throw new GuestError(Errno.ENOSYS);
    }

    long fallocate(GuestThread t, int a0, int a1, long a2, long a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long fsync(GuestThread t, int a0) {
        throw new GuestError(Errno.ENOSYS);
    }

    long getcwd(GuestThread t, long a0, long a1) {
        throw new GuestError(Errno.ENOSYS);
    }

    long chdir(GuestThread t, long a0) {
        throw new GuestError(Errno.ENOSYS);
    }

    long fchdir(GuestThread t, int a0) {
        throw new GuestError(Errno.ENOSYS);
    }

    long dup(GuestThread t, int a0) {
        throw new GuestError(Errno.ENOSYS);
    }

    long dup3(GuestThread t, int a0, int a1, int a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long fcntl(GuestThread t, int a0, int a1, long a2) {
        throw new GuestError(Errno.ENOSYS);
    }

    long ioctl(GuestThread t, int a0, int a1, long a2) {
        return t.process.fds.get(a0).ioctl(a1, a2, t.memory());
    }

    long flock(GuestThread t, int a0, int a1) {
        throw new GuestError(Errno.ENOSYS);
    }

    long pipe2(GuestThread t, long a0, int a1) {
        throw new GuestError(Errno.ENOSYS);
    }

    long umask(GuestThread t, int a0) {
        throw new GuestError(Errno.ENOSYS);
    }

    long memfdCreate(GuestThread t, long a0, int a1) {
        throw new GuestError(Errno.ENOSYS);
    }
}
