package dev.rivet.cpu;

import java.util.concurrent.locks.LockSupport;

/**
 * Makes a change to the mappings of a memory that several harts share take effect on all of them
 * before whoever made it goes on, as a TLB shootdown does on a real machine: once {@code munmap},
 * {@code madvise(MADV_DONTNEED)} or a copy-on-write copy returns, no other thread may still read
 * or write the page that was dropped. Without it a thread could go on storing into a page that
 * a madvise had just replaced by zeros, for the rest of its slice, and its writes were lost (a
 * Go program's garbage collector hands such pages out again at once).
 *
 * <p>The memory's epoch has been bumped (under its own lock, which must be released by now: a
 * hart may wait for it to fill a TLB entry). A hart that runs guest code and has not yet looked
 * at that epoch is asked for attention; it looks at its next jump in the interpreter, on entering
 * translated code, or when its slice ends (at most a slice of a translated loop later), and this
 * waits until it has. A hart outside guest code (in a system call, blocked, not started) looks at
 * the epoch before it runs guest code again ({@link Interpreter#run}), so it is not waited for.
 */
public final class TlbShootdown {
    private TlbShootdown() {}

    /**
     * How long to spin on a hart that has not synced yet (a running hart syncs within a region's
     * run, tens of microseconds), then to yield (it may be waiting for a core), before sleeping
     * {@link #PARK_NANOS} between looks. A sleep lasts at least about 60 microseconds on Linux.
     */
    private static final long SPIN_NANOS = 100_000, YIELD_NANOS = 2_000_000, PARK_NANOS = 50_000;

    /**
     * Returns once no hart of {@code harts} that uses {@code memory} can use a TLB entry made before
     * the memory's current epoch. {@code self}, the hart of the calling thread (or null), is not
     * waited for; if it was running guest code (a copy-on-write copy made by its own store), it
     * counts as outside guest code while it waits, so that two harts waiting for each other both
     * go on, and syncs before it returns.
     */
    public static void await(MemoryPort memory, Iterable<Hart> harts, Hart self) {
        long epoch = memory.mappingEpoch();
        boolean selfRunning = self != null && self.inGuestCode;
        if (selfRunning) self.inGuestCode = false;
        try {
            for (Hart h : harts) {
                if (h == self || h.memory != memory || !h.mayHoldEntriesBefore(epoch)) continue;
                h.attention = true;
                long start = System.nanoTime();
                while (h.mayHoldEntriesBefore(epoch)) {
                    long waited = System.nanoTime() - start;
                    if (waited < SPIN_NANOS) Thread.onSpinWait();
                    else if (waited < YIELD_NANOS) Thread.yield();
                    else LockSupport.parkNanos(PARK_NANOS);
                }
            }
        } finally {
            if (selfRunning) {
                self.inGuestCode = true;
                self.syncWithMemory();
            }
        }
    }
}
