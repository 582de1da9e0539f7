package dev.rivet.jit;

/**
 * The translator's settings ({@link Jit}).
 *
 * <p>{@code threshold}: entries of a block from the interpreter before its page is
 * translated; {@code userThreshold}: the same for code a system VM's hart runs in U-mode;
 * {@code background}: translate on a compiler thread (else at once, deterministic, for tests);
 * {@code maxRegions}: translations kept before the oldest are dropped; {@code maxInstructions}:
 * guest instructions per region (the JVM compiles no method over 8000 bytecode bytes, so
 * regions are kept well below that); {@code everyStart}: count every place the dispatcher is
 * asked to start at, where a slice starts too (see {@code Jit.count}), so that with a threshold
 * of 1 all code that runs is translated, straight-line code included; {@code streams}: loads
 * and stores of loops dense in them go through stream slots (see {@code MemoryEmitter});
 * {@code cover}: a translation of a page of user code (all of a process VM's) makes regions
 * for all of its hot and warm code that no region serves yet, each stopping where an installed
 * one starts, instead of one region that takes over the earlier ones (see {@link PageTranslator});
 * {@code warmEntries}: how often the interpreter must have entered a start for such a
 * translation to take it in before it is hot; {@code recentEntries}: and how recently, at
 * most, counted in entries on its page since its last one (see {@link PageCode#startsToCover};
 * 65535 or more: no such bound); {@code compilersBelowHarts}: HotSpot's compiler threads run at a
 * lower priority than the harts (see {@link CompilerPriority}).
 */
