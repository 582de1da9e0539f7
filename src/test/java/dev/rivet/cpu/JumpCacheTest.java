package dev.rivet.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The jump cache keeps every pc of a page in that page's group, so that fencing one page can
 * clear the group alone; a flush of the TLB set clears every entry; and the pcs of one page
 * spread over the group rather than piling into one entry.
 */
class JumpCacheTest {
    private static final long PAGE = 0x7f12_3456_7000L;

    private static TlbSet setWithJumps() {
        TlbSet set = new TlbSet(256, 64);
        set.jumps = new JumpCache(new Object[JumpCache.SIZE]);
        return set;
    }

    private static void enter(TlbSet set, long pc) {
        set.jumps.pcs[JumpCache.index(pc)] = pc;
    }

    private static boolean holds(TlbSet set, long pc) {
        return set.jumps.pcs[JumpCache.index(pc)] == pc;
    }

    @Test
    void everyPcOfAPageIsInItsGroup() {
        int group = JumpCache.index(PAGE) / JumpCache.GROUP_SIZE;
        for (long pc = PAGE; pc < PAGE + 4096; pc += 2) {
            assertThat(JumpCache.index(pc) / JumpCache.GROUP_SIZE).as("pc %x", pc).isEqualTo(group);
        }
        assertThat(JumpCache.index(PAGE + 4096) / JumpCache.GROUP_SIZE).isNotEqualTo(group);
    }

    @Test
    void thePcsOfAPageSpreadOverTheGroup() {
        // Function starts 64 bytes apart, and return points 4 bytes after calls 32 bytes apart.
        Set<Integer> starts = new HashSet<>(), returns = new HashSet<>();
        for (int k = 0; k < 32; k++) {
            starts.add(JumpCache.index(PAGE + 64L * k));
            returns.add(JumpCache.index(PAGE + 0x804 + 32L * k));
        }
        assertThat(starts).hasSize(32);
        assertThat(returns).hasSize(32);
    }

    @Test
    void fencingAPageClearsItsGroupAlone() {
        TlbSet set = setWithJumps();
        long other = PAGE + 0x1000;
        enter(set, PAGE + 0x10);
        enter(set, PAGE + 0xffe);
        enter(set, other + 0x10);
        set.flushPage(PAGE + 0x123);
        assertThat(holds(set, PAGE + 0x10)).isFalse();
        assertThat(holds(set, PAGE + 0xffe)).isFalse();
        assertThat(holds(set, other + 0x10)).isTrue();
    }

    @Test
    void aFlushClearsEveryEntry() {
        TlbSet set = setWithJumps();
        for (long pc = PAGE; pc < PAGE + 64 * 4096; pc += 4096 + 6) enter(set, pc);
        set.flush();
        for (long entry : set.jumps.pcs) assertThat(entry).isEqualTo(Hart.NO_PAGE);
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
        h.jumpPcs[JumpCache.index(PAGE)] = PAGE;
        h.clearJumpCaches();
        assertThat(h.jumpPcs[JumpCache.index(PAGE)]).isEqualTo(Hart.NO_PAGE);
    }
}
