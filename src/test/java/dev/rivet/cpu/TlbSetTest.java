package dev.rivet.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.mem.Page;
import org.junit.jupiter.api.Test;

/**
 * A TLB set's flush clears only the entries filled since the last one (a log), or all of them
 * when more were filled than the log holds: either way nothing filled may survive a flush, or a
 * guest would keep using a translation it fenced. An entry's host address always belongs to the
 * page the set holds for it.
 */
class TlbSetTest {
    private static final Page PAGE = new Page();

    /** Fills read and write entry {@code i} for virtual page {@code vpn}, as the hart does. */
    private static void fill(TlbSet set, int i, long vpn) {
        set.fillRead(i, vpn << 12, PAGE);
        set.fillWrite(i, vpn << 12, PAGE);
        set.noteFilled(i);
    }

    private static void assertEmpty(TlbSet set) {
        for (int i = 0; i < set.readPages.length; i++) {
            assertThat(set.readTag(i)).as("read tag %d", i).isEqualTo(Hart.NO_PAGE);
            assertThat(set.writeTag(i)).as("write tag %d", i).isEqualTo(Hart.NO_PAGE);
        }
    }

    @Test
    void startsEmpty() {
        assertEmpty(new TlbSet(4096, 256));
    }

    @Test
    void anEntryHoldsItsTagItsPageAndThePagesAddressLessTheTag() {
        TlbSet set = new TlbSet(256, 64);
        fill(set, 7, 0x12307); // entry 7 of 256: the page number's low bits
        assertThat(set.readTag(7)).isEqualTo(0x12307000L);
        assertThat(set.readAddend(7) + 0x12307678L).isEqualTo(PAGE.address + 0x678);
        assertThat(set.writeAddend(7) + 0x12307000L).isEqualTo(PAGE.address);
        assertThat(set.readPages[7]).isSameAs(PAGE);
        assertThat(set.writePages[7]).isSameAs(PAGE);
        Page copy = PAGE.copy();
        set.updateRead(0x12307, copy);
        assertThat(set.readPages[7]).isSameAs(copy);
        assertThat(set.readAddend(7) + 0x12307000L).isEqualTo(copy.address);
        set.updateRead(0x99907, PAGE); // the same entry, another page: left alone
        assertThat(set.readPages[7]).isSameAs(copy);
    }

    @Test
    void flushClearsTheLoggedEntries() {
        TlbSet set = new TlbSet(4096, 256);
        for (int k = 0; k < 100; k++) fill(set, (k * 37) & 4095, 0x1000 + k);
        set.flush();
        assertEmpty(set);
        // The log starts over: entries filled after the flush are cleared by the next one.
        fill(set, 5, 0x77);
        set.flush();
        assertEmpty(set);
    }

    @Test
    void flushClearsEverythingWhenTheLogOverflowed() {
        TlbSet set = new TlbSet(4096, 256);
        for (int k = 0; k < 3000; k++) fill(set, k, 0x1000 + k);
        set.flush();
        assertEmpty(set);
    }

    @Test
    void writesToAPageThatBecameCodeAreDroppedWhereverTheyWereLogged() {
        for (int count : new int[] {10, 2000}) {
            TlbSet set = new TlbSet(4096, 256);
            Page other = new Page();
            for (int k = 0; k < count; k++) fill(set, k, 0x1000 + k);
            set.fillWrite(3, 0x1003L << 12, other);
            set.dropWritesTo(PAGE);
            for (int k = 0; k < count; k++) {
                if (k == 3) {
                    assertThat(set.writeTag(k)).isEqualTo(0x1003L << 12);
                    assertThat(set.writePages[k]).isSameAs(other);
                } else {
                    assertThat(set.writeTag(k)).as("count %d, entry %d", count, k).isEqualTo(Hart.NO_PAGE);
                }
                assertThat(set.readTag(k)).isEqualTo((0x1000L + k) << 12);
            }
        }
    }

