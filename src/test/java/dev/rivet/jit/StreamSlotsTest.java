package dev.rivet.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rivet.cpu.JitAccess;
import dev.rivet.cpu.StreamSlots;
import dev.rivet.mem.HostMemory;
import dev.rivet.mem.Page;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Translated code ({@link Memory}, through {@code Unsafe}) and the CPU ({@link StreamSlots}, through
 * a view of the bytes) read and write the same longs of a stream slot.
 */
class StreamSlotsTest {
    private static final long PAGE_VA = 0x4_5000L;

    /** A TLB with no entry: an access that the slot does not serve leaves to the interpreter. */
    private static long[] emptyTlb() {
        long[] tlb = new long[2 * 64];
        Arrays.fill(tlb, -1L);
        return tlb;
    }

    private static byte[] slots() {
        byte[] s = StreamSlots.create(4 * JitAccess.STREAM_SLOTS + 1);
        for (int k = 0; k < 2 * JitAccess.STREAM_SLOTS; k++) StreamSlots.set(s, 2 * k, 0x800);
        return s;
    }

    @Test
    void aSlotFilledByTheCpuServesTranslatedLoadsAndStores() {
        Page page = new Page();
        HostMemory.putLong(page.address + 0x18, 0x1122334455667788L);
        byte[] s = slots();
        int k = 5;
        StreamSlots.set(s, 2 * k + 1, page.address - PAGE_VA);
        StreamSlots.set(s, 2 * k, PAGE_VA);
        long[] tlb = emptyTlb();
        assertThat(Memory.ld(s, k, tlb, PAGE_VA + 0x18)).isEqualTo(0x1122334455667788L);
        Memory.sd(s, k, tlb, PAGE_VA + 0x20, 42);
        assertThat(HostMemory.getLong(page.address + 0x20)).isEqualTo(42);
        // Another slot is empty: the same access takes the TLB's way, which has nothing.
        assertThatThrownBy(() -> Memory.ld(s, k + 1, tlb, PAGE_VA + 0x18)).isInstanceOf(LeaveToInterpreter.class);
    }

    @Test
    void aSlotRefilledByTranslatedCodeIsWhatTheCpuReads() {
        Page page = new Page();
        HostMemory.putInt(page.address + 0x40, 7);
        byte[] s = slots();
        long[] tlb = emptyTlb();
        // The TLB's entry for the page (index by page number, tag the page address), as cpu.TlbSet fills it.
        int entry = (int) ((PAGE_VA >>> 12) & (tlb.length / 2 - 1));
        tlb[2 * entry] = PAGE_VA;
        tlb[2 * entry + 1] = page.address - PAGE_VA;
        int k = 9;
        assertThat(Memory.lw(s, k, tlb, PAGE_VA + 0x40)).isEqualTo(7);
        assertThat(StreamSlots.get(s, 2 * k)).isEqualTo(PAGE_VA);
        assertThat(StreamSlots.get(s, 2 * k + 1)).isEqualTo(page.address - PAGE_VA);
        assertThat(StreamSlots.get(s, JitAccess.STREAMS_FILLED)).isEqualTo(1);
        assertThat(StreamSlots.get(s, 2 * (k + 1))).isEqualTo(0x800);
    }
}
