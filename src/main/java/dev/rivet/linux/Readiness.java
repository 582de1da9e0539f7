package dev.rivet.linux;

/**
 * One sandbox-wide signal that "some file may have become readable or writable". Pipes, event
 * counters and the console call {@link #changed()}; poll, select and epoll waiters sleep in
 * {@link #await} and re-check their files when woken. Simple and never misses a wake-up: a waiter
 * passes the version it saw before checking, so a change in between ends the wait at once.
 */
public final class Readiness {
    private long version;

    public synchronized long version() {
        return version;
    }

    /**
     * Records a change and wakes every waiter.
     * @return the new version: files keep it as a time stamp of their last change (see
     *     {@link OpenFile#readinessEvents()}), which also orders changes across files
     */
    public synchronized long changed() {
        version++;
        notifyAll();
        return version;
    }

    /**
     * Waits until the version differs from {@code seen} or {@code nanos} pass (negative: forever).
     * @throws InterruptedException when a signal interrupts the waiting thread
     */
    public synchronized void await(long seen, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (version == seen) {
            if (nanos < 0) {
                wait();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        }
    }
}
