package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which entries a region's dispatch switch may take: none that gives a loop a second way in. */
class EntrySelectionTest {
    static final int T0 = 5, T1 = 6, T2 = 7, S1 = 9, A0 = 10, A1 = 11, A2 = 12, T3 = 28;

    /** Nested loops: the outer loop's head at 12, the inner loop's at 20. */
    static final int[] NESTED = {
        addi(T0, 0, 0), addi(S1, 0, 7), addi(T2, 0, 5),
        addi(T1, 0, 0), addi(A2, T0, 3),                   // 12: outer loop head
        add(A0, A0, T1), addi(T1, T1, 1), blt(T1, T2, -8), // 20: inner loop
        mul(T3, A2, S1), add(A0, A0, T3), addi(T0, T0, 1), blt(T0, A1, -32),
    };

    private static FlowGraph graph(int[] entries, int... code) {
        PageInstructions page = CodePages.of(code, ecall());
        return FlowGraph.of(Region.build(page, entries, 120));
    }

    private static EntrySelection.Choice choose(int[] entries, int... code) {
        return EntrySelection.choose(graph(entries, code), entries);
    }

    @Test
    void theHeadOfAnOuterLoopIsAnEntry() {
        var choice = choose(new int[] {0, 12}, NESTED);
        assertThat(choice.kept()).containsExactly(0, 12);
        assertThat(choice.left()).isEmpty();
    }

    @Test
    void anInnerLoopHeadIsLeftOutOfARegionEnteredOutsideItsLoops() {
        var choice = choose(new int[] {0, 20}, NESTED);
        assertThat(choice.kept()).containsExactly(0);
        assertThat(choice.left()).containsExactly(20);
        // Alone, it is the region's only entry: its loops are entered there and nowhere else.
        assertThat(choose(new int[] {20}, NESTED).left()).isEmpty();
    }

    @Test
    void theFirstEntryWinsWhicheverItIs() {
        var choice = choose(new int[] {20, 0, 12}, NESTED);
        assertThat(choice.kept()).containsExactly(20);
        assertThat(choice.left()).containsExactly(0, 12);
    }

    @Test
    void aLoopEnteredAtItsConditionCannotAlsoBeEnteredAtItsBody() {
        // 0: j cond; 4: body; 12: cond: blt back to body. The loop is entered at 12 (by the jump),
        // so an entry at 4, the lower address, would be a second way in.
        int[] rotated = {jal(0, 12), addi(A0, A0, 1), addi(T0, T0, 1), blt(T0, A1, -8)};
        var choice = choose(new int[] {0, 4}, rotated);
        assertThat(choice.kept()).containsExactly(0);
        assertThat(choice.left()).containsExactly(4);
        assertThat(EntrySelection.reducible(graph(new int[] {0}, rotated), java.util.List.of(0))).isTrue();
    }
}
