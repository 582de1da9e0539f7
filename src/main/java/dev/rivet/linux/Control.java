package dev.rivet.linux;

import dev.rivet.mem.Bytes;

/** fcntl, ioctl's generic requests, and flock (fs/fcntl.c, fs/ioctl.c, fs/locks.c). */
final class Control {
    static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6,
            F_SETLKW = 7, F_SETOWN = 8, F_GETOWN = 9, F_SETSIG = 10, F_GETSIG = 11, F_OFD_GETLK = 36,
            F_OFD_SETLK = 37, F_OFD_SETLKW = 38, F_SETLEASE = 1024, F_GETLEASE = 1025, F_DUPFD_CLOEXEC = 1030,
            F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032, F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
    static final int FD_CLOEXEC = 1, F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    static final int FIOCLEX = 0x5451, FIONCLEX = 0x5450, FIOASYNC = 0x5452;
    static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

    private Control() {}

    static long fcntl(GuestThread t, int fd, int cmd, long arg) {
        FdTable fds = t.process.fds;
        OpenFile f = fds.get(fd);
        switch (cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                if (arg < 0 || arg >= FdTable.MAX_FDS) throw new GuestError(Errno.EINVAL);
                return fds.add(f.retain(), cmd == F_DUPFD_CLOEXEC, (int) arg);
            }
            case F_GETFD -> {
                return fds.closeOnExec(fd) ? FD_CLOEXEC : 0;
            }
            case F_SETFD -> {
                fds.setCloseOnExec(fd, (arg & FD_CLOEXEC) != 0);
                return 0;
            }
            case F_GETFL -> {
                return f.statusFlags();
            }
            case F_SETFL -> {
                if (f instanceof PathFile) throw new GuestError(Errno.EBADF);
                f.setStatusFlags((int) arg);
                return 0;
            }
            case F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW -> {
                return recordLock(t, f, cmd, arg);
            }
            case F_SETOWN, F_SETSIG -> {
                return 0;
            }
            case F_GETOWN, F_GETSIG -> {
                return 0;
            }
            case F_GETLEASE -> {
                return F_UNLCK;
            }
            case F_GETPIPE_SZ, F_SETPIPE_SZ -> {
                Pipe pipe = NamedPipes.pipeOf(f);
                if (pipe == null) throw new GuestError(Errno.EBADF);
                return cmd == F_GETPIPE_SZ ? pipe.capacity() : pipe.resize(arg);
            }
            case F_GET_SEALS, F_ADD_SEALS -> {
                if (!(f instanceof HostFile hf) || !hf.guestPath().startsWith("/memfd:")) throw new GuestError(Errno.EINVAL);
                return 0;
            }
            default -> throw new GuestError(Errno.EINVAL);
        }
    }

    /**
     * Advisory record locks are accepted without being enforced: the guest is the sandbox's only
     * user of its files, and programs lock to coordinate their own processes, which mostly works
     * unlocked. F_GETLK accordingly always finds the range free.
     */
    private static long recordLock(GuestThread t, OpenFile f, int cmd, long arg) {
        if (f instanceof PathFile) throw new GuestError(Errno.EBADF);
        byte[] lock = t.memory().read(arg, 32);
        int type = Bytes.u16(lock, 0);
        if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK) throw new GuestError(Errno.EINVAL);
        boolean ofd = cmd >= F_OFD_GETLK;
        if (ofd && Bytes.i32(lock, 24) != 0) throw new GuestError(Errno.EINVAL);
        if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
            Bytes.write(lock, 0, 2, F_UNLCK);
            t.memory().write(arg, lock, 0, 2);
            return 0;
        }
        if (type == F_RDLCK && !f.readable()) throw new GuestError(Errno.EBADF);
        if (type == F_WRLCK && !f.writable()) throw new GuestError(Errno.EBADF);
        return 0;
    }

    static long ioctl(GuestThread t, int fd, int request, long arg) {
        OpenFile f = t.process.fds.get(fd);
        switch (request) {
            case FIOCLEX, FIONCLEX -> {
                t.process.fds.setCloseOnExec(fd, request == FIOCLEX);
                return 0;
            }
            case Terminal.FIONBIO -> {
                boolean on = t.memory().readInt(arg) != 0;
                int flags = f.statusFlags();
                f.setStatusFlags(on ? flags | OpenFile.O_NONBLOCK : flags & ~OpenFile.O_NONBLOCK);
                return 0;
            }
            case FIOASYNC -> {
                t.memory().readInt(arg);
                return 0;
            }
            default -> {
                return f.ioctl(request, arg, t.memory());
            }
        }
    }

    static long flock(GuestThread t, int fd, int operation) {
        t.process.fds.get(fd);
        int op = operation & ~LOCK_NB;
        if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN) throw new GuestError(Errno.EINVAL);
        return 0;
    }
}
