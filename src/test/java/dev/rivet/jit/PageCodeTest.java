package dev.rivet.jit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.Hart;
import dev.rivet.mem.Page;
import org.junit.jupiter.api.Test;

/** The order in which a page's entries are offered to the translator. */
class PageCodeTest {
    private static final CompiledRegion EARLIER = new CompiledRegion() {
        @Override
        public long run(Hart h, long pcBase, int slot, int limit) {
            throw new AssertionError("not run");
        }
    };

    private static void enter(PageCode code, int offset, int times) {
        for (int i = 0; i < times; i++) code.count(offset >>> 1, 1000);
    }

    /**
     * The cases of a switch that an earlier region covers stay among the entries of the page's next
     * translation, ranked with the other warm ones by count: a region made without them would send
     * every other case through the dispatcher.
     */
    @Test
    void warmEntriesAnEarlierRegionCoversAreOfferedAgain() {
        PageCode code = new PageCode(new Page(), new Object());
        enter(code, 0x100, 900);  // the switch's first cases, covered by the earlier region
        enter(code, 0x110, 500);
        enter(code, 0x200, 700);  // a case the earlier region did not have
        enter(code, 0x300, 20);   // start-up code
        code.wanted.set(0x80);    // the dispatch: hot
        CompiledRegion[] table = new CompiledRegion[Page.SIZE / 2];
        table[0x80 >>> 1] = table[0x100 >>> 1] = table[0x110 >>> 1] = EARLIER;
        code.entries = table;
        assertThat(code.entriesByPriority()).containsExactly(0x80, 0x100, 0x200, 0x110, 0x300);
    }

    /**
     * Warm starts come after the hot ones, by count from the highest (counts go up to 65535), and
     * by address among equal counts; hot starts no region covers come first.
     */
    @Test
    void warmStartsRankByCountThenAddress() {
        PageCode code = new PageCode(new Page(), new Object());
        for (int i = 0; i < 40000; i++) code.count(0x7fe >>> 1, 65535);
        for (int i = 0; i < 30; i++) code.count(0x400 >>> 1, 65535);
        for (int i = 0; i < 30; i++) code.count(0x002 >>> 1, 65535);
        for (int i = 0; i < 31; i++) code.count(0xffe >>> 1, 65535);
        code.wanted.set(0x900);
        code.wanted.set(0x100);
        CompiledRegion[] table = new CompiledRegion[Page.SIZE / 2];
        table[0x100 >>> 1] = EARLIER;
        code.entries = table;
        assertThat(code.entriesByPriority()).containsExactly(0x900, 0x100, 0x7fe, 0xffe, 0x002, 0x400);
    }

    /**
     * The interpreter keeps counting while the translator ranks the starts (the counts are shared
     * without locks): ranking must not depend on counts that change under it (a sort whose order
     * changed midway threw, and the exception ended the translator's thread for the rest of the run).
     */
    @Test
    void rankingWhileTheInterpreterCountsNeverFails() throws Exception {
        PageCode code = new PageCode(new Page(), new Object());
        for (int off = 0; off < Page.SIZE; off += 2) enter(code, off, 1 + off % 97);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread counter = new Thread(() -> {
            java.util.Random random = new java.util.Random(1);
            while (!stop.get()) enter(code, random.nextInt(Page.SIZE / 2) * 2, 1 + random.nextInt(50));
        });
        counter.start();
        try {
            long end = System.nanoTime() + 1_500_000_000L;
            int rounds = 0;
            while (System.nanoTime() < end) {
                assertThat(code.entriesByPriority()).hasSize(Page.SIZE / 2);
                rounds++;
            }
            assertThat(rounds).isPositive();
        } finally {
            stop.set(true);
            counter.join();
        }
    }

    /**
     * After a translation, a start of a page whose translations replace regions needs twice the
     * entries to get hot; one of a page whose translation covered (added regions only) needs the
     * same number again.
     */
    @Test
    void aCoveringPageKeepsItsThresholdAReplacingOneDoublesIt() {
        PageCode replacing = new PageCode(new Page(), new Object());
        PageCode covering = new PageCode(new Page(), new Object());
        assertThat(entriesUntilHot(replacing, 0x40, 100)).isEqualTo(100);
        replacing.compiles = 1;
        covering.compiles = 1;
        covering.covering = true;
        assertThat(entriesUntilHot(replacing, 0x80, 100)).isEqualTo(200);
        assertThat(entriesUntilHot(covering, 0x80, 100)).isEqualTo(100);
    }

    private static int entriesUntilHot(PageCode code, int slot, int threshold) {
        int n = 1;
        while (!code.count(slot, threshold)) n++;
        return n;
    }

    /**
     * A warm start is taken in only if it was entered recently, counted in entries on its page: a
     * loop that ran dozens of times before the program's main loop got hot is left out, one
     * entered alongside that loop is taken in; a hot start always is.
     */
    @Test
    void warmStartsMustHaveBeenEnteredRecently() {
        PageCode code = new PageCode(new Page(), new Object());
        enter(code, 0x300, 40);                       // start-up code, long ago
        for (int i = 0; i < 100; i++) {
            enter(code, 0x100, 19);                   // the main loop's head
            enter(code, 0x200, 1);                    // its outer loop
        }
        code.wanted.set(0x100);
        java.util.BitSet none = new java.util.BitSet();
        assertThat(code.entriesSince(0x300)).isEqualTo(2000);
        assertThat(code.entriesSince(0x200)).isZero();
        assertThat(code.startsToCover(code.entriesByPriority(), none, none, none, 11, 1500)).containsExactly(0x100, 0x200);
        assertThat(code.startsToCover(code.entriesByPriority(), none, none, none, 11, 2000)).containsExactly(0x100, 0x200, 0x300);
        assertThat(code.startsToCover(code.entriesByPriority(), none, none, none, 11, JitConfig.NO_RECENCY)).containsExactly(0x100, 0x200, 0x300);
        assertThat(code.startsToCover(code.entriesByPriority(), none, none, none, 200, JitConfig.NO_RECENCY)).as("warm by count first")
                .containsExactly(0x100);
    }
}
