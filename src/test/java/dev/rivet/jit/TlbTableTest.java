package dev.rivet.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rivet.cpu.TlbTable;
import dev.rivet.cpu.TlbTables;
import dev.rivet.mem.HostMemory;
import dev.rivet.mem.Page;
import org.junit.jupiter.api.Test;

/**
 * Translated code ({@link Memory}, through {@code Unsafe}) and the CPU ({@link TlbTable}, through
 * a view of the bytes) read and write the same longs of a TLB set's table: its stream slots and
 * its read and write entries.
 */
class TlbTableTest {
    private static final long PAGE_VA = 0x4_5000L;

    @Test
    void aSlotFilledByTheCpuServesTranslatedLoadsAndStores() {
        Page page = new Page();
        HostMemory.putLong(page.address + 0x18, 0x1122334455667788L);
        byte[] t = new TlbTables(64).table();
        int k = 5;
        TlbTable.set(t, 2 * k + 1, page.address - PAGE_VA);
        TlbTable.set(t, 2 * k, PAGE_VA);
        assertThat(Memory.ld(t, k, PAGE_VA + 0x18)).isEqualTo(0x1122334455667788L);
        Memory.sd(t, k, PAGE_VA + 0x20, 42);
        assertThat(HostMemory.getLong(page.address + 0x20)).isEqualTo(42);
        // Another slot is empty: the same access takes the TLB's way, which has nothing.
        assertThatThrownBy(() -> Memory.ld(t, k + 1, PAGE_VA + 0x18)).isInstanceOf(LeaveToInterpreter.class);
    }

    @Test
    void aSlotRefilledByTranslatedCodeIsWhatTheCpuReads() {
        Page page = new Page();
        HostMemory.putInt(page.address + 0x40, 7);
        TlbTables tlb = new TlbTables(64);
        byte[] t = tlb.table();
        tlb.fillRead(PAGE_VA, page);
        int k = 9;
        assertThat(Memory.lw(t, k, PAGE_VA + 0x40)).isEqualTo(7);
        assertThat(TlbTable.get(t, 2 * k)).isEqualTo(PAGE_VA);
        assertThat(TlbTable.get(t, 2 * k + 1)).isEqualTo(page.address - PAGE_VA);
        assertThat(TlbTable.get(t, TlbTable.FILLED)).isEqualTo(1);
        assertThat(TlbTable.get(t, 2 * (k + 1))).isEqualTo(0x800);
    }

    @Test
    void readAndWriteEntriesAreApartAndIndexedByPageNumber() {
        Page page = new Page();
        HostMemory.putLong(page.address + 0x10, 99);
        TlbTables tlb = new TlbTables(64);
        byte[] t = tlb.table();
        tlb.fillRead(PAGE_VA, page);
        assertThat(Memory.ld(t, PAGE_VA + 0x10)).isEqualTo(99);
        // Only the read half is filled: a store leaves to the interpreter.
        assertThatThrownBy(() -> Memory.sd(t, PAGE_VA + 0x10, 1)).isInstanceOf(LeaveToInterpreter.class);
        // The page 64 pages on shares the entry, and its tag does not match.
        assertThatThrownBy(() -> Memory.ld(t, PAGE_VA + 64 * 4096 + 0x10)).isInstanceOf(LeaveToInterpreter.class);
        tlb.fillWrite(PAGE_VA, page);
        Memory.sd(t, PAGE_VA + 0x10, 5);
        assertThat(Memory.ld(t, PAGE_VA + 0x10)).isEqualTo(5);
        // An access that crosses into the next page is never served by the entry.
        assertThatThrownBy(() -> Memory.ld(t, PAGE_VA + 4092)).isInstanceOf(LeaveToInterpreter.class);
    }
}
