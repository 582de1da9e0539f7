package dev.rivet.linux;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Instructions retired over time, sampled about every 20 ms, so that --stats can report the rate
 * once warm: over the part of the run after its first quarter of instructions (when the JVM and
 * the translator have warmed up), separately from the whole run's rate, which includes start-up.
 */
final class InstructionRate {
    private static final long INTERVAL = 20_000_000L;
    private final List<long[]> samples = new ArrayList<>();
    private long last;

    InstructionRate(long startNanos) {
        samples.add(new long[] {startNanos, 0});
        last = startNanos;
    }

    /** Notes that {@code total} instructions have retired by now. */
    synchronized void record(long total) {
        long now = System.nanoTime();
        if (now - last < INTERVAL) return;
        last = now;
        samples.add(new long[] {now, total});
    }

    /** Prints the rate after the first quarter of {@code total} instructions, ending {@code endNanos}. */
    synchronized void print(PrintStream out, long total, long endNanos) {
        for (long[] s : samples) {
            if (s[1] >= total / 4 && endNanos - s[0] > 100_000_000L) {
                out.printf("rivet: warm MIPS: %.1f (last %.0f%% of the instructions)%n",
                        (total - s[1]) / ((endNanos - s[0]) / 1e3), 100.0 * (total - s[1]) / total);
                return;
            }
        }
    }
}
