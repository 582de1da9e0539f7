package dev.rivet.jit;

import dev.rivet.mem.Page;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Decides which regions to make of a page whose code got hot, makes them and installs them.
 *
 * <p>With {@link JitConfig#cover}, a translation of a page of user code (every page of the
 * process VM; a machine's pages where the interpreter counted U-mode code) makes regions for
 * every start of the page that no region serves yet and that is hot, or warm (entered {@link
 * JitConfig#warmEntries} times by the interpreter, lately: {@link JitConfig#recentEntries})
 * outside the regions installed, most wanted
 * first; each region stops where an installed one starts, so the loops HotSpot has compiled keep
 * their host code, and holds one loop nest at most, as two loops in one method share its
 * register locals and HotSpot's register allocation (sha256's round loop ran at 5,000-6,500
 * million instructions a second in a region with the loop before it, 7,600-7,700 alone). Code entered
 * hundreds of times while a page's first loop got hot is about to be hot itself: translated one
 * start at a time, each new region took in the loops of the earlier ones and HotSpot compiled
 * them again (sha256's page of three loops was translated 8 to 11 times, its loops compiled up to
 * six times over a second of warm-up).
 *
 * <p>Otherwise, and for a page with a switch's computed jump, a translation makes one region of
 * the hot and warm starts, most wanted first, that takes over the entries of every region it
 * covers whole: a switch's cases end up in one region, where a jump to a case stays inside it.
 */
final class PageTranslator {
    /** Hot entries inside loops translated as regions of their own, at most, per merging translation. */
    private static final int MAX_SEPARATE_ENTRIES = 4;
    /** Regions made per translation of a page for its warm code, at most. */
    private static final int MAX_COVER_REGIONS = 8;
    /**
     * -Drivet.jit.trace=true prints on stderr each block start that gets hot and each region
     * installed (see {@link #trace}), with the milliseconds since the translator started: how long
     * translations take.
     */
    static final boolean TRACE = Boolean.getBoolean("rivet.jit.trace");

    private final JitConfig config;
    private final JitStats stats;
    private final CodeCache cache;

    PageTranslator(JitConfig config, JitStats stats, CodeCache cache) {
        this.config = config;
        this.stats = stats;
        this.cache = cache;
    }

    /** Translates and installs the page's wanted entries; failures leave the page interpreted. */
    void translate(PageCode code) {
        synchronized (code) {
            code.queued = false;
            code.compiles++;
        }
        // A page whose bytes changed since is not worth the work: its code is already dropped.
        if (code.page.codeCache != code.version) return;
        Page next;
        Object nextVersion;
        synchronized (code) {
            next = code.next;
            nextVersion = code.nextVersion;
        }
        // The next page's instructions changed since it was seen: this page is translated alone.
        if (next != null && next.codeCache != nextVersion) {
            next = null;
            nextVersion = null;
        }
        long t0 = System.nanoTime();
        // Whatever fails here fails this page's translation only: the thread serves every page.
        try {
            PageInstructions page = PageInstructions.of(code.page, next, nextVersion);
            code.covering = config.cover() && code.userCode && !switchDispatched(code, page);
            if (code.covering) cover(code, page, config.warmEntries());
            else merge(code, page);
        } catch (RuntimeException | LinkageError e) {
            stats.failed.increment();
            stats.noteFailure(e);
        } finally {
            stats.translateNanos.add(System.nanoTime() - t0);
        }
    }

    /**
     * One region of the hot and warm starts, most wanted first, that takes over the entries of the
     * regions it covers whole; a hot entry inside one of its loops gets a region of its own (see
     * EntrySelection), which serves it from now on; the others wait until they are hot.
     */
    private void merge(PageCode code, PageInstructions page) {
        int[] entries = code.entriesByPriority();
        Translator.Result result = Translator.translate(page, entries, config.maxInstructions(), config.streams(),
                code.made);
        if (result == null) return;
        install(code, result, false, "");
        int alone = 0;
        for (int e : result.left()) {
            boolean hot;
            synchronized (code) {
                hot = code.wanted.get(e);
            }
            if (!hot || alone == MAX_SEPARATE_ENTRIES) continue;
            alone++;
            Translator.Result own = Translator.translate(page, new int[] {e}, config.maxInstructions(),
                    config.streams(), code.made);
            if (own == null) continue;
            install(code, own, true, " (an entry inside a loop)");
        }
    }

    /**
     * Regions for the starts no region serves: the hot ones, and the warm ones ({@code minEntries}
     * entries or more, the last one lately) outside every installed region. Each region stops
     * where an installed region starts, so the loops those regions hold keep the host code
     * HotSpot made of them.
     */
    private void cover(PageCode code, PageInstructions page, int minEntries) {
        BitSet tried = new BitSet(Page.SIZE);
        // Ranked once: each region made below serves its starts, which the filter then leaves out.
        int[] ranked = code.entriesByPriority();
        for (int n = 0; n < MAX_COVER_REGIONS; n++) {
            BitSet served = new BitSet(Page.SIZE), inside = new BitSet(Page.SIZE);
            CompiledRegion[] table = code.entries;
            if (table != null) {
                Set<CompiledRegion> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                for (int s = 0; s < table.length; s++) {
                    if (table[s] == null) continue;
                    served.set(s << 1);
                    if (seen.add(table[s])) inside.or(table[s].covered);
                }
            }
            int[] starts = code.startsToCover(ranked, served, inside, tried, minEntries, config.recentEntries());
            if (starts.length == 0) return;
            int[] ordered = loopEntryFirst(code, page, starts, served, tried);
            BitSet stops = oneLoopNest(page, ordered[0], served);
            int[] group = group(page, ordered, stops);
            // Progress: the group's first start (which a region always keeps) is served from now
            // on, or (untranslatable) given up on.
            tried.set(group[0]);
            int max = Region.wholeLoopLimit(page, group, config.maxInstructions(), stops);
            Translator.Result result = Translator.translate(page, group, max, config.streams(), code.made, stops);
            if (result == null) continue;
            for (int s : result.slots()) tried.set(s << 1);
            install(code, result, false, " (covering)");
        }
    }

    /**
     * {@code served}, and where the code of a region made for {@code start} would enter a loop nest
     * other than the first it reaches: the region stops there, and those loops get regions of
     * their own.
     */
    private BitSet oneLoopNest(PageInstructions page, int start, BitSet served) {
        FlowGraph graph = FlowGraph.of(Region.build(page, new int[] {start}, config.maxInstructions(), served));
        if (graph.loopNests < 2) return served;
        BitSet stops = (BitSet) served.clone();
        stops.or(graph.waysIntoNestsBut(graph.nestReachedFirst(graph.indexOf(start))));
        return stops;
    }

    /**
     * {@code starts} with a loop's way in first: where the first start heads a loop that the
     * interpreter also entered in the middle of a block (where no branch of the loop goes, so it
     * came from outside: a rotated loop's jump to its condition, as compilers lay out loops), the
     * most entered such place goes first. The first start got hot on the loop's back edges, and
     * a region entered there would leave the way in to a region of its own, which would run the
     * first trip and then leave to the loop's region on every entry of the loop. A way in that a
     * region serves already ({@code stops}), or that this translation {@code tried}, is not taken.
     */
    private int[] loopEntryFirst(PageCode code, PageInstructions page, int[] starts, BitSet stops, BitSet tried) {
        Region r = Region.build(page, new int[] {starts[0]}, config.maxInstructions(), stops);
        FlowGraph graph = FlowGraph.of(r);
        int head = graph.indexOf(starts[0]), wayIn = -1;
        BitSet loopCode = new BitSet(Page.SIZE);
        for (FlowGraph.Loop loop : graph.loops) {
            if (loop.header() != head) continue;
            for (int b = 0; b < graph.size(); b++) {
                if (!loop.body()[b]) continue;
                List<Integer> offsets = graph.blocks.get(b).offsets;
                for (int off : offsets) loopCode.set(off);
                for (int k = 1; k < offsets.size(); k++) {
                    int off = offsets.get(k);
                    // A way in is on this page: the code of the next one (see Region) has none.
                    if (off >= Page.SIZE || stops.get(off) || tried.get(off) || code.entered(off) == 0) continue;
                    if (wayIn < 0 || code.entered(off) > code.entered(wayIn)) wayIn = off;
                }
            }
        }
        if (wayIn < 0 || !holdsWhole(page, wayIn, loopCode, stops)) return starts;
        int way = wayIn;
        int[] first = new int[starts.length + 1];
        first[0] = way;
        int n = 1;
        for (int s : starts) if (s != way) first[n++] = s;
        return java.util.Arrays.copyOf(first, n);
    }

    /**
     * Whether a region entered at {@code wayIn} holds every instruction of {@code loopCode}: the
     * instruction limit stops its walk wherever the walk reaches it, and from a loop's way in the
     * walk may spend it on the code after the loop first. Entered there without the whole loop,
     * it would hold the loop's condition while the loop's body went to a region of its own, and
     * every trip would leave one region for the other: Go's sha256 got such a region in about
     * half its runs (its message schedule's loop, entered at its condition, left out for the
     * round loop after it), and ran at half speed, 74 instructions a region call instead of 1810.
     */
    private boolean holdsWhole(PageInstructions page, int wayIn, BitSet loopCode, BitSet stops) {
        BitSet left = (BitSet) loopCode.clone();
        left.andNot(Region.build(page, new int[] {wayIn}, config.maxInstructions(), stops).covered());
        return left.isEmpty();
    }

    /**
     * The first of {@code starts} and each later one that the region takes in whole and that
     * brings no loop nest the region does not hold already: a start whose code the instruction
     * limit would cut is left for a region of its own, as a cut loop would leave its region on
     * every trip (and an installed region is not made again); so is one whose code holds another
     * loop (see {@link #oneLoopNest}).
     */
    private int[] group(PageInstructions page, int[] starts, BitSet stops) {
        int[] group = {starts[0]};
        int nests = FlowGraph.of(Region.build(page, group, config.maxInstructions(), stops)).loopNests;
        for (int k = 1; k < starts.length; k++) {
            int[] more = java.util.Arrays.copyOf(group, group.length + 1);
            more[group.length] = starts[k];
            Region r = Region.build(page, more, config.maxInstructions(), stops);
            if (r.cut) continue;
            if (FlowGraph.of(r).loopNests > nests) continue;
            group = more;
        }
        return group;
    }

    /**
     * True when a region of the page has a computed jump that is no return (a switch's), or the
     * code its hot starts lead to has one (not its warm starts: start-up code run once, such as a
     * C runtime's jump through a function pointer, would count too): its cases then belong in one
     * region, where covering regions would be made of whichever cases fit whole, each jump to a
     * case in another region going through the dispatcher (a bytecode interpreter in the guest ran
     * at 40 % of its speed).
     */
    private boolean switchDispatched(PageCode code, PageInstructions page) {
        CompiledRegion[] table = code.entries;
        if (table != null) for (CompiledRegion r : table) if (r != null && r.computedJump) return true;
        int[] hot;
        synchronized (code) {
            hot = Ints.of(code.wanted);
        }
        return Translator.hasComputedJump(Region.build(page, hot, config.maxInstructions()));
    }

    /** Installs a region for its entries; {@code alone}: made for one entry inside a loop. */
    private void install(PageCode code, Translator.Result result, boolean alone, String why) {
        CompiledRegion region = result.region();
        cache.install(code, region, result.slots(), alone);
        if (result.reused()) {
            stats.reused.increment();
        } else {
            stats.regions.increment();
            stats.translatedGuestInstructions.add(region.instructions);
            stats.bytecodeBytes.add(region.codeLength);
            if (alone) stats.loopEntryRegions.increment();
        }
        if (TRACE) trace(code, result, why);
    }

    /** Prints a block start that got hot, queued for translation on the compiler thread. */
    static void traceHot(PageCode code, int offset) {
        System.err.printf("jit: %d ms: page %08x start %03x hot%n", millisSinceStart(), System.identityHashCode(code.page), offset);
    }

    /** When the translator's class was initialized: with the hart's first steps. */
    private static final long STARTED = System.nanoTime();

    /**
     * Milliseconds since the translator started. Not the JVM's uptime: reading that loads the JVM's
     * management classes, tens of milliseconds inside the first trace of a run.
     */
    private static long millisSinceStart() {
        return (System.nanoTime() - STARTED) / 1_000_000;
    }

    /**
     * Prints an installed region: its page (by identity, as pages have no single address), entry
     * offsets, size, the entries left to regions of their own, and what it covers.
     */
    private static void trace(PageCode code, Translator.Result result, String why) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("jit: %d ms: page %08x %s%s: %d instructions, %d bytecode bytes, entries",
                millisSinceStart(), System.identityHashCode(code.page), result.reused() ? "reused region" : "region", why,
                result.region().instructions, result.region().codeLength));
        for (int slot : result.slots()) s.append(String.format(" %03x", slot << 1));
        if (!result.left().isEmpty()) {
            s.append("; left out");
            for (int e : result.left()) s.append(String.format(" %03x", e));
        }
        s.append("; covers");
        appendRanges(s, result.region().covered);
        System.err.println(s);
    }

    /** Appends the instruction offsets of {@code covered} as ranges of adjacent instructions ("58c-5b4"). */
    private static void appendRanges(StringBuilder s, BitSet covered) {
        for (int first = covered.nextSetBit(0); first >= 0; ) {
            int last = first, next = covered.nextSetBit(first + 1);
            // Instructions are 2 or 4 bytes long: a gap of up to 4 bytes is the next instruction.
            while (next >= 0 && next - last <= 4) {
                last = next;
                next = covered.nextSetBit(next + 1);
            }
            s.append(String.format(" %03x-%03x", first, last));
            first = next;
        }
    }
}
