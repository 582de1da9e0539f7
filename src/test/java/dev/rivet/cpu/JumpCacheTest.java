package dev.rivet.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The jump cache spreads the pcs of a page, and the same offset on neighbouring pages, over
 * different entries; every flush of the TLB set, of all pages or of one, clears it, whether few
 * or many entries were filled since the last.
 */
class JumpCacheTest {
    private static final long PAGE = 0x7f12_3456_7000L;

    private static TlbSet setWithJumps() {
        TlbSet set = new TlbSet(256, 64);
        set.jumps = new JumpCache(new Object[JumpCache.SIZE]);
        return set;
    }

    private static void enter(TlbSet set, long pc) {
        set.jumps.put(pc, "code at " + pc);
    }

    private static boolean holds(TlbSet set, long pc) {
        return set.jumps.pcs[JumpCache.index(pc)] == pc;
    }

    @Test
    void thePcsOfAPageAndTheStartsOfNeighbouringPagesGetEntriesOfTheirOwn() {
        Set<Integer> onePage = new HashSet<>(), pageStarts = new HashSet<>();
        for (long pc = PAGE; pc < PAGE + 4096; pc += 2) onePage.add(JumpCache.index(pc));
        for (int k = 0; k < 64; k++) pageStarts.add(JumpCache.index(PAGE + 4096L * k));
        assertThat(onePage).hasSize(2048);
        assertThat(pageStarts).hasSize(64);
    }

    @Test
    void fencingOnePageClearsTheCache() {
        TlbSet set = setWithJumps();
        enter(set, PAGE + 0x10);
        enter(set, PAGE + 0x5000);
        set.flushPage(PAGE + 0x123);
        assertThat(holds(set, PAGE + 0x10)).isFalse();
        assertThat(holds(set, PAGE + 0x5000)).isFalse();
    }

    /** Few fills (cleared one by one from the log), as many as it holds, and more (cleared whole). */
    @Test
    void aFlushClearsEveryEntryHoweverManyWereFilled() {
        for (int filled : new int[] {3, JumpCache.LOGGED, 200}) {
            TlbSet set = setWithJumps();
            for (int k = 0; k < filled; k++) enter(set, PAGE + k * (4096L + 6));
            set.flush();
            for (long entry : set.jumps.pcs) assertThat(entry).as("after %d fills", filled).isEqualTo(Hart.NO_PAGE);
            assertThat(set.jumps.targets).as("code referenced after %d fills", filled).containsOnlyNulls();
            enter(set, PAGE);
            set.flush();
            assertThat(holds(set, PAGE)).as("the first fill after a clear").isFalse();
        }
    }

    @Test
    void aHartsJumpCachesAreThoseOfItsCurrentMode() {
        Hart h = new Hart(0, new TestMemory(), Machine.CLOCK, false);
        assertThat(h.jumpPcs).isNull();
        h.attachJumpCaches(Object[]::new);
        long[] machineMode = h.jumpPcs;
        h.machine.priv = MachineState.PRV_U;
        h.selectTlb(MachineState.PRV_U);
        assertThat(h.jumpPcs).isNotNull().isNotSameAs(machineMode);
        h.jumps.put(PAGE, "code");
        h.clearJumpCaches();
        assertThat(h.jumpPcs[JumpCache.index(PAGE)]).isEqualTo(Hart.NO_PAGE);
    }
}
