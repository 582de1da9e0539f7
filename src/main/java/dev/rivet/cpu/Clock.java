package dev.rivet.cpu;

/**
 * Guest time. Every reading of time by a guest (the {@code time} CSR, {@code mtime},
 * {@code clock_gettime}) comes from one clock, so a run can be made deterministic by swapping it.
 */
public interface Clock {
    /** Ticks of the guest timebase per second (QEMU's virt board uses 10 MHz). */
    long TIMEBASE_HZ = 10_000_000L;

    /** Monotonic nanoseconds since the clock started. */
    long nanos();

    /** Monotonic time in timebase ticks. */
    default long ticks() {
        return nanos() / (1_000_000_000L / TIMEBASE_HZ);
    }

    /** Host monotonic time, starting at zero. */
    static Clock host() {
        long start = System.nanoTime();
        return () -> System.nanoTime() - start;
    }
}
