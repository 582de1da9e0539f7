package dev.rivet.jit;

import dev.rivet.mem.Page;
import java.util.BitSet;

/**
 * The translator's state for one physical page of code (kept in {@link Page#jitCache}): how often
 * each possible block start was entered from the interpreter, which starts are hot, and the
 * compiled region by slot. It belongs to one version of the page's decoded code: when a store
 * drops the decoded code, this is dropped with it.
 */
final class PageCode implements Page.Translations {
    final Page page;
    /** The page's decoded-slot array this was made for: a different one means the bytes changed. */
    final Object version;
    /** Region by slot (page offset / 2), null until a region is installed. */
    volatile CompiledRegion[] entries;
    /**
     * Per slot: the entries the interpreter counted there (low 16 bits) and the page's entry clock
     * at the last one (high 16 bits). Lazily allocated: most pages never get hot.
     */
    private int[] tally;
    /** Entries counted on this page, modulo 2^16: the clock of {@link #tally}. */
    private char clock;
    /** Hot block starts (byte offsets) to translate; guarded by this. */
    final BitSet wanted = new BitSet(Page.SIZE);
    /**
     * The page the hart that made a start hot mapped after this one, executable and holding code,
     * and its code version then: a translation may follow control flow into it (see
     * {@link Region}); null if none was. Guarded by this.
     */
    Page next;
    Object nextVersion;
    /** Queued for the compiler thread; guarded by this. */
    boolean queued;
    /** Code run in U-mode (a program's) was counted here: covering translations are for such pages. */
    volatile boolean userCode;
    /** Translations made for this page version; bounds recompilation. */
    int compiles;
    /** The last translation covered: it added regions and replaced none (see {@link #count}). */
    volatile boolean covering;
    /** Regions made for this page version, for reuse (see {@link Translator#translate}). */
    final java.util.Map<String, Translator.Result> made = new java.util.concurrent.ConcurrentHashMap<>();

    /** Every region installed for this page version, entered in jump caches or not; guarded by this. */
    private final java.util.List<CompiledRegion> regions = new java.util.ArrayList<>();
    /** The page's code changed: nothing installed here may run again; guarded by this. */
    private boolean discarded;

    PageCode(Page page, Object version) {
        this.page = page;
        this.version = version;
    }

    /** Records a region installed here (the code cache's part), discarded at once if this is. */
    synchronized void installed(CompiledRegion region) {
        region.page = page;
        region.code = (long[]) version;
        regions.add(region);
        if (discarded) region.discarded = true;
    }

    /** The page's instructions changed: nothing installed here, now or later, runs again. */
    @Override
    public synchronized void discard() {
        discarded = true;
        dropRegions();
    }

    /** The code cache dropped this page's regions (the page may be translated again). */
    synchronized void dropRegions() {
        for (CompiledRegion region : regions) region.discarded = true;
        regions.clear();
    }

    /**
     * Counts an entry at {@code slot}; true when it has just become hot. Each translation of the page
     * that replaces regions doubles the count needed (up to 64 times, and to 65535 entries at
     * most: counts are 16 bits), so a page whose entries get hot one after the other is not
     * translated over and over: every such translation restarts HotSpot's warm-up of the region.
     * A page whose last translation covered (added regions for starts no region served, see
     * {@link PageTranslator}) keeps the count: its next translation replaces nothing, and code that
     * gets hot later, such as a program's main loops after its set-up, waited twice as long for
     * each translation before it in the interpreter (sha256's hashing: 2.65 s against 2.69, interp
     * 2.09 against 2.16, nbody 2.46 against 2.59; faster in 3, 4 and 3 of 4 alternating runs;
     * sieve even, matmul 3.45 against 3.41, 1 of 4, with the same regions). Races only lose counts.
     */
    boolean count(int slot, int threshold) {
        int[] t = tally;
        if (t == null) tally = t = new int[Page.SIZE / 2];
        char now = ++clock;
        int n = countOf(t[slot]) + 1;
        int needed = covering ? threshold : threshold << Math.min(compiles, 6);
        if (n < Math.min(65535, needed)) {
            t[slot] = now << 16 | n;
            return false;
        }
        t[slot] = now << 16 | 1;
        return true;
    }

