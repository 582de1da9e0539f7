package dev.rivet.linux;

/**
 * A pipe's buffer (64 KiB, as Linux's default), shared by its read and write ends. Reads block
 * while it is empty and a writer remains; writes block while it is full, and fail with EPIPE (the
 * caller raises SIGPIPE) once no reader remains. Blocking is interruptible, giving EINTR.
 */
public final class Pipe {
    static final int CAPACITY = 65536;
    /** Writes of at most this many bytes are atomic (POSIX PIPE_BUF). */
    static final int PIPE_BUF = 4096;

    /** Largest size F_SETPIPE_SZ may ask for (Linux's default /proc/sys/fs/pipe-max-size). */
    static final int MAX_CAPACITY = 1 << 20;

    private byte[] ring = new byte[CAPACITY];
    private int head;
    private int count;
    private int readers = 1;
    private int writers = 1;
    /** When readiness last changed (a {@link Readiness} version), for epoll ({@link OpenFile#readinessEvents()}). */
    private long events;
    private final Readiness readiness;
    private final long inode;

    public Pipe(Readiness readiness, long inode) {
        this.readiness = readiness;
        this.inode = inode;
    }

    /** A pipe without ends yet, for a named FIFO: opens add them with {@link #addReader}/{@link #addWriter}. */
    static Pipe unopened(Readiness readiness, long inode) {
        Pipe p = new Pipe(readiness, inode);
        p.readers = 0;
        p.writers = 0;
        return p;
    }

    public long inode() {
        return inode;
    }

    synchronized void addReader() {
        readers++;
        signal();
    }

    synchronized void addWriter() {
        writers++;
        signal();
    }

    synchronized int capacity() {
        return ring.length;
    }

    /** F_SETPIPE_SZ: at least a page, rounded up to a power of two; EBUSY if the data would not fit. */
    synchronized int resize(long wanted) {
        if (wanted > MAX_CAPACITY) throw new GuestError(Errno.EPERM);
        int size = 4096;
        while (size < wanted) size <<= 1;
        if (size < count) throw new GuestError(Errno.EBUSY);
        byte[] next = new byte[size];
        for (int i = 0; i < count; i++) next[i] = ring[(head + i) % ring.length];
        ring = next;
        head = 0;
        signal();
        return size;
    }

    public synchronized int read(byte[] buf, int off, int len, boolean nonBlocking) {
        if (len == 0) return 0;
        while (count == 0) {
            if (writers == 0) return 0;
            if (nonBlocking) throw new GuestError(Errno.EAGAIN);
            waitInterruptibly();
        }
        int n = Math.min(len, count);
        for (int i = 0; i < n; i++) buf[off + i] = ring[(head + i) % ring.length];
        head = (head + n) % ring.length;
        count -= n;
        signal();
        return n;
    }

    /** Writes all of {@code len} bytes unless non-blocking (then as many as fit, or EAGAIN). */
    public synchronized int write(byte[] buf, int off, int len, boolean nonBlocking) {
        int done = 0;
        while (done < len) {
            if (readers == 0) throw new GuestError(Errno.EPIPE);
            int space = ring.length - count;
            boolean atomicWrite = len - done <= PIPE_BUF;
            if (space == 0 || (atomicWrite && space < len - done)) {
                if (nonBlocking) {
                    if (done > 0) return done;
                    throw new GuestError(Errno.EAGAIN);
                }
                try {
                    waitInterruptibly();
                } catch (GuestError eintr) {
                    // As Linux: a write interrupted after some bytes went in reports those bytes.
                    if (done > 0) return done;
                    throw eintr;
                }
                continue;
            }
            int n = Math.min(space, len - done);
            for (int i = 0; i < n; i++) ring[(head + count + i) % ring.length] = buf[off + done + i];
            count += n;
            done += n;
            signal();
        }
        return done;
    }

    /** Wakes blocked readers and writers here, and pollers everywhere. Called holding the lock. */
    private void signal() {
        notifyAll();
        events = readiness.changed();
    }

    /**
     * Waits for a change. An interruption ends the wait with EINTR only when a signal is really
     * waiting for this thread: an ignored SIGCHLD, or a signal another thread took, must not make
     * a blocking read fail.
     */
    private void waitInterruptibly() {
        try {
            wait();
        } catch (InterruptedException e) {
            GuestThread.onInterrupt();
        }
    }

    public synchronized long events() {
        return events;
    }

    public synchronized int pollReader() {
        int r = 0;
        if (count > 0) r |= OpenFile.POLLIN;
        if (writers == 0) r |= OpenFile.POLLHUP;
        return r;
    }

    /** As Linux's pipe_poll: writable while there is room, and POLLERR (besides) once no reader remains. */
    public synchronized int pollWriter() {
        int r = ring.length - count >= PIPE_BUF ? OpenFile.POLLOUT : 0;
        if (readers == 0) r |= OpenFile.POLLERR;
        return r;
    }

    public synchronized int available() {
        return count;
    }

    public synchronized void closeReader() {
        readers--;
        signal();
    }

    public synchronized void closeWriter() {
        writers--;
        signal();
    }
}
