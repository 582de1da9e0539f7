package dev.rivet.linux;

import dev.rivet.mem.Bytes;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * ppoll, pselect6, epoll_create1/ctl/pwait and eventfd2 (fs/select.c, fs/eventpoll.c,
 * fs/eventfd.c). Every wait has one shape: note the {@link Readiness} version, check the files,
 * return if something is ready or time is up, else sleep until the version moves. A signal that
 * would do something ends the wait with EINTR; ppoll, pselect6 and epoll_pwait may install a
 * temporary signal mask for the wait, which stays in place on EINTR so the handler runs under it
 * (signal delivery restores the caller's mask afterwards, as Linux does).
 */
final class PollCalls {
    static final int EPOLL_CLOEXEC = OpenFile.O_CLOEXEC;
    /** fs/select.c: what select counts as readable, writable and exceptional. */
    private static final int POLLIN_SET = OpenFile.POLLIN | OpenFile.POLLRDNORM | 0x80 | OpenFile.POLLHUP | OpenFile.POLLERR,
            POLLOUT_SET = OpenFile.POLLOUT | OpenFile.POLLWRNORM | 0x200 | OpenFile.POLLERR,
            POLLEX_SET = OpenFile.POLLPRI;
    /** Longer than any guest will wait: treated as forever, which also keeps deadlines from overflowing. */
    private static final long FOREVER = 100L * 365 * 24 * 3600 * 1_000_000_000L;
    /** Inode numbers for eventfd and epoll files (anonymous inodes), apart from pipes' and files'. */
    private static final AtomicLong ANON_INODES = new AtomicLong(0x10000);

    private final Kernel kernel;

    PollCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    // ---------------------------------------------------------------- ppoll

    long ppoll(GuestThread t, long fdsAddr, int nfds, long timeoutAddr, long maskAddr, long sigsetSize) {
        UserMemory mem = t.memory();
        long nanos = timeoutAddr == 0 ? -1 : TimeCalls.readTimespec(mem, timeoutAddr);
        long start = System.nanoTime();
        boolean masked = installMask(t, maskAddr, sigsetSize);
        boolean interrupted = false;
        try {
            if (Integer.toUnsignedLong(nfds) > FdTable.MAX_FDS) throw new GuestError(Errno.EINVAL);
            byte[] pfds = mem.read(fdsAddr, 8 * nfds);
            int[] revents = new int[nfds];
            FdTable fds = t.process.fds;
            int n;
            try {
                n = waitFor(t, nanos, false, () -> {
                    int ready = 0;
                    for (int i = 0; i < nfds; i++) {
                        revents[i] = pollOne(fds, Bytes.i32(pfds, 8 * i), Bytes.u16(pfds, 8 * i + 4));
                        if (revents[i] != 0) ready++;
                    }
                    return ready;
                });
            } catch (GuestError e) {
                interrupted = e.errno == Errno.EINTR;
                throw e;
            }
            for (int i = 0; i < nfds; i++) Bytes.write(pfds, 8 * i + 6, 2, revents[i]);
            mem.write(fdsAddr, pfds);
            return n;
        } finally {
            if (masked && !interrupted) restoreMask(t);
            writeRemaining(mem, timeoutAddr, nanos, start);
        }
    }

    /** One struct pollfd's revents: POLLNVAL for a closed descriptor, POLLERR and POLLHUP whether asked or not. */
    private static int pollOne(FdTable fds, int fd, int events) {
        if (fd < 0) return 0;
        OpenFile f;
        try {
            f = fds.get(fd);
        } catch (GuestError badf) {
            return OpenFile.POLLNVAL;
        }
        return Epoll.expand(f.poll()) & (events | OpenFile.POLLERR | OpenFile.POLLHUP);
    }

    // ---------------------------------------------------------------- pselect6

    long pselect6(GuestThread t, int nfds, long readAddr, long writeAddr, long exceptAddr, long timeoutAddr,
                  long maskArg) {
        if (nfds < 0) throw new GuestError(Errno.EINVAL);
        UserMemory mem = t.memory();
        long nanos = timeoutAddr == 0 ? -1 : TimeCalls.readTimespec(mem, timeoutAddr);
        long start = System.nanoTime();
        // The sixth argument points at { const sigset_t *ss; size_t ss_len; }.
        long maskAddr = 0, maskSize = 0;
        if (maskArg != 0) {
            byte[] b = mem.read(maskArg, 16);
            maskAddr = Bytes.i64(b, 0);
            maskSize = Bytes.i64(b, 8);
        }
        boolean masked = installMask(t, maskAddr, maskSize);
        boolean interrupted = false;
        try {
            int n = Math.min(nfds, FdTable.MAX_FDS);
            int words = (n + 63) / 64;
            long[] in = readSet(mem, readAddr, words), out = readSet(mem, writeAddr, words),
                    ex = readSet(mem, exceptAddr, words);
            FdTable fds = t.process.fds;
            // Linux checks every named descriptor once, before waiting (max_select_fd).
            for (int fd = 0; fd < n; fd++) {
                if (isSet(in, fd) || isSet(out, fd) || isSet(ex, fd)) fds.get(fd);
            }
            long[] rin = new long[words], rout = new long[words], rex = new long[words];
            int ready;
            try {
                ready = waitFor(t, nanos, false, () -> scanSets(fds, n, in, out, ex, rin, rout, rex));
            } catch (GuestError e) {
                interrupted = e.errno == Errno.EINTR;
                throw e;
            }
            writeSet(mem, readAddr, rin);
            writeSet(mem, writeAddr, rout);
            writeSet(mem, exceptAddr, rex);
            return ready;
        } finally {
            if (masked && !interrupted) restoreMask(t);
            writeRemaining(mem, timeoutAddr, nanos, start);
        }
    }

    /** Fills the result sets; the count is of set bits, as select returns. */
    private static int scanSets(FdTable fds, int n, long[] in, long[] out, long[] ex,
                                long[] rin, long[] rout, long[] rex) {
        java.util.Arrays.fill(rin, 0);
        java.util.Arrays.fill(rout, 0);
        java.util.Arrays.fill(rex, 0);
        int count = 0;
        for (int fd = 0; fd < n; fd++) {
            boolean r = isSet(in, fd), w = isSet(out, fd), x = isSet(ex, fd);
            if (!r && !w && !x) continue;
            int mask;
            try {
                mask = Epoll.expand(fds.get(fd).poll());
            } catch (GuestError closedMeanwhile) {
                continue;
            }
            long bit = 1L << (fd & 63);
            if (r && (mask & POLLIN_SET) != 0) { rin[fd >> 6] |= bit; count++; }
            if (w && (mask & POLLOUT_SET) != 0) { rout[fd >> 6] |= bit; count++; }
            if (x && (mask & POLLEX_SET) != 0) { rex[fd >> 6] |= bit; count++; }
        }
        return count;
    }

    private static boolean isSet(long[] set, int fd) {
        return set != null && (set[fd >> 6] & (1L << (fd & 63))) != 0;
    }

    private static long[] readSet(UserMemory mem, long addr, int words) {
        if (addr == 0) return null;
        byte[] b = mem.read(addr, 8 * words);
        long[] set = new long[words];
        for (int i = 0; i < words; i++) set[i] = Bytes.i64(b, 8 * i);
        return set;
    }

    private static void writeSet(UserMemory mem, long addr, long[] set) {
        if (addr == 0) return;
        byte[] b = new byte[8 * set.length];
        for (int i = 0; i < set.length; i++) Bytes.write(b, 8 * i, 8, set[i]);
        mem.write(addr, b);
    }

    // ---------------------------------------------------------------- epoll

    long epollCreate1(GuestThread t, int flags) {
        if ((flags & ~EPOLL_CLOEXEC) != 0) throw new GuestError(Errno.EINVAL);
        Epoll ep = new Epoll(kernel.readiness, ANON_INODES.incrementAndGet());
        return t.process.fds.add(ep, (flags & EPOLL_CLOEXEC) != 0);
    }

    long epollCtl(GuestThread t, int epfd, int op, int fd, long eventAddr) {
        int events = 0;
        long data = 0;
        if (op != Epoll.CTL_DEL) {
            byte[] b = t.memory().read(eventAddr, Epoll.EVENT_SIZE);
            events = Bytes.i32(b, 0);
            data = Bytes.i64(b, 8);
        }
        FdTable fds = t.process.fds;
        OpenFile epFile = fds.get(epfd);
        OpenFile target = fds.get(fd);
        if (!target.pollable()) throw new GuestError(Errno.EPERM);
        if (!(epFile instanceof Epoll ep) || epFile == target) throw new GuestError(Errno.EINVAL);
        if ((events & Epoll.EPOLLEXCLUSIVE) != 0 && op == Epoll.CTL_ADD) {
            int allowed = Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLERR | Epoll.EPOLLHUP | Epoll.EPOLLWAKEUP
                    | Epoll.EPOLLET | Epoll.EPOLLEXCLUSIVE;
            if ((events & ~allowed) != 0 || target instanceof Epoll) throw new GuestError(Errno.EINVAL);
        }
        ep.control(op, fd, target, events, data);
        return 0;
    }

    long epollPwait(GuestThread t, int epfd, long eventsAddr, int maxEvents, int timeoutMs, long maskAddr,
                    long sigsetSize) {
        if (maxEvents <= 0 || maxEvents > Integer.MAX_VALUE / Epoll.EVENT_SIZE) throw new GuestError(Errno.EINVAL);
        OpenFile f = t.process.fds.get(epfd);
        if (!(f instanceof Epoll ep)) throw new GuestError(Errno.EINVAL);
        boolean masked = installMask(t, maskAddr, sigsetSize);
        boolean interrupted = false;
        try {
            long nanos = timeoutMs < 0 ? -1 : timeoutMs * 1_000_000L;
            @SuppressWarnings("unchecked")
            List<Epoll.Event>[] got = new List[1];
            try {
                waitFor(t, nanos, true, () -> {
                    got[0] = ep.collect(maxEvents);
                    return got[0].size();
                });
            } catch (GuestError e) {
                interrupted = e.errno == Errno.EINTR;
                throw e;
            }
            List<Epoll.Event> events = got[0];
            byte[] b = new byte[Epoll.EVENT_SIZE * events.size()];
            for (int i = 0; i < events.size(); i++) {
                Bytes.write(b, Epoll.EVENT_SIZE * i, 4, events.get(i).events());
                Bytes.write(b, Epoll.EVENT_SIZE * i + 8, 8, events.get(i).data());
            }
            t.memory().write(eventsAddr, b);
            return events.size();
        } finally {
            if (masked && !interrupted) restoreMask(t);
        }
    }

    // ---------------------------------------------------------------- eventfd

    long eventfd2(GuestThread t, int initial, int flags) {
        if ((flags & ~(EventFd.EFD_SEMAPHORE | EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC)) != 0) {
            throw new GuestError(Errno.EINVAL);
        }
        EventFd e = new EventFd(kernel.readiness, Integer.toUnsignedLong(initial), flags, ANON_INODES.incrementAndGet());
        return t.process.fds.add(e, (flags & EventFd.EFD_CLOEXEC) != 0);
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Runs {@code scan} until it finds something ready (returns non-zero), the timeout passes
     * ({@code nanos} negative: never) or a signal interrupts (EINTR). With {@code timeoutFirst}
     * (epoll) an expired wait returns 0 even with a signal pending; poll and select report the
     * signal instead, as Linux does.
     */
    private int waitFor(GuestThread t, long nanos, boolean timeoutFirst, IntSupplier scan) {
        Readiness readiness = kernel.readiness;
        boolean forever = nanos < 0 || nanos >= FOREVER;
        long deadline = forever ? 0 : System.nanoTime() + nanos;
        while (true) {
            long seen = readiness.version();
            int ready = scan.getAsInt();
            if (ready != 0) return ready;
            long left = forever ? -1 : deadline - System.nanoTime();
            boolean expired = !forever && left <= 0;
            if (expired && timeoutFirst) return 0;
            if (t.process.exiting || t.killed || t.hasInterruptingSignal()) throw new GuestError(Errno.EINTR);
            if (expired) return 0;
            try {
                readiness.await(seen, left);
            } catch (InterruptedException e) {
                // A signal or an exit request; or a wake-up meant for another thread: then look again.
                GuestThread.onInterrupt();
            }
        }
    }

    /** Installs a temporary signal mask (ppoll's, pselect6's, epoll_pwait's); false if none given. */
    private static boolean installMask(GuestThread t, long maskAddr, long sigsetSize) {
        if (maskAddr == 0) return false;
        if (sigsetSize != 8) throw new GuestError(Errno.EINVAL);
        long mask = t.memory().readLong(maskAddr);
        t.savedMask = t.blocked;
        t.blocked = mask & ~Signal.UNBLOCKABLE;
        return true;
    }

    /** Puts back the caller's mask after a wait that ended without EINTR (a pending signal stays pending). */
    private static void restoreMask(GuestThread t) {
        if (t.savedMask != null) {
            t.blocked = t.savedMask;
            t.savedMask = null;
        }
    }

    /** ppoll and pselect6 write back the time left, as Linux does (unless the timeout was zero or absent). */
    private static void writeRemaining(UserMemory mem, long timeoutAddr, long nanos, long start) {
        if (timeoutAddr == 0 || nanos <= 0) return;
        long left = Math.max(0, nanos - (System.nanoTime() - start));
        try {
            TimeCalls.writeTimespec(mem, timeoutAddr, left);
        } catch (GuestError unwritable) {
            // Linux ignores a failure to update the timeout.
        }
    }
}
