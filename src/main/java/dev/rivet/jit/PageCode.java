package dev.rivet.jit;

import dev.rivet.mem.Page;
import java.util.BitSet;

/**
 * The translator's state for one physical page of code (kept in {@link Page#jitCache}): how often
 * each possible block start was entered from the interpreter, which starts are hot, and the
 * compiled region by slot. It belongs to one version of the page's decoded code: when a store
 * drops the decoded code, this is dropped with it.
 */
final class PageCode {
    final Page page;
    /** The page's decoded-slot array this was made for: a different one means the bytes changed. */
    final Object version;
    /** Region by slot (page offset / 2), null until a region is installed. */
    volatile CompiledRegion[] entries;
    /** Entries from the interpreter per slot (lazily allocated: most pages never get hot). */
    private char[] counts;
    /** Hot block starts (byte offsets) to translate; guarded by this. */
    final BitSet wanted = new BitSet(Page.SIZE);
    /** Queued for the compiler thread; guarded by this. */
    boolean queued;
    /** Translations made for this page version; bounds recompilation. */
    int compiles;

    PageCode(Page page, Object version) {
        this.page = page;
        this.version = version;
    }

    /**
     * Counts an entry at {@code slot}; true when it has just become hot. Each translation of the page
     * doubles the count needed (up to 64 times), so a page whose entries get hot one after the other
     * is not translated over and over: every translation restarts HotSpot's warm-up of the region.
     * Races only lose counts.
     */
    boolean count(int slot, int threshold) {
        char[] c = counts;
        if (c == null) counts = c = new char[Page.SIZE / 2];
        int n = c[slot] + 1;
        if (n < Math.min(65535, threshold << Math.min(compiles, 6))) {
            c[slot] = (char) n;
            return false;
        }
        c[slot] = 1;
        return true;
    }

    /**
     * The block starts to translate, as byte offsets, most wanted first: hot starts no region covers
     * yet, then the other hot ones, then starts entered only a few times so far (translating those
     * now saves translating again later). Regions are size-limited, so the order decides what is in.
     */
    int[] entriesByPriority() {
        BitSet hot;
        synchronized (this) {
            hot = (BitSet) wanted.clone();
        }
        CompiledRegion[] table = entries;
        char[] c = counts;
        int[] order = new int[Page.SIZE / 2];
        int n = 0;
        for (int pass = 0; pass < 3; pass++) {
            for (int s = 0; s < Page.SIZE / 2; s++) {
                boolean isHot = hot.get(s << 1);
                boolean covered = table != null && table[s] != null;
                boolean take = switch (pass) {
                    case 0 -> isHot && !covered;
                    case 1 -> isHot && covered;
                    default -> !isHot && !covered && c != null && c[s] != 0;
                };
                if (take) order[n++] = s << 1;
            }
        }
        return java.util.Arrays.copyOf(order, n);
    }
}
