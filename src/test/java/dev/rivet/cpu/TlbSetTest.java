package dev.rivet.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A TLB set's flush clears only the entries filled since the last one (a log), or all of them
 * when more were filled than the log holds: either way nothing filled may survive a flush, or a
 * guest would keep using a translation it fenced.
 */
class TlbSetTest {
    private static final byte[] PAGE = new byte[4096];

    /** Fills read and write entry {@code i} for virtual page {@code vpn}, as the hart does. */
    private static void fill(TlbSet set, int i, long vpn) {
        set.readTag[i] = vpn << 12;
        set.readBytes[i] = PAGE;
        set.writeTag[i] = vpn << 12;
        set.writeBytes[i] = PAGE;
        set.noteFilled(i);
    }

    private static void assertEmpty(TlbSet set) {
        for (int i = 0; i < set.readTag.length; i++) {
            assertThat(set.readTag[i]).as("read tag %d", i).isEqualTo(Hart.NO_PAGE);
            assertThat(set.writeTag[i]).as("write tag %d", i).isEqualTo(Hart.NO_PAGE);
            assertThat(set.readBytes[i]).as("read bytes %d", i).isNull();
            assertThat(set.writeBytes[i]).as("write bytes %d", i).isNull();
        }
    }

    @Test
    void startsEmpty() {
        assertEmpty(new TlbSet(4096, 256));
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
            byte[] other = new byte[4096];
            for (int k = 0; k < count; k++) fill(set, k, 0x1000 + k);
            set.writeBytes[3] = other;
            set.dropWritesTo(PAGE);
            for (int k = 0; k < count; k++) {
                if (k == 3) {
                    assertThat(set.writeBytes[k]).isSameAs(other);
                } else {
                    assertThat(set.writeTag[k]).as("count %d, entry %d", count, k).isEqualTo(Hart.NO_PAGE);
                    assertThat(set.writeBytes[k]).isNull();
                }
                assertThat(set.readBytes[k]).isSameAs(PAGE);
            }
        }
    }

    @Test
    void aSystemHartHasALargeUserSetAndSmallKernelSets() {
        Hart h = new Hart(0, new TestMemory(), Clock.host(), false);
        Traps.setPriv(h, MachineState.PRV_U);
        assertThat(JitAccess.readTags(h)).hasSize(Hart.SYSTEM_USER_TLB_SIZE);
        Traps.setPriv(h, MachineState.PRV_S);
        assertThat(JitAccess.readTags(h)).hasSize(Hart.SYSTEM_TLB_SIZE);
    }
}
