package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which code a region takes in when the instruction limit cannot cover all of a page's hot code. */
class RegionTest {
    static final int RA = 1, T0 = 5, T1 = 6, T2 = 7, A0 = 10;

    private static PageInstructions page(int... code) {
        return CodePages.of(code);
    }

    /**
     * A switch: a range check whose rare side calls a function (abort) on the same page, then an
     * indirect jump to the cases. The call is not followed ahead of the next wanted entry (a case),
     * whichever comes first in the page.
     */
    @Test
    void aRarelyCalledFunctionDoesNotCrowdOutTheNextEntry() {
        PageInstructions page = page(
                addi(T0, T0, 1),                     // 0: dispatch
                bltu(T1, T0, 24),                    // 4: out of range -> 28
                jalr(0, T2, 0),                      // 8: to a case
                addi(A0, A0, 1), addi(A0, A0, 2),    // 12: a case
                jal(0, -20),                         // 20: back to the dispatch
                addi(0, 0, 0),                       // 24
                jal(RA, 40),                         // 28: call the function at 68
                addi(A0, A0, 3), addi(A0, A0, 4), addi(A0, A0, 5), addi(A0, A0, 6), addi(A0, A0, 7),
                addi(A0, A0, 8), addi(A0, A0, 9), addi(A0, A0, 10), addi(A0, A0, 11),
                addi(A0, A0, 12),                    // 68: the function
                addi(A0, A0, 13), addi(A0, A0, 14), addi(A0, A0, 15), jalr(0, RA, 0));
        Region r = Region.build(page, new int[] {0, 12}, 7);
        assertThat(r.entries).containsExactly(0, 12);
        assertThat(r.covered().get(16)).isTrue();
        assertThat(r.covered().get(68)).isFalse();
        // With room to spare, the function and the code after the call come in too.
        Region all = Region.build(page, new int[] {0, 12}, 100);
        assertThat(all.covered().get(68)).isTrue();
        assertThat(all.covered().get(32)).isTrue();
    }

    /** A branch's fall-through is taken before its target when the limit cuts the walk. */
    @Test
    void theFallThroughOfABranchComesFirst() {
        PageInstructions page = page(
                beq(T0, T1, 16),                     // 0: rarely taken -> 16
                addi(A0, A0, 1), addi(A0, A0, 2), jal(0, 16), // 4: likely path -> 28
                addi(A0, A0, 3), addi(A0, A0, 4), addi(A0, A0, 5), // 16: rare path
                addi(A0, A0, 6));                    // 28
        Region r = Region.build(page, new int[] {0}, 4);
        assertThat(r.covered().get(4)).isTrue();
        assertThat(r.covered().get(12)).isTrue();
        assertThat(r.covered().get(16)).isFalse();
    }

    /**
     * Two loops one after the other: with the second loop's head served by another region (a
     * stop), a region entered at the first loop ends where the second begins, and says whether
     * the instruction limit cut code it had found.
     */
    @Test
    void aWalkStopsWhereAnotherRegionStartsAndTellsWhenTheLimitCutIt() {
        PageInstructions page = page(
                addi(A0, A0, 1), addi(T0, T0, 1), blt(T0, T1, -8),  // 0: first loop
                addi(T0, 0, 0),                                     // 12
                addi(A0, A0, 2), addi(T0, T0, 1), blt(T0, T2, -8),  // 16: second loop
                jalr(0, RA, 0));                                    // 28
        java.util.BitSet stops = new java.util.BitSet();
        stops.set(16);
        Region first = Region.build(page, new int[] {0}, 100, stops);
        assertThat(first.covered().get(12)).isTrue();
        assertThat(first.covered().get(16)).isFalse();
        assertThat(first.blocks.lastEntry().getValue().next).isEqualTo(16);
        assertThat(first.cut).isFalse();
        // A stop that is one of the entries is entered, not left.
        assertThat(Region.build(page, new int[] {0, 16}, 100, stops).covered().get(20)).isTrue();
        // Without the stop the walk goes on into the second loop; at 5 instructions it is cut there.
        assertThat(Region.build(page, new int[] {0}, 100).covered().get(28)).isTrue();
        assertThat(Region.build(page, new int[] {0}, 100).cut).isFalse();
        Region cut = Region.build(page, new int[] {0}, 5);
        assertThat(cut.cut).isTrue();
        assertThat(cut.covered().get(20)).isFalse();
        // Cut exactly at a stop is not cut: nothing the walk found was left out.
        assertThat(Region.build(page, new int[] {0}, 4, stops).cut).isFalse();
    }

    /**
     * An outer loop around two inner loops, 11 instructions in all: at a limit of 6 the region of
     * the first inner loop would take in half of the second, which the limit then lowers to leave
     * out whole; a region entered at the outer loop's head may end anywhere between the inner
     * loops (the outer loop comes back at the entry); a loop larger than any limit tried keeps
     * the limit asked for.
     */
    @Test
    void theLimitIsLoweredSoThatNoLoopIsCutInTwo() {
        PageInstructions page = page(
                addi(T0, 0, 0),
                addi(T1, 0, 0),                                      // 4: outer
                addi(A0, A0, 1), addi(T1, T1, 1), blt(T1, T2, -8),   // 8: first inner loop
                addi(T1, 0, 0),                                      // 20
                addi(A0, A0, 2), addi(T0, T0, 2), addi(T1, T1, 1), blt(T1, T2, -12), // 24: second
                addi(T0, T0, 1), blt(T0, RA, -40));                  // 40
        java.util.BitSet none = new java.util.BitSet();
        assertThat(Region.wholeLoopLimit(page, new int[] {8}, 6, none)).isEqualTo(4);
        assertThat(Region.wholeLoopLimit(page, new int[] {8}, 100, none)).isEqualTo(100);
        assertThat(Region.wholeLoopLimit(page, new int[] {4}, 6, none)).isEqualTo(5);
        assertThat(Region.wholeLoopLimit(page, new int[] {8}, 2, none)).isEqualTo(2);
    }

    /**
     * A second entry inside a loop that the limit stops the walk before: the region the limit
     * gives has the loop's first instruction but not that entry, so the loop would come back into
     * it other than at an entry. (The one-walk computation once took every entry asked for as an
     * entry of the region at every limit.)
     */
    @Test
    void anEntryTheWalkStopsBeforeIsNoEntryOfTheRegion() {
        PageInstructions page = page(
                addi(A0, A0, 1),
                addi(A0, A0, 1), blt(T0, T1, -4),                    // 4: loop
                addi(A0, A0, 1));
        java.util.BitSet none = new java.util.BitSet();
        assertThat(Region.build(page, new int[] {0, 4}, 2).entries).containsExactly(0);
        assertThat(Region.wholeLoopLimit(page, new int[] {0, 4}, 2, none)).isEqualTo(1);
    }
}
