package dev.rivet.cpu;

import dev.rivet.mem.Page;
import java.util.Arrays;

/**
 * Translated code by the virtual pc it is entered at, for one privilege mode's TLB set: where the
 * dispatcher of translated code looks first, as QEMU's per-CPU jump cache serves its
 * {@code lookup_tb_ptr}. A hit is two array reads: no fetch TLB, no page, no table of the page's
 * entries. Without it a call of a region read seven objects one after another (the fetch TLB's
 * page, its decoded-code array, the page's translations and their entry table, the region), and
 * where every call went to another page (a guest's calls through function pointers) those reads
 * missed the data cache: a third of the samples of such a program were on them.
 *
 * <p>An entry is right for as long as the fetch TLB entry its pc was found through: the set
 * clears the cache whenever it drops fetch entries (a flush, or {@code sfence.vma} of one page),
 * and only a pc whose page is in the fetch TLB is entered. A translation that stops serving (its
 * page's code changed, or the code cache dropped it) is marked so by its owner and not taken
 * from here.
 *
 * <p>The index mixes the pc's offset and page bits over the whole table. Entries grouped by page
 * (so that fencing one page would clear its group alone) left the pcs of a booted guest's hot
 * pages fighting over a few groups: a third of the dispatcher's lookups in a busybox shell loop
 * found another pc in their entry, against 3 % so. Fencing one page therefore clears everything,
 * which costs little: a clear empties only the entries filled since the last one when there were
 * few (a log of {@link #LOGGED}), as a TLB set's flush does, and Linux fences in bursts (a guest
 * without ASIDs flushes at every context switch).
 */
public final class JumpCache {
    static final int SIZE = 4096;
    /** Entries filled since the last clear that a clear empties one by one; past this, all of them. */
    static final int LOGGED = 64;

    /** The pc of each entry; {@link Hart#NO_PAGE} (odd, so no pc) when empty. */
    final long[] pcs = new long[SIZE];
    /** The code entered at each entry's pc, in an array its owner made (so typed as its owner's). */
    final Object[] targets;
    private final int[] filled = new int[LOGGED];
    /** Entries filled since the last clear (more than the log holds when past {@link #LOGGED}). */
    private int fills;

    JumpCache(Object[] targets) {
        if (targets.length != SIZE) throw new IllegalArgumentException("a jump cache has " + SIZE + " entries");
        this.targets = targets;
        Arrays.fill(pcs, Hart.NO_PAGE);
    }

    /** The entry for {@code pc}: its offset bits, those of the page number folded in. */
    static int index(long pc) {
        return (int) ((pc >>> 1) ^ (pc >>> 13)) & (SIZE - 1);
    }

    /** Enters {@code target} for {@code pc}. */
    void put(long pc, Object target) {
        int i = index(pc);
        pcs[i] = pc;
        targets[i] = target;
        if (fills < LOGGED) filled[fills] = i;
        if (fills <= LOGGED) fills++;
    }

    /**
     * Empties every entry, its code reference too: a region the code cache dropped must not stay
     * reachable from here, or its class (and its batch's) would outlive the cache's bound.
     */
    void clear() {
        if (fills > LOGGED) {
            Arrays.fill(pcs, Hart.NO_PAGE);
            Arrays.fill(targets, null);
        } else {
            for (int k = 0; k < fills; k++) {
                pcs[filled[k]] = Hart.NO_PAGE;
                targets[filled[k]] = null;
            }
        }
        fills = 0;
    }
}
