package dev.rivet.jit;

import java.io.PrintStream;
import java.util.concurrent.atomic.LongAdder;

/** The translator's counters, printed by {@code --stats}. */
public final class JitStats {
    final LongAdder regions = new LongAdder();
    /** Regions made for one entry inside another region's loop (see EntrySelection). */
    final LongAdder loopEntryRegions = new LongAdder();
    /** Translations that came out the same as an earlier one of the page's version: that region was installed again. */
    final LongAdder reused = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder evicted = new LongAdder();
    final LongAdder translateNanos = new LongAdder();
    final LongAdder translatedGuestInstructions = new LongAdder();
    final LongAdder bytecodeBytes = new LongAdder();
    /** Guest instructions retired in translated code. */
    final LongAdder translatedInstructions = new LongAdder();
    /**
     * Calls of regions by the dispatcher: each a round trip through it (a region's exit to code
     * outside it, a jalr off the page, a slice's end), the cost translated code pays at its edges.
     */
    final LongAdder regionCalls = new LongAdder();
    /** Guest calls translated code ran nested (see Jit.callNested) and that returned to it. */
    final LongAdder nestedCalls = new LongAdder();
    /** Memory accesses translated code left to the interpreter (TLB misses, devices, faults). */
    final LongAdder memoryExits = new LongAdder();
    private volatile String firstFailure;

    void noteFailure(Throwable t) {
        if (firstFailure == null) firstFailure = t.toString();
    }

    public long regions() {
        return regions.sum();
    }

    public long loopEntryRegions() {
        return loopEntryRegions.sum();
    }

    /** Translations that found the region they asked for already made, and installed it again. */
    public long reused() {
        return reused.sum();
    }

    public long failed() {
        return failed.sum();
    }

    /** The first translation failure (a bug), or null. */
    public String firstFailure() {
        return firstFailure;
    }

    public long instructionsInTranslatedCode() {
        return translatedInstructions.sum();
    }

    /** Guest calls run nested by translated code that returned to it. */
    public long nestedCalls() {
        return nestedCalls.sum();
    }

    /** Calls of translated regions by the dispatcher. */
    public long regionCalls() {
        return regionCalls.sum();
    }

    void print(PrintStream out, long totalInstructions) {
        long inTranslated = translatedInstructions.sum();
        out.printf("jit: %d regions translated (%d guest instructions, %d bytecode bytes), %d failed, %d evicted;"
                + " %d of them for an entry inside a loop; %d reused%n", regions.sum(), translatedGuestInstructions.sum(),
                bytecodeBytes.sum(), failed.sum(), evicted.sum(), loopEntryRegions.sum(), reused.sum());
        long calls = regionCalls.sum();
        out.printf("jit: %.1f ms translating; %.1f%% of instructions ran in translated code, in %d calls of regions"
                + " (%.0f instructions a call)%n", translateNanos.sum() / 1e6,
                totalInstructions == 0 ? 0.0 : 100.0 * inTranslated / totalInstructions, calls,
                calls == 0 ? 0.0 : (double) inTranslated / calls);
        out.printf("jit: %.1f ms of it defining classes; %d memory accesses left to the interpreter; %d guest calls run"
                + " nested%n", Translator.LOAD_NANOS.sum() / 1e6, memoryExits.sum(), nestedCalls.sum());
        if (firstFailure != null) out.println("jit: first failure: " + firstFailure);
    }
}
