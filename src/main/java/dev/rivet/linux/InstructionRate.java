package dev.rivet.linux;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Instructions retired over time, sampled about every 20 ms, so that --stats can report the rate
 * once warm: over the part of the run after its first quarter of instructions (when the JVM and
 * the translator have warmed up), separately from the whole run's rate, which includes start-up.
 * From the two it estimates what start-up and warm-up cost: the run's time less the time its
 * instructions take at the warm rate. {@code -Drivet.stats.timeline=true} also prints the rate in
 * each 100 ms of the run (or each -Drivet.stats.timelineMs), to see where that time goes.
 */
final class InstructionRate {
    /** The timeline's step (-Drivet.stats.timelineMs, 100 ms by default); samples come at least as often. */
    private static final long TIMELINE_STEP = Long.getLong("rivet.stats.timelineMs", 100) * 1_000_000L;
    private static final long INTERVAL = Math.min(20_000_000L, TIMELINE_STEP);
    private static final boolean TIMELINE = Boolean.getBoolean("rivet.stats.timeline");
    private final List<long[]> samples = new ArrayList<>();
    private long last;

    InstructionRate(long startNanos) {
        samples.add(new long[] {startNanos, 0});
        last = startNanos;
    }

    /** Notes that {@code total} instructions have retired by now. */
    void record(long total) {
        record(total, System.nanoTime());
    }

    /** Notes that {@code total} instructions had retired at {@code now} (System.nanoTime). */
    synchronized void record(long total, long now) {
        if (now - last < INTERVAL) return;
        last = now;
        samples.add(new long[] {now, total});
    }

    /** Prints the rate after the first quarter of {@code total} instructions, ending {@code endNanos}. */
    void print(PrintStream out, long total, long endNanos) {
        print(out, total, endNanos, TIMELINE);
    }

    synchronized void print(PrintStream out, long total, long endNanos, boolean timeline) {
        long[] start = samples.get(0), end = {endNanos, total};
        for (long[] s : samples) {
            if (s[1] >= total / 4 && endNanos - s[0] > 100_000_000L) {
                double warmMips = mips(s, end);
                double seconds = (endNanos - start[0]) / 1e9, atWarmRate = total / (warmMips * 1e6);
                out.printf("rivet: warm MIPS: %.1f (last %.0f%% of the instructions)%n", warmMips, 100.0 * (total - s[1]) / total);
                // The warm rate may itself include some warm-up, so this is the least it cost.
                out.printf("rivet: start-up and warm-up: %.2f s at least (at the warm rate the run would take %.2f s of its %.2f)%n",
                        Math.max(0, seconds - atWarmRate), atWarmRate, seconds);
                break;
            }
        }
        if (timeline) out.println("rivet: MIPS per " + TIMELINE_STEP / 1_000_000L + " ms:" + timeline(end));
    }

    /** The rate in each step of the timeline up to {@code end} (the last step may be shorter). */
    private String timeline(long[] end) {
        StringBuilder line = new StringBuilder();
        long[] from = samples.get(0);
        for (long[] s : samples) {
            if (s[0] - from[0] < TIMELINE_STEP) continue;
            line.append(String.format(" %.1f", mips(from, s)));
            from = s;
        }
        if (end[0] > from[0]) line.append(String.format(" %.1f", mips(from, end)));
        return line.toString();
    }

    /** Millions of instructions a second between two samples (time, instructions retired). */
    private static double mips(long[] from, long[] to) {
        return (to[1] - from[1]) / ((to[0] - from[0]) / 1e3);
    }
}
