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
 * missed the data cache: the tables of all pages are 16 KiB arrays, whose headers share cache
 * sets.
 *
 * <p>An entry is right for as long as the fetch TLB entry its pc was found through: the set
 * clears it whenever it drops fetch entries (a flush of all, or of one page by {@code sfence.vma},
 * which clears the page's group), and only a pc whose page is in the fetch TLB is entered. A
 * translation that stops serving (its page's code changed, or the code cache dropped it) is
 * marked so by its owner and not taken from here.
 *
 * <p>Entries are grouped by page (64 groups of 32, by virtual page number), so that fencing one
 * page clears 32 entries; within a group the pc's offset bits are folded together.
 */
public final class JumpCache {
    static final int GROUPS = 64, GROUP_SIZE = 32, SIZE = GROUPS * GROUP_SIZE;

    /** The pc of each entry; {@link Hart#NO_PAGE} (odd, so no pc) when empty. */
    final long[] pcs = new long[SIZE];
    /** The code entered at each entry's pc, in an array its owner made (so typed as its owner's). */
    final Object[] targets;

    JumpCache(Object[] targets) {
        if (targets.length != SIZE) throw new IllegalArgumentException("a jump cache has " + SIZE + " entries");
        this.targets = targets;
        clear();
    }

    /** The entry for {@code pc}. */
    static int index(long pc) {
        int group = (int) (pc >>> Page.SHIFT) & (GROUPS - 1);
        int within = (int) ((pc >>> 1) ^ (pc >>> 6)) & (GROUP_SIZE - 1);
        return group * GROUP_SIZE + within;
    }

    void clear() {
        Arrays.fill(pcs, Hart.NO_PAGE);
    }

    /** Clears the group of the page at {@code vpn}, where every pc on that page has its entry. */
    void clearPage(long vpn) {
        int from = ((int) vpn & (GROUPS - 1)) * GROUP_SIZE;
        Arrays.fill(pcs, from, from + GROUP_SIZE, Hart.NO_PAGE);
    }
}
