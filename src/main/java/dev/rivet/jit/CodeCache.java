package dev.rivet.jit;

import java.util.ArrayDeque;

/**
 * Bounds the translated code kept alive. Regions are dropped oldest first once more than
 * {@code maxRegions} are installed (marked discarded, so that no jump cache enters them again, and
 * their hidden classes unloaded by the garbage collector with their batch, see
 * {@link RegionLoader}); a page whose region was dropped is counted and translated again if it is
 * still hot.
 */
final class CodeCache {
    /** Translations of one page version before the page stays interpreted (guards against churn). */
    static final int MAX_COMPILES_PER_PAGE = 16;

    private final int maxRegions;
    private final JitStats stats;
    private final ArrayDeque<PageCode> installed = new ArrayDeque<>();
    /** Installs so far: a hart empties its jump caches when this changed (JitAccess.syncJumpCaches). */
    private volatile long installs;

    CodeCache(int maxRegions, JitStats stats) {
        this.maxRegions = maxRegions;
        this.stats = stats;
    }

    /**
     * Installs {@code region} for {@code code}'s page at those of {@code slots} that no earlier region
     * serves, or that one serves whose every instruction the new region also covers. A later
     * translation was made for entries that became hot later; where it covers less of an earlier
     * region (cut by the size limit, it may miss part of a loop) the earlier one keeps its entries.
     * Where it covers all of it, it takes over: its dispatch knows the new entries too, so an
     * indirect jump to one (a switch's jump table) stays inside the region. A page that changed
     * meanwhile is caught at lookup: its PageCode is no longer the page's. {@code takeOver}: the
     * region serves its slots whatever served them before (a region made for one entry alone).
     */
    synchronized void install(PageCode code, CompiledRegion region, int[] slots, boolean takeOver) {
        CompiledRegion[] old = code.entries;
        CompiledRegion[] table = old == null ? new CompiledRegion[dev.rivet.mem.Page.SIZE / 2] : old.clone();
        java.util.Map<CompiledRegion, Boolean> subsumed = new java.util.IdentityHashMap<>();
        for (int s : slots) {
            CompiledRegion earlier = table[s];
            if (takeOver || earlier == null || subsumed.computeIfAbsent(earlier, e -> covers(region, e))) {
                table[s] = region;
            }
        }
        boolean replacing = old != null;
        code.installed(region);
        code.entries = table;
        installs++;
        if (!replacing) installed.add(code);
        while (installed.size() > maxRegions) {
            PageCode oldest = installed.poll();
            oldest.entries = null;
            oldest.dropRegions();
            synchronized (oldest) {
                oldest.compiles = 0;
                oldest.made.clear();
            }
            stats.evicted.increment();
        }
    }

    /** Translations installed so far (see {@link #installs}). */
    long installs() {
        return installs;
    }

    /** True when {@code later} translates every instruction {@code earlier} does. */
    private static boolean covers(CompiledRegion later, CompiledRegion earlier) {
        java.util.BitSet missing = (java.util.BitSet) earlier.covered.clone();
        missing.andNot(later.covered);
        return missing.isEmpty();
    }
}
