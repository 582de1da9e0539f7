package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which registers a loop keeps in locals across its back edge, and which it writes back on every trip. */
class WriteBackTest {
    static final int T0 = 5, T1 = 6, T3 = 28, S0 = 8, A0 = 10, A1 = 11, A2 = 12;

    private static int bits(int... registers) {
        int mask = 0;
        for (int r : registers) mask |= 1 << r;
        return mask;
    }

    private static FlowGraph graph(int[] entries, int... code) {
        return FlowGraphTest.graph(entries, code);
    }

    /**
     * for (i = 0; ; i++) { sum += i; t1 = s0 + (i & 63) * 8; *t1 = sum; } while i < a1, entered at
     * {@code entry} (0: before the loop; 8: its head): i (t0) and sum (a0) go round the loop, t1 is
     * a temporary.
     */
    private static FlowGraph storeLoop(int entry) {
        return graph(new int[] {entry},
                addi(T0, 0, 0), addi(A0, 0, 0),
                add(A0, A0, T0), andi(T1, T0, 63), slli(T1, T1, 3), add(T1, T1, S0), sd(A0, T1, 0),
                addi(T0, T0, 1), blt(T0, A1, -24));
    }

    @Test
    void aLoopKeepsWhatItCarriesAndWritesBackItsTemporaries() {
        FlowGraph g = storeLoop(0);
        WriteBack wb = WriteBack.of(g, Liveness.of(g), false);
        int loop = g.indexOf(8);
        // i (t0) and sum (a0) go round the loop; t1 is recomputed on every trip.
        assertThat(wb.keep[loop]).isEqualTo(bits(T0, A0));
        assertThat(wb.dirtyIn[loop]).isEqualTo(bits(T0, A0));
        assertThat(wb.onEdge(bits(T0, A0, T1), loop)).isEqualTo(bits(T1));
    }

    @Test
    void anInnermostLoopKeepsItsTemporariesWhenAsked() {
        FlowGraph g = storeLoop(0);
        WriteBack wb = WriteBack.of(g, Liveness.of(g), true);
        int loop = g.indexOf(8);
        // t1 stays in its local round the loop too: written back where the loop is left.
        assertThat(wb.keep[loop]).isEqualTo(bits(T0, A0, T1));
        assertThat(wb.onEdge(bits(T0, A0, T1), loop)).isZero();
        // Entered before the loop: the block leading into it loads t1, the entry nothing more.
        assertThat(wb.blockLoads[g.indexOf(0)]).isEqualTo(bits(T1));
        assertThat(wb.entryLoads[g.indexOf(0)]).isZero();
        assertThat(wb.blockLoads[loop]).isZero();
    }

    @Test
    void aLoopHeadEnteredFromTheDispatchSwitchLoadsTheTemporariesItKeeps() {
        // Entered at the loop's head, where t1 is dead: the entry loads it, so that its local
        // holds the guest value on every path into the loop and the loop can keep it dirty.
        FlowGraph g = storeLoop(8);
        WriteBack wb = WriteBack.of(g, Liveness.of(g), true);
        int loop = g.indexOf(8);
        assertThat(wb.entryLoads[loop]).isEqualTo(bits(T1));
        assertThat(wb.keep[loop] & bits(T1)).isNotZero();
        // Without the entry's load t1 could not stay dirty round the loop.
        WriteBack plain = WriteBack.of(g, Liveness.of(g), false);
        assertThat(plain.keep[loop] & bits(T1)).isZero();
        assertThat(plain.entryLoads[loop]).isZero();
    }

    @Test
    void anOuterLoopWritesBackItsInnerLoopsTemporaries() {
        // for (i = 0; i < a2; i++) for (j = 0; j < a1; j++) { t1 = i + j; sum += t1; }
        FlowGraph g = graph(new int[] {0},
                addi(T0, 0, 0), addi(A0, 0, 0),
                addi(T3, 0, 0),
                add(T1, T0, T3), add(A0, A0, T1), addi(T3, T3, 1), blt(T3, A1, -12),
                addi(T0, T0, 1), blt(T0, A2, -24));
        WriteBack wb = WriteBack.of(g, Liveness.of(g), true);
        int inner = g.indexOf(12), after = g.indexOf(28), outer = g.indexOf(8);
        assertThat(wb.keep[inner] & bits(T1)).isNotZero();
        assertThat(wb.keep[after] & bits(T1)).isZero();
        assertThat(wb.keep[outer] & bits(T1)).isZero();
        // Leaving the inner loop writes t1 back; the outer loop's own registers stay in locals.
        assertThat(wb.onEdge(bits(T1, T0, A0), after)).isEqualTo(bits(T1));
    }

    @Test
    void aBlockEnteredFromOutsideWithoutARegisterDoesNotKeepIt() {
        // The loop is entered at 24 (from the dispatch switch), so that is its header; 20 is
        // reached only by the jump back. a0 goes round the loop (read at 20) but is dead at 24,
        // which the dispatch switch can enter without loading it: the edge 20 -> 24 writes it
        // back instead, while a2 (live at 24) stays in its local around the loop.
        FlowGraph g = graph(new int[] {0, 24},
                addi(T0, 0, 0), addi(A0, 0, 0), auipc(T3, 0), addi(T3, T3, 16), jalr(0, T3, 0),
                add(A2, A2, A0),
                sd(A2, S0, 0), addi(A0, T0, 3), addi(T0, T0, 1), blt(T0, A1, -16));
        WriteBack wb = WriteBack.of(g, Liveness.of(g), false);
        int head = g.indexOf(20), middle = g.indexOf(24);
        assertThat(g.loops).extracting(FlowGraph.Loop::header).containsExactly(middle);
        assertThat(wb.keep[head] & bits(A2)).isNotZero();
        assertThat(wb.keep[middle] & bits(A0)).isZero();
        assertThat(wb.dirtyIn[middle] & bits(A0)).isZero();
        assertThat(wb.onEdge(bits(A0, A2), middle)).isEqualTo(bits(A0));
    }
}
