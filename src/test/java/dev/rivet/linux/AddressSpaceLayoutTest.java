package dev.rivet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.Hart;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where a process's mappings go, as the process VM's direct-mapped data TLB sees them. */
class AddressSpaceLayoutTest {
    private static final long MIB = 1L << 20;

    private static long tlbEntry(long va) {
        return (va >>> 12) & (Hart.USER_TLB_SIZE - 1);
    }

    @Test
    void theFirstMappingsShareNoDataTlbEntryWithTheStack() {
        AddressSpace space = new AddressSpace(new MemoryBudget(0));
        long stackBottom = ProgramLoader.STACK_TOP - ProgramLoader.STACK_SIZE;
        space.map(stackBottom, ProgramLoader.STACK_SIZE, Vma.PROT_READ | Vma.PROT_WRITE, false, null, 0, "[stack]");
        Set<Long> stackEntries = new HashSet<>();
        for (long va = stackBottom; va < ProgramLoader.STACK_TOP; va += AddressSpace.PAGE) stackEntries.add(tlbEntry(va));

        // The first mappings a program makes (its dynamic linker and libraries, then a malloc'ed
        // buffer): 23 MiB placed top-down, as mmap without an address places them.
        long placed = 0;
        for (long size : new long[] {2 * MIB, 1 * MIB, 19 * MIB + 12 * 4096, MIB - 12 * 4096}) {
            long start = space.findFree(size);
            assertThat(start).as("a free range for %d bytes", size).isPositive();
            space.map(start, size, Vma.PROT_READ | Vma.PROT_WRITE, false, null, 0, "");
            for (long va = start; va < start + size; va += AddressSpace.PAGE) {
                assertThat(stackEntries).as("TLB entry of mapped page %x", va).doesNotContain(tlbEntry(va));
            }
            placed += size;
        }
        assertThat(placed).isEqualTo(23 * MIB);
    }
}
