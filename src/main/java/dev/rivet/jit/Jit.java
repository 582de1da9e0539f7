package dev.rivet.jit;

import dev.rivet.cpu.CompiledCode;
import dev.rivet.cpu.Hart;
import dev.rivet.cpu.Insn;
import dev.rivet.cpu.JitAccess;
import dev.rivet.cpu.MachineState;
import dev.rivet.cpu.StaticCallees;
import dev.rivet.mem.Page;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The translator: counts block entries from the interpreter, translates the hot code of a page
 * into JVM bytecode (on a background compiler thread, or at once in eager mode), and runs it.
 * One instance serves every hart of a machine or sandbox: translations are kept with the physical
 * page ({@link Page#jitCache}), so threads, processes sharing pages and context switches reuse them.
 *
 * <p>As {@link CompiledCode} it is the interpreter's dispatcher: from the current pc it looks up
 * the region in the page's slot table and runs it, then the next one, until it reaches code that is
 * not translated, the budget is spent, or the hart needs attention. The call of a region is the one
 * megamorphic call; inside a region, blocks branch to each other with JVM gotos.
 */
public final class Jit implements CompiledCode, AutoCloseable {
    /**
     * The classes whose static methods the dispatcher ({@link #execute}, {@link #runRegions},
     * {@link #callNested}) calls, initialized with this class: C2 compiles a call to a static
     * method of a class not yet initialized as a trap, and execute is compiled before the first
     * region exists (see {@code Interpreter.STATIC_CALLEES}).
     */
    static final List<Class<?>> STATIC_CALLEES = List.of(CompiledRegion.class, JitAccess.class);

    static {
        StaticCallees.initialize(STATIC_CALLEES);
    }

    final JitConfig config;
    final JitStats stats = new JitStats();
    private final PageTranslator translator;
    private final CodeCache cache;
    private final LinkedBlockingQueue<PageCode> queue = new LinkedBlockingQueue<>();
    private Thread compilerThread;
    private boolean closed;

    public Jit(JitConfig config) {
        this.config = config;
        this.cache = new CodeCache(config.maxRegions(), stats);
        this.translator = new PageTranslator(config, stats, cache);
        // The harts come first on the host's cores, HotSpot's compilations of their code second.
        if (config.compilersBelowHarts()) CompilerPriority.lowerInBackground();
    }

    /** Makes the hart run translated code where there is some. */
    public void attach(Hart h) {
        h.compiled = this;
    }

    @Override
    public long execute(Hart h, long budget, boolean branchedTo) {
        // What the interpreter does next must come first: stop, take an interrupt, or not fetch at
        // all (a fetch here could fault where the interpreter would not have fetched).
        if (budget <= 0 || JitAccess.attention(h)) return 0;
        if (JitAccess.jumpPcs(h) == null) JitAccess.attachJumpCaches(h, CompiledRegion[]::new);
        JitAccess.syncJumpCaches(h, cache.installs());
        long start = h.instret;
        try {
            runRegions(h, budget, branchedTo, NO_RETURN, null);
        } finally {
            long ran = h.instret - start;
            h.translatedRetired += ran;
        }
        return h.instret - start;
    }

    /**
     * Whether a program's region may hold code of the page after its own (-Drivet.jit.crossPages):
     * a loop that crosses the end of its page then runs inside one region instead of leaving a
     * region on each trip (see {@link Region}). Not a machine's: its harts flush their TLBs at
     * every satp write, and a region whose next page is not in the fetch TLB is not entered.
     */
    static final boolean CROSS_PAGES = Boolean.parseBoolean(System.getProperty("rivet.jit.crossPages", "true"));

    /** Guest calls run nested in each other at most (each a few JVM frames deep). */
    static final int MAX_CALL_DEPTH = Integer.getInteger("rivet.jit.callDepth", 16);
    /** A {@code returnPc} that no pc equals (pcs are even). */
    private static final long NO_RETURN = -1;

    /**
     * Runs a guest call that translated code makes (see {@link CompiledRegion#call}) until it
     * returns to {@code returnPc}, as the dispatcher would run it; returns the budget the caller
     * has left, or -1 when the caller is to leave (nothing is nested that deep, or the callee
     * stopped: a trap, an access or code left to the interpreter, the budget, attention).
     */
    int callNested(CompiledRegion caller, Hart h, long target, long returnPc, int left) {
        h.pc = target;
        // Too deep: the caller leaves with its own count, and the dispatcher goes on with the callee.
        if (h.callDepth >= MAX_CALL_DEPTH) return -1;
        h.instret += h.regionLimit - left;
        long start = h.instret;
        h.callDepth++;
        try {
            if (runRegions(h, left, false, returnPc, caller)) {
                int rest = left - (int) (h.instret - start);
                h.regionLimit = rest;
                h.nestedCalls++;
                return rest;
            }
            // Everything that ran is counted: the caller leaves counting nothing more.
            h.regionLimit = left;
            return -1;
        } finally {
            h.callDepth--;
        }
    }

    /**
     * Calls the regions where the hart's pc goes, at most {@code budget} instructions, until pc
     * is {@code returnPc} with {@code caller}'s code still valid (true; {@code caller} is null for
     * the dispatcher's own loop, {@code branchedTo} is for its first lookup), or translated code
     * stops (false): no region there, too little budget, attention, a region that left to the
     * interpreter. Each region is called with the hart's {@link Hart#regionLimit} set to its
     * limit, and its result counted against that field after it returned, which a nested call
     * inside it has moved on. The caller's code is gone only when its page's code changed (a
     * store of this hart's, left to the interpreter, or a fence.i: both stop the callee first) or
     * the code cache dropped it: then this loop goes on at the return point as the dispatcher
     * would, and the caller leaves once it stops.
     */
    private boolean runRegions(Hart h, long budget, boolean branchedTo, long returnPc, CompiledRegion caller) {
        long start = h.instret;
        while (true) {
            long pc = h.pc;
            if (pc == returnPc && !caller.discarded) return true;
            int slot = ((int) pc & (int) Page.OFFSET_MASK) >>> 1;
            CompiledRegion region = cachedJump(h, pc);
            if (region == null) {
                // A nested call's target is where its caller's region left, as is every later pc.
                region = lookup(h, slot, branchedTo, caller != null || h.instret != start);
                if (region == null) return false;
                JitAccess.cacheJump(h, region);
            }
            long base = pc & ~Page.OFFSET_MASK, result;
            int limit = CompiledRegion.limit(budget - (h.instret - start));
            // Too little budget left for the region's first stretch: the interpreter ends the slice.
            if (limit < region.entryReach) return false;
            if (region.nextPage != null && !nextPageAsTranslated(h, pc, region)) return false;
            h.regionCalls++;
            h.regionLimit = limit;
            try {
                result = region.run(h, base, slot, limit);
            } catch (CompiledRegion.Trapped t) {
                throw t.rethrow(region, h, base, h.regionLimit);
            }
            // A memory access left to the interpreter: pc is at it, the interpreter performs it.
            if (CompiledRegion.leftAccess(result)) h.memoryExits++;
            if (!region.leave(h, base, h.regionLimit, result)) return false;
            if (JitAccess.attention(h) || h.instret - start >= budget) return false;
        }
    }

    /**
     * Whether the page after {@code pc}'s is the one {@code region} was translated with, unchanged
     * (see {@link CompiledRegion#nextPage}). If the fetch TLB maps another page there, or the same
     * page with other instructions, the region's page is translated again when it gets hot, with
     * its neighbour as it is now. If there is none (not executable, not in memory, or not in a
     * machine's fetch TLB, which is only looked at), the interpreter goes on, and faults there if
     * it gets there.
     */
    private static boolean nextPageAsTranslated(Hart h, long pc, CompiledRegion region) {
        Page mapped = JitAccess.fetchPageAfter(h, pc);
        if (mapped == region.nextPage && mapped.codeCache == region.nextVersion) return true;
        if (mapped != null) region.page.dropTranslations();
        return false;
    }

    /**
     * The region the jump cache (see JumpCache) holds for {@code pc}, made the fetch page's; null
     * if none. The region is read only after its pc matched: most of the interpreter's calls (one
     * at each jump it takes) find nothing, and an unneeded read of a cold entry slowed boots.
     */
    private static CompiledRegion cachedJump(Hart h, long pc) {
        int jump = JitAccess.jumpIndex(pc);
        if (JitAccess.jumpPcs(h)[jump] != pc) return null;
        CompiledRegion region = ((CompiledRegion[]) JitAccess.jumpTargets(h))[jump];
        if (region.discarded) return null;
        JitAccess.enterFetchPage(h, region.page, region.code);
        return region;
    }

    /**
     * The region installed at {@code slot} of the page of {@code h.pc}, through the fetch TLB; null
     * where none starts, after counting the entry there ({@code leftRegion}: as an exit of
     * translated code; else as where the interpreter asked, if {@code branchedTo}).
     */
    private CompiledRegion lookup(Hart h, int slot, boolean branchedTo, boolean leftRegion) {
        Page page = JitAccess.codePage(h);
        Object version = JitAccess.codeVersion(h);
        PageCode code = page.jitCache instanceof PageCode known && known.version == version ? known : fresh(page, version);
        CompiledRegion[] entries = code.entries;
        CompiledRegion region = entries == null ? null : entries[slot];
        if (region == null) {
            boolean user = h.userOnly || h.machine.priv == MachineState.PRV_U;
            int threshold = h.userOnly ? programThreshold() : !user ? config.threshold() : config.userThreshold();
            if (user && !code.userCode) code.userCode = true;
            if (leftRegion) countExit(h, code, slot, threshold);
            else if (branchedTo || config.everyStart()) count(h, code, slot, threshold);
        }
        return region;
    }

    /** Translations installed before a program's threshold has risen by its base value (-Drivet.jit.thresholdStep). */
    static final int THRESHOLD_STEP = Integer.getInteger("rivet.jit.thresholdStep", 50);

    /**
     * A program's translation threshold: the base threshold, raised by itself for every
     * {@link #THRESHOLD_STEP} translations installed so far (at most 65535, the most a count
     * holds), when translating in the background. A program whose hot code is a few loops (the
     * C benchmarks: 3 to 10 translations) has them translated at the base; one with a large body
     * of lukewarm code, such as the Go runtime's scheduler, allocator and collector (170 to 450
     * translations), no longer keeps HotSpot's compilers busy through its whole run with code
     * that repays its translation late. Synchronous translation (tests, lock-step runs) keeps the
     * base, which is what makes it deterministic.
     */
    private int programThreshold() {
        return programThreshold(config.threshold(), config.background() ? cache.installs() : 0);
    }

    /** {@link #programThreshold()} from the base threshold and the translations installed so far. */
    static int programThreshold(int base, long installed) {
        return (int) Math.min(65535, base + base * installed / THRESHOLD_STEP);
    }

    /**
     * Counts an entry where the program's control went: a jump or branch the interpreter took, or
     * an exit of translated code ({@link #countExit}). Where a slice happens to start, and where
     * the interpreter goes on after translated code stopped, are not counted: a slice ends
     * anywhere, often inside a loop, and a region that stops because the budget cannot cover its
     * next loop trip leaves the rest of the slice to the interpreter. Counting those places made
     * them hot, and each made the page translated again, its loops starting HotSpot's warm-up over.
     */
    private void count(Hart h, PageCode code, int slot, int threshold) {
        if (code.count(slot, threshold)) hot(h, code, slot);
    }

    /**
     * A region left at {@code slot}, where no region starts: its target if the translator could
     * start a region there, else (an instruction left to the interpreter, such as ecall or a CSR
     * access) the instruction after it, where translated code can take over again.
     */
    private void countExit(Hart h, PageCode code, int slot, int threshold) {
        int off = slot << 1;
        long d = PageInstructions.decode(code.page, off);
        if (Region.translatable(d)) {
            count(h, code, slot, threshold);
        } else if (off + Insn.length(d) < Page.SIZE) {
            count(h, code, (off + Insn.length(d)) >>> 1, threshold);
        }
    }

    private PageCode fresh(Page page, Object version) {
        PageCode code = new PageCode(page, version);
        page.jitCache = code;
        return code;
    }

    /**
     * A block start on the page of {@code h.pc} became hot: translate its page (again, with this
     * start among the entries), and with the page {@code h} maps after it if that holds code.
     */
    private void hot(Hart h, PageCode code, int slot) {
        Page next = CROSS_PAGES && h.userOnly ? JitAccess.fetchPageAfter(h, h.pc) : null;
        Object nextVersion = next == null ? null : next.codeCache;
        synchronized (code) {
            code.wanted.set(slot << 1);
            if (nextVersion != null) {
                code.next = next;
                code.nextVersion = nextVersion;
            }
            if (code.queued || code.compiles >= CodeCache.MAX_COMPILES_PER_PAGE) return;
            code.queued = true;
        }
        if (!config.background()) {
            translator.translate(code);
            return;
        }
        if (!startCompilerThread()) return;
        if (PageTranslator.TRACE) PageTranslator.traceHot(code, slot << 1);
        queue.add(code);
    }

    /** Starts the background translation thread unless it runs already; false once closed. */
    private synchronized boolean startCompilerThread() {
        if (closed) return false;
        if (compilerThread != null) return true;
        compilerThread = new Thread(() -> {
            try {
                while (true) translator.translate(queue.take());
            } catch (InterruptedException stop) {
                // The machine is going away.
            }
        }, "rivet-jit");
        compilerThread.setDaemon(true);
        compilerThread.start();
        return true;
    }

    /**
     * Stops translating: the background thread finishes the page it is on, if any, and ends; pages
     * still queued are not translated. Code already installed stays runnable, so a hart may go on;
     * what gets hot from now on is left to the interpreter. Without it the thread, blocked on its
     * queue, would keep this translator and its code cache (up to {@link JitConfig#maxRegions} regions)
     * for as long as the JVM runs, after the process or machine that used it is gone.
     */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            closed = true;
            thread = compilerThread;
        }
        queue.clear();
        if (thread == null) return;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** True while the background translation thread runs: from the first hot page until {@link #close}. */
    public synchronized boolean translating() {
        return compilerThread != null && compilerThread.isAlive();
    }

    /** True when translated code for the page's current instructions is installed. */
    public static boolean hasTranslations(Page page) {
        return page.jitCache instanceof PageCode pc && pc.version == page.codeCache && pc.entries != null;
    }

    /** Counters for --stats. */
    public JitStats stats() {
        return stats;
    }

    @Override
    public void endSlice(Hart h) {
        h.translatedRetired = addTo(stats.translatedInstructions, h.translatedRetired);
        h.regionCalls = addTo(stats.regionCalls, h.regionCalls);
        h.nestedCalls = addTo(stats.nestedCalls, h.nestedCalls);
        h.memoryExits = addTo(stats.memoryExits, h.memoryExits);
    }

    /** Adds a hart's count for the slice to the shared total (if any: the add is a locked instruction); returns 0, the count's next start. */
    private static long addTo(LongAdder total, long count) {
        if (count != 0) total.add(count);
        return 0;
    }

    /** Prints the translator's counters; {@code totalInstructions}: all instructions the guest retired. */
    public void printStats(PrintStream out, long totalInstructions) {
        stats.print(out, totalInstructions);
    }
}