    @Test
    void aSystemHartHasALargeUserSetAndSmallKernelSets() {
        Hart h = new Hart(0, new TestMemory(), Clock.host(), false);
        Traps.setPriv(h, MachineState.PRV_U);
        assertThat(TlbTable.get(JitAccess.tlbTable(h), TlbTable.MASK)).isEqualTo((Hart.SYSTEM_USER_TLB_SIZE - 1) * 32L);
        Traps.setPriv(h, MachineState.PRV_S);
        assertThat(TlbTable.get(JitAccess.tlbTable(h), TlbTable.MASK)).isEqualTo((Hart.SYSTEM_TLB_SIZE - 1) * 32L);
    }

    /** Fills stream slot {@code k} as translated code does, from the entry it found. */
    private static void fillStream(TlbSet set, int k, long tag, long addend) {
        TlbTable.set(set.table, TlbTable.FILLED, 1);
        TlbTable.set(set.table, 2 * k + 1, addend);
        TlbTable.set(set.table, 2 * k, tag);
    }

    private static boolean anyStream(TlbSet set, int from, int to) {
        for (int k = from; k < to; k++) if (TlbTable.get(set.table, 2 * k) != TlbSet.NO_STREAM) return true;
        return false;
    }

    @Test
    void streamSlotsStartEmptyAndEveryDropOfEntriesEmptiesThem() {
        int slots = TlbSet.STREAM_SLOTS;
        TlbSet set = new TlbSet(256, 64);
        assertThat(anyStream(set, 0, 2 * slots)).isFalse();
        fill(set, 7, 0x12307);
        Runnable fillBoth = () -> {
            fillStream(set, 3, 0x12307000L, set.readAddend(7));
            fillStream(set, slots + 3, 0x12307000L, set.writeAddend(7));
        };
        fillBoth.run();
        set.flush();
        assertThat(anyStream(set, 0, 2 * slots)).isFalse();
        fill(set, 7, 0x12307);
        fillBoth.run();
        set.flushPage(0x5555000L); // any page: the slots do not record theirs
        assertThat(anyStream(set, 0, 2 * slots)).isFalse();
        fillBoth.run();
        set.dropUserPages();
        assertThat(anyStream(set, 0, 2 * slots)).isFalse();
        fillBoth.run();
        set.dropWritesTo(PAGE); // the page now holds code: stores must take the slow way
        assertThat(anyStream(set, slots, 2 * slots)).isFalse();
        assertThat(anyStream(set, 0, slots)).isTrue();
    }

    /**
     * A slot holds no page: the entry it was filled from keeps its page alive, so no slot may
     * outlive the page in any entry. Refilling an entry with the page it holds keeps the slots.
     */
    @Test
    void puttingAnotherPageInAnEntryEmptiesTheSlots() {
        int slots = TlbSet.STREAM_SLOTS;
        TlbSet set = new TlbSet(256, 64);
        fill(set, 7, 0x12307);
        fillStream(set, 0, 0x12307000L, set.readAddend(7));
        fillStream(set, slots, 0x12307000L, set.writeAddend(7));
        fill(set, 7, 0x12307);
        assertThat(anyStream(set, 0, 2 * slots)).isTrue();
        set.fillRead(7, 0x99907000L, PAGE.copy());
        assertThat(anyStream(set, 0, 2 * slots)).isFalse();
        assertThat(TlbTable.get(set.table, TlbTable.FILLED)).isZero();
        fillStream(set, slots, 0x12307000L, set.writeAddend(7));
        set.fillWrite(7, 0x99907000L, PAGE.copy());
        assertThat(anyStream(set, 0, 2 * slots)).isFalse();
        // Copy-on-write points a read entry at the page's copy: the slots go too.
        fill(set, 9, 0x12309);
        fillStream(set, 1, 0x12309000L, set.readAddend(9));
        set.updateRead(0x12309, PAGE.copy());
        assertThat(anyStream(set, 0, slots)).isFalse();
    }
}
