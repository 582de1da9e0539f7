package dev.rivet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.Access;
import org.junit.jupiter.api.Test;

/**
 * Which changes of an address space make the harts drop their TLB entries (the epoch moves, and
 * the system call that made the change waits for the other threads), and how its pages count
 * against the memory budget when fork shares them.
 */
class AddressSpaceChangesTest {
    private static final long AT = 0x10_0000, PAGE = AddressSpace.PAGE;
    private static final int RW = Vma.PROT_READ | Vma.PROT_WRITE;

    private final MemoryBudget budget = new MemoryBudget(0);
    private final AddressSpace space = new AddressSpace(budget);

    private void touch(AddressSpace s, long va) {
        assertThat(s.resolve(va, Access.WRITE, null)).isNotNull();
    }

    @Test
    void changesToPagesNoHartCanHaveCachedLeaveTheEpochAlone() {
        long epoch = space.mappingEpoch();
        space.map(AT, 4 * PAGE, 0, false, null, 0, "");
        assertThat(space.protect(AT, 4 * PAGE, RW)).isTrue();           // a permission added
        assertThat(space.protect(AT, 4 * PAGE, Vma.PROT_READ)).isTrue(); // taken away, nothing in memory
        space.discard(AT, 4 * PAGE);
        space.unmap(AT, 4 * PAGE);
        assertThat(space.mappingEpoch()).isEqualTo(epoch);
    }

    @Test
    void droppingOrNarrowingAPageInMemoryMovesTheEpoch() {
        space.map(AT, 4 * PAGE, RW, false, null, 0, "");
        touch(space, AT);
        long epoch = space.mappingEpoch();
        assertThat(space.protect(AT, 4 * PAGE, Vma.PROT_READ)).isTrue();
        assertThat(space.mappingEpoch()).as("write permission taken from a page in memory").isGreaterThan(epoch);

        epoch = space.mappingEpoch();
        space.discard(AT, PAGE);
        assertThat(space.mappingEpoch()).as("madvise(MADV_DONTNEED) of a page in memory").isGreaterThan(epoch);

        assertThat(space.protect(AT, 4 * PAGE, RW)).isTrue();
        touch(space, AT + PAGE);
        epoch = space.mappingEpoch();
        space.unmap(AT, 4 * PAGE);
        assertThat(space.mappingEpoch()).as("munmap of a page in memory").isGreaterThan(epoch);
    }

    @Test
    void aWriteAfterForkCopiesThePageAndMovesTheEpoch() {
        space.map(AT, PAGE, RW, false, null, 0, "");
        touch(space, AT);
        long beforeFork = space.mappingEpoch();
        AddressSpace child = space.forkCopy();
        assertThat(space.mappingEpoch()).as("fork: write entries must go").isGreaterThan(beforeFork);

        long epoch = space.mappingEpoch();
        var shared = space.resolve(AT, Access.READ, null);
        var copy = space.resolve(AT, Access.WRITE, null);
        assertThat(copy).isNotSameAs(shared);
        assertThat(child.resolve(AT, Access.READ, null)).isSameAs(shared);
        assertThat(space.mappingEpoch()).as("the parent's threads must stop reading the shared page").isGreaterThan(epoch);
    }

    /**
     * Ranges far larger than the pages in them (a Go arena): discard, mremap and munmap act on
     * exactly the pages in memory, whichever way they are found.
     */
    @Test
    void sparseRangesDropAndMoveExactlyTheirPagesInMemory() {
        long gib = 1L << 30, to = AT + 4 * gib;
        space.map(AT, gib, RW, false, null, 0, "");
        long[] touched = {AT, AT + gib / 2 + 3 * PAGE, AT + gib - PAGE};
        for (long va : touched) {
            touch(space, va);
            space.resolve(va, Access.WRITE, null).write(8, 8, va);
        }
        space.discard(AT + PAGE, gib - 2 * PAGE);        // the middle page only
        assertThat(space.isResident(touched[1])).isFalse();
        assertThat(space.isResident(touched[0])).isTrue();
        assertThat(budget.residentBytes()).isEqualTo(2 * PAGE);

        space.move(AT, gib, to);
        assertThat(space.isResident(touched[0])).isFalse();
        assertThat(space.resolve(to, Access.READ, null).read(8, 8)).isEqualTo(touched[0]);
        assertThat(space.resolve(to + gib - PAGE, Access.READ, null).read(8, 8)).isEqualTo(touched[2]);
        assertThat(space.isResident(to + gib / 2 + 3 * PAGE)).isFalse();

        space.unmap(to, gib);
        assertThat(budget.residentBytes()).isZero();
        assertThat(space.isResident(to)).isFalse();
    }

    @Test
    void aPageSharedByForkCountsOnceUntilTheLastHolderDropsIt() {
        space.map(AT, 4 * PAGE, RW, false, null, 0, "");
        for (int i = 0; i < 4; i++) touch(space, AT + i * PAGE);
        assertThat(budget.residentBytes()).isEqualTo(4 * PAGE);
        AddressSpace child = space.forkCopy();
        assertThat(budget.residentBytes()).isEqualTo(4 * PAGE);

        space.unmap(AT, 4 * PAGE);
        assertThat(budget.residentBytes()).as("the child still holds all four").isEqualTo(4 * PAGE);
        child.discard(AT, 2 * PAGE);
        assertThat(budget.residentBytes()).isEqualTo(2 * PAGE);
        child.unmap(AT, 4 * PAGE);
        assertThat(budget.residentBytes()).isZero();
    }
}