public record JitConfig(int threshold, int userThreshold, boolean background, int maxRegions, int maxInstructions,
        boolean everyStart, boolean streams, boolean cover, int warmEntries, int recentEntries,
        boolean compilersBelowHarts) {
    public JitConfig {
        if (threshold < 1 || threshold > 65535) throw new IllegalArgumentException("threshold " + threshold);
        if (warmEntries < 1) throw new IllegalArgumentException("warm entries " + warmEntries);
        if (recentEntries < 1) throw new IllegalArgumentException("recent entries " + recentEntries);
        if (userThreshold < 1 || userThreshold > 65535) throw new IllegalArgumentException("user threshold " + userThreshold);
    }

    /**
     * As the canonical constructor, with no bound on how recently warm starts were entered and
     * HotSpot's compilers left as they are.
     */
    public JitConfig(int threshold, int userThreshold, boolean background, int maxRegions, int maxInstructions,
            boolean everyStart, boolean streams, boolean cover, int warmEntries) {
        this(threshold, userThreshold, background, maxRegions, maxInstructions, everyStart, streams, cover,
                warmEntries, NO_RECENCY, false);
    }

    /** One threshold for all code, stream slots, and translations that take over (no covering). */
    public JitConfig(int threshold, boolean background, int maxRegions, int maxInstructions, boolean everyStart) {
        this(threshold, threshold, background, maxRegions, maxInstructions, everyStart, true, false, threshold);
    }

    /** {@code recentEntries} that bounds nothing: a page's entry clock counts to 65535. */
    public static final int NO_RECENCY = 65535;

    /**
     * The process VM's defaults, each overridable by a system property (rivet.jit.threshold,
     * .regions, .insns, .streams, .cover, .warm, .recent). Warm code: entered 11 times (a 256th
     * of the threshold); at 187 (a 16th) matmul and nbody were slower in 4 of 4 alternating
     * full runs (4.41 s against 4.30, 2.62 against 2.60), sha256 and sieve faster in 3 of 4;
     * and the last time within the page's last 1500 entries (half the threshold), so that a
     * loop of the C runtime's start-up, entered dozens of times before {@code main}, gets no
     * region ahead of the program's loops: sha256 2.37 s against 2.42 (faster in 5 of 5
     * alternating runs), matmul, sieve and nbody even (2-3 of 5), interp 4 of 5. The threshold
     * is high because a new class runs in the JVM's bytecode interpreter, slower than Rivet's,
     * until HotSpot compiles it: code entered fewer times does not repay its translation.
     * HotSpot's compilers keep their priority: lowering them costs a program's start some 10 ms
     * (a program that exits at once: 0.10 s against 0.09), and the benchmarks ran even with them
     * lowered (sha256 3 of 6, sieve 4 of 6, matmul 5 of 6).
     */
    public static JitConfig defaults() {
        return withThresholds(3000, 3000, true, true, 11, 1500, false);
    }

    /**
     * The system VM's defaults: the kernel's and the firmware's code (S- and M-mode) at ten
     * times the process VM's threshold, user programs at the same (rivet.jit.threshold sets
     * every threshold). A boot runs much kernel code a few thousand times (its start-up, its
     * drivers, the system calls of the init scripts), and on a small host the translations of
     * such code and HotSpot's compilations of them take the CPU the guest needs: with all code
     * at 30000 entries instead of 3000, boots to the shell took 2.77 s instead of 3.21 s and
     * the in-guest sha256sum of 16 MiB 2.41 s instead of 3.27 s (medians of 8 alternating
     * rounds, faster in 7 and 6 of 8), but a busybox shell loop of 20,000 trips, whose code runs
     * fewer times than that, took 5.07 s instead of 4.69 s. With user code back at 3000 (8
     * more rounds, against all code at 30000) the loop took 3.87 s instead of 4.70 s (faster in
     * 6 of 8), the first sha256sum 2.31 s instead of 2.59 s (6 of 8), boots even (4 of 8).
     *
     * <p>No stream slots: a machine flushes its TLBs on every satp write and refills them
     * far more often than a program does, and each drop or refill that replaces a page clears
     * the slots. With them (6 alternating rounds of bench/boot-ab.sh) boots took 1.21 s
     * against 1.20 (faster in 2 of 6), the busybox shell loop 1.97 s against 1.90 (1 of 6),
     * the first sha256sum 0.96 s against 0.95 (1 of 6), 100 fork+exec 0.72 s against 0.76
     * (5 of 6).
     *
     * <p>Covering translations for the pages of user programs only (see PageTranslator):
     * with covering translations for the kernel's pages too (6 alternating rounds), 100
     * fork+exec took 0.82 s against 0.73 (slower in 6 of 6); for user pages only, with warm
     * code at 11 entries, fork+exec was slower in 5 of 6 and the first sha256sum in 5 of 6,
     * while the shell loop ran 1.43 s against 1.80 (6 of 6); at 750 the loop ran 1.49 s
     * against 1.37 at 187 (0 of 6), the rest even; with warm code at 187, boots took 1.24 s against 1.28 (faster in 4 of 6), the first sha256sum
     * 0.88 s against 0.96 (5 of 6), the shell loop 1.38 s against 1.85 (6 of 6), fork+exec
     * even (2 of 6). Warm code is not required to be recent, as a program's is: with the
     * process VM's bound (1500 entries of the page), the first in-guest sha256sum took 0.81 s
     * against 0.77 (faster in 1 of 6), the second 0.72 against 0.68 (1 of 6), 100 fork+exec
     * 0.68 against 0.65 (0 of 6): a guest's programs run the same code in process after
     * process, and what one process ran long ago the next runs again.
     *
     * <p>HotSpot's compiler threads below the harts (see {@link CompilerPriority}): a booted
     * guest's shell loop ran its second time in 0.830 s against 0.929 (faster in 8 of 8
     * alternating rounds), fork+exec faster in 7-8 of 8 in two of four sets.
     */
    public static JitConfig forMachines() {
        return withThresholds(30000, 3000, false, true, 187, NO_RECENCY, true);
    }

    private static JitConfig withThresholds(int threshold, int userThreshold, boolean streams, boolean cover,
            int warmEntries, int recentEntries, boolean compilersBelowHarts) {
        Integer set = Integer.getInteger("rivet.jit.threshold");
        return new JitConfig(set != null ? set : threshold, set != null ? set : userThreshold, true,
                Integer.getInteger("rivet.jit.regions", 4096), Integer.getInteger("rivet.jit.insns", 120), false,
                Boolean.parseBoolean(System.getProperty("rivet.jit.streams", Boolean.toString(streams))),
                Boolean.parseBoolean(System.getProperty("rivet.jit.cover", Boolean.toString(cover))),
                Integer.getInteger("rivet.jit.warm", warmEntries), Integer.getInteger("rivet.jit.recent", recentEntries),
                compilersBelowHarts);
    }

    /** Translate every block on its first entry, synchronously: for tests and lock-step runs. */
    public static JitConfig eager() {
        return new JitConfig(1, false, 4096, 120, true);
    }
}