    /** Bits of a slot number (page offset / 2). */
    private static final int SLOT_BITS = Integer.numberOfTrailingZeros(Page.SIZE / 2);

    /**
     * The block starts to translate, as byte offsets, most wanted first: hot starts no region covers
     * yet, then the other hot ones, then starts entered only a few times so far, most entered first
     * (translating those now saves translating again later), whether an earlier region covers them
     * or not: a new region replaces the earlier ones at its entries, and one that left out what they
     * had would split the page's hot code between regions (a switch whose cases are half in one
     * region and half in another goes through the dispatcher at every other case). Regions are
     * size-limited, so the order decides what is in: warm code such as the other cases of a hot
     * switch must come before code that ran a few times at start-up.
     */
    int[] entriesByPriority() {
        BitSet hot;
        synchronized (this) {
            hot = (BitSet) wanted.clone();
        }
        CompiledRegion[] table = entries;
        // A copy: the interpreter goes on counting, and a sort by counts that change under it fails.
        int[] c = tally == null ? null : tally.clone();
        int[] order = new int[Page.SIZE / 2];
        int n = 0;
        // Set bits only, and the warm starts sorted as primitive keys: this runs for every region
        // a translation makes, and in a boot (no on-stack replacement) mostly in the JVM's
        // bytecode interpreter, where three passes over every slot and a sort of boxed offsets
        // took a tenth of the translator's time.
        for (int pass = 0; pass < 2; pass++) {
            for (int off = hot.nextSetBit(0); off >= 0; off = hot.nextSetBit(off + 1)) {
                boolean covered = table != null && table[off >>> 1] != null;
                if (covered == (pass == 1)) order[n++] = off;
            }
        }
        if (c != null) {
            // Warm starts by count, highest first, then by address: the count's complement above
            // the slot, so that one ascending sort of the keys gives that order.
            int first = n;
            for (int s = 0; s < Page.SIZE / 2; s++) {
                int count = countOf(c[s]);
                if (count != 0 && !hot.get(s << 1)) order[n++] = (0xffff - count) << SLOT_BITS | s;
            }
            java.util.Arrays.sort(order, first, n);
            for (int k = first; k < n; k++) order[k] = (order[k] & (1 << SLOT_BITS) - 1) << 1;
        }
        return java.util.Arrays.copyOf(order, n);
    }

    /**
     * The starts a covering translation takes (see {@code PageTranslator}), as byte offsets in the
     * order of {@code ranked} (what {@link #entriesByPriority} returned): those no region serves
     * ({@code served}) and not yet {@code tried}, that are hot, or warm: entered {@code minEntries}
     * times or more outside every installed region ({@code inside}: a start inside one is reached
     * from its region's entries), the last time no more than {@code recent} entries of this page
     * ago. A loop a program ran before its main work (the C runtime's relocations at start-up) is
     * entered often enough, but long before: a region for it, made first as its count is higher,
     * delayed the region of the loop nest that had just got hot by the time a cold translator
     * takes for a region (25-40 ms).
     */
    int[] startsToCover(int[] ranked, BitSet served, BitSet inside, BitSet tried, int minEntries, int recent) {
        BitSet hot;
        synchronized (this) {
            hot = (BitSet) wanted.clone();
        }
        int[] starts = new int[ranked.length];
        int n = 0;
        for (int off : ranked) {
            if (served.get(off) || tried.get(off)) continue;
            if (hot.get(off) || entered(off) >= minEntries && entriesSince(off) <= recent && !inside.get(off)) {
                starts[n++] = off;
            }
        }
        return java.util.Arrays.copyOf(starts, n);
    }

    /** Entries counted on this page since the last one at byte offset {@code off} (modulo 2^16). */
    int entriesSince(int off) {
        int[] t = tally;
        return t == null ? Integer.MAX_VALUE : (char) (clock - (t[off >>> 1] >>> 16));
    }

    /** Entries the interpreter counted at byte offset {@code off} since it last got hot (races only lose counts). */
    int entered(int off) {
        int[] t = tally;
        return t == null ? 0 : countOf(t[off >>> 1]);
    }

    /** The entry count of a {@link #tally} element. */
    private static int countOf(int tallied) {
        return tallied & 0xffff;
    }
}
