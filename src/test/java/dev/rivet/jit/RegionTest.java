package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.mem.Page;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Which code a region takes in when the instruction limit cannot cover all of a page's hot code. */
class RegionTest {
    static final int RA = 1, T0 = 5, T1 = 6, T2 = 7, A0 = 10;

    private static MemorySegment page(int... code) {
        MemorySegment page = Arena.ofAuto().allocate(Page.SIZE);
        for (int i = 0; i < code.length; i++) page.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * i, code[i]);
        return page;
    }

    /**
     * A switch: a range check whose rare side calls a function (abort) on the same page, then an
     * indirect jump to the cases. The call is not followed ahead of the next wanted entry (a case),
     * whichever comes first in the page.
     */
    @Test
    void aRarelyCalledFunctionDoesNotCrowdOutTheNextEntry() {
        MemorySegment page = page(
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
        MemorySegment page = page(
                beq(T0, T1, 16),                     // 0: rarely taken -> 16
                addi(A0, A0, 1), addi(A0, A0, 2), jal(0, 16), // 4: likely path -> 28
                addi(A0, A0, 3), addi(A0, A0, 4), addi(A0, A0, 5), // 16: rare path
                addi(A0, A0, 6));                    // 28
        Region r = Region.build(page, new int[] {0}, 4);
        assertThat(r.covered().get(4)).isTrue();
        assertThat(r.covered().get(12)).isTrue();
        assertThat(r.covered().get(16)).isFalse();
    }
}
