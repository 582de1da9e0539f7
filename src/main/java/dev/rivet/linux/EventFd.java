package dev.rivet.linux;

import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.StatEncoder;
import dev.rivet.mem.Bytes;

/**
 * An eventfd (fs/eventfd.c): a 64-bit unsigned counter. A write adds its 8-byte value; a read
 * returns the counter and zeroes it, or in semaphore mode returns 1 and decrements it. Reads block
 * while the counter is 0, writes while the sum would pass 0xfffffffffffffffe (unless non-blocking:
 * EAGAIN). Readable while the counter is non-zero, writable while at least 1 can still be added.
 */
final class EventFd extends OpenFile {
    static final int EFD_SEMAPHORE = 1, EFD_NONBLOCK = O_NONBLOCK, EFD_CLOEXEC = O_CLOEXEC;
    /** The largest value the counter may hold (ULLONG_MAX - 1), as an unsigned long. */
    private static final long MAX = 0xfffffffffffffffeL;

    private final Readiness readiness;
    private final boolean semaphore;
    private final long inode;
    /** Unsigned. */
    private long count;
    private long events;

    EventFd(Readiness readiness, long initial, int flags, long inode) {
        super("anon_inode:[eventfd]", O_RDWR | (flags & O_NONBLOCK));
        this.readiness = readiness;
        this.count = initial;
        this.semaphore = (flags & EFD_SEMAPHORE) != 0;
        this.inode = inode;
    }

    @Override
    public synchronized int read(byte[] buf, int off, int len) {
        if (len < 8) throw new GuestError(Errno.EINVAL);
        while (count == 0) {
            if (nonBlocking()) throw new GuestError(Errno.EAGAIN);
            await();
        }
        long value = semaphore ? 1 : count;
        count -= value;
        Bytes.write(buf, off, 8, value);
        changed();
        return 8;
    }

    @Override
    public synchronized int write(byte[] buf, int off, int len) {
        if (len < 8) throw new GuestError(Errno.EINVAL);
        long value = Bytes.i64(buf, off);
        if (value == -1L) throw new GuestError(Errno.EINVAL);
        // Room for value: count + value <= MAX, compared unsigned.
        while (Long.compareUnsigned(value, MAX - count) > 0) {
            if (nonBlocking()) throw new GuestError(Errno.EAGAIN);
            await();
        }
        if (value != 0) {
            count += value;
            changed();
        }
        return 8;
    }

    /** Waits on this counter's monitor; EINTR only when a signal really waits for the thread. */
    private void await() {
        try {
            wait();
        } catch (InterruptedException e) {
            GuestThread.onInterrupt();
        }
    }

    /** Called holding the lock. */
    private void changed() {
        notifyAll();
        events = readiness.changed();
    }

    @Override
    public synchronized int poll() {
        int r = 0;
        if (count != 0) r |= POLLIN;
        if (Long.compareUnsigned(count, MAX) < 0) r |= POLLOUT;
        return r;
    }

    @Override
    public boolean pollable() {
        return true;
    }

    @Override
    public synchronized long readinessEvents() {
        return events;
    }

    @Override
    public byte[] stat() {
        // An anonymous inode: no file type bits, owner read/write (fs/anon_inodes.c).
        return StatEncoder.stat(FileStat.synthetic(0600, 0, inode));
    }
}
