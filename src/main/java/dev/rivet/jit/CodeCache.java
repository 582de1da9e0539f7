package dev.rivet.jit;

import java.util.ArrayDeque;

/**
 * Bounds the translated code kept alive. Regions are dropped oldest first once more than
 * {@code maxRegions} are installed (their hidden classes are then unloaded by the garbage
 * collector); a page whose region was dropped is counted and translated again if it is still hot.
 */
final class CodeCache {
    /** Translations of one page version before the page stays interpreted (guards against churn). */
    static final int MAX_COMPILES_PER_PAGE = 16;

    private final int maxRegions;
    private final JitStats stats;
    private final ArrayDeque<PageCode> installed = new ArrayDeque<>();

    CodeCache(int maxRegions, JitStats stats) {
        this.maxRegions = maxRegions;
        this.stats = stats;
    }

    /**
     * Installs {@code region} for {@code code}'s page at those of {@code slots} no earlier region of
     * the page serves: a later translation was made for entries that became hot later, and may
     * cover a loop of an earlier one worse (cut by the size limit), so it does not take over. A page
     * that changed meanwhile is caught at lookup: its PageCode is no longer the page's.
     */
    synchronized void install(PageCode code, CompiledRegion region, int[] slots) {
        CompiledRegion[] old = code.entries;
        CompiledRegion[] table = old == null ? new CompiledRegion[dev.rivet.mem.Page.SIZE / 2] : old.clone();
        for (int s : slots) if (table[s] == null) table[s] = region;
        boolean replacing = old != null;
        code.entries = table;
        stats.regions.increment();
        stats.translatedGuestInstructions.add(region.instructions);
        stats.bytecodeBytes.add(region.codeLength);
        if (!replacing) installed.add(code);
        while (installed.size() > maxRegions) {
            PageCode oldest = installed.poll();
            oldest.entries = null;
            synchronized (oldest) {
                oldest.compiles = 0;
            }
            stats.evicted.increment();
        }
    }
}
