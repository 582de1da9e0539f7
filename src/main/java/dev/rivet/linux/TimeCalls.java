package dev.rivet.linux;

import dev.rivet.mem.Bytes;

/** clock_gettime, clock_getres, gettimeofday, nanosleep, clock_nanosleep, times (kernel/time). */
final class TimeCalls {
    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
            CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7;
    static final int TIMER_ABSTIME = 1;

    private final Kernel kernel;

    TimeCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Nanoseconds on the given clock. Monotonic clocks come from the kernel's {@code Clock}. */
    long now(int clock) {
        return switch (clock) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE -> {
                java.time.Instant i = java.time.Instant.now();
                yield i.getEpochSecond() * 1_000_000_000L + i.getNano();
            }
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME -> kernel.clock.nanos();
            case CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID -> kernel.clock.nanos();
            default -> {
                // Dynamic CPU clocks (negative ids, from clock_getcpuclockid/pthread_getcpuclockid).
                if (clock < 0) yield kernel.clock.nanos();
                throw new GuestError(Errno.EINVAL);
            }
        };
    }

    static void writeTimespec(UserMemory mem, long addr, long nanos) {
        byte[] b = new byte[16];
        Bytes.write(b, 0, 8, Math.floorDiv(nanos, 1_000_000_000L));
        Bytes.write(b, 8, 8, Math.floorMod(nanos, 1_000_000_000L));
        mem.write(addr, b);
    }

    /** A struct timespec as nanoseconds; EINVAL for a negative or out-of-range value. */
    static long readTimespec(UserMemory mem, long addr) {
        byte[] b = mem.read(addr, 16);
        long sec = Bytes.i64(b, 0), nsec = Bytes.i64(b, 8);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) throw new GuestError(Errno.EINVAL);
        if (sec > Long.MAX_VALUE / 1_000_000_000L - 1) return Long.MAX_VALUE;
        return sec * 1_000_000_000L + nsec;
    }

    long clockGettime(GuestThread t, int clock, long tp) {
        writeTimespec(t.memory(), tp, now(clock));
        return 0;
    }

    long clockGetres(GuestThread t, int clock, long tp) {
        now(clock);
        if (tp != 0) writeTimespec(t.memory(), tp, 1);
        return 0;
    }

    long gettimeofday(GuestThread t, long tv, long tz) {
        if (tv != 0) {
            long ns = now(CLOCK_REALTIME);
            byte[] b = new byte[16];
            Bytes.write(b, 0, 8, ns / 1_000_000_000L);
            Bytes.write(b, 8, 8, (ns % 1_000_000_000L) / 1000);
            t.memory().write(tv, b);
        }
        if (tz != 0) t.memory().write(tz, new byte[8]);
        return 0;
    }

    long nanosleep(GuestThread t, long req, long rem) {
        return clockNanosleep(t, CLOCK_MONOTONIC, 0, req, rem);
    }

    long clockNanosleep(GuestThread t, int clock, int flags, long req, long rem) {
        long ns = readTimespec(t.memory(), req);
        long start = now(clock);
        long target = (flags & TIMER_ABSTIME) != 0 ? ns : start + ns;
        while (true) {
            long left = target - now(clock);
            if (left <= 0) return 0;
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                try {
                    GuestThread.onInterrupt();
                } catch (GuestError eintr) {
                    if (rem != 0 && (flags & TIMER_ABSTIME) == 0) {
                        writeTimespec(t.memory(), rem, Math.max(0, target - now(clock)));
                    }
                    throw eintr;
                }
            }
        }
    }

    long times(GuestThread t, long buf) {
        long ticks = kernel.clock.nanos() / 10_000_000L;
        if (buf != 0) {
            byte[] b = new byte[32];
            Bytes.write(b, 0, 8, ticks);
            t.memory().write(buf, b);
        }
        return ticks;
    }
}
