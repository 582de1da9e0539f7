package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The loops of a region's graph: cycles closed by a backward jump, not every backward jump. */
class FlowGraphTest {
    static FlowGraph graph(int[] entries, int... code) {
        PageInstructions page = CodePages.of(code, ecall());
        return FlowGraph.of(Region.build(page, entries, 120));
    }

    @Test
    void loopNestsCountTheLoopsNoOtherLoopGoesRound() {
        int[] twoLoops = {
            addi(5, 5, 1), blt(5, 6, -4),   // 0: a loop
            addi(7, 7, 1), blt(7, 6, -4),   // 8: another after it
        };
        assertThat(graph(new int[] {0}, twoLoops).loopNests).isEqualTo(2);
        assertThat(graph(new int[] {0},
                addi(5, 5, 1), addi(7, 0, 0),   // 0: outer
                addi(7, 7, 1), blt(7, 6, -4),   // 8: inner
                blt(5, 6, -16)).loopNests).as("nested").isEqualTo(1);
        assertThat(graph(new int[] {0}, addi(5, 5, 1), addi(7, 7, 1)).loopNests).as("straight").isZero();
    }

    @Test
    void aBackwardBranchToItsOwnLoopHeadIsALoop() {
        FlowGraph g = graph(new int[] {0}, addi(5, 0, 3), addi(6, 6, 1), blt(6, 5, -4));
        assertThat(g.loops).hasSize(1);
        assertThat(g.blocks.get(g.loops.getFirst().header()).start).isEqualTo(4);
    }

    /**
     * A switch-dispatched loop: the dispatch block (0) jumps through a register to a case (12, 20),
     * and each case jumps back to the dispatch. The dispatch reaches the cases only through the
     * jalr, which has no edges in the graph: there is no cycle in the graph, so no loop.
     */
    @Test
    void aCaseJumpingBackToItsSwitchsDispatchIsNoLoop() {
        FlowGraph g = graph(new int[] {0, 12, 20},
                lbu(10, 11, 0),      // 0: dispatch: load the opcode
                add(12, 12, 10),     // 4
                jalr(0, 12, 0),      // 8: to the case
                addi(13, 13, 1),     // 12: case A
                jal(0, -16),         // 16: back to the dispatch
                addi(13, 13, -1),    // 20: case B
                jal(0, -24));        // 24: back to the dispatch
        assertThat(g.blocks.stream().filter(b -> b.loopHead).count()).as("backward jumps").isEqualTo(1);
        assertThat(g.loops).isEmpty();
    }

    /**
     * A loop as compilers rotate it: a jump into its middle (to the condition), its backward
     * branch at the bottom going to its top. The block where it is entered dominates the rest and
     * is its header; the code before the loop is not part of it.
     */
    @Test
    void aRotatedLoopsHeaderIsWhereItIsEntered() {
        FlowGraph g = graph(new int[] {0},
                addi(5, 0, 0),       // 0: before the loop
                addi(6, 0, 9),       // 4
                jal(0, 12),          // 8: into the loop's middle, 20
                add(7, 7, 5),        // 12: the loop's top
                addi(5, 5, 1),       // 16
                blt(5, 6, -8));      // 20: the condition: back to 12
        assertThat(g.loops).hasSize(1);
        FlowGraph.Loop loop = g.loops.getFirst();
        assertThat(g.blocks.get(loop.header()).start).isEqualTo(20);
        assertThat(loop.body()[g.indexOf(12)]).isTrue();
        assertThat(loop.body()[g.indexOf(0)]).as("the code before the loop").isFalse();
    }

    /**
     * An inner loop whose head is also where the outer loop comes back (a region entered at the
     * inner loop's head): two loops with one header, the inner one nested in the outer one.
     */
    @Test
    void twoEdgesBackToOneHeaderAreTwoNestedLoops() {
        FlowGraph g = graph(new int[] {0},
                add(7, 7, 5),        // 0: the inner loop, and the head of both
                addi(5, 5, 1),       // 4
                blt(5, 6, -8),       // 8: back to 0 (inner)
                addi(8, 8, 1),       // 12: the outer loop's rest
                blt(8, 9, -16));     // 16: back to 0 (outer)
        assertThat(g.loops).hasSize(2);
        assertThat(g.loops).allMatch(l -> l.header() == 0);
        int rest = g.indexOf(12);
        assertThat(g.loops.stream().filter(l -> l.body()[rest]).count()).as("loops around 12").isEqualTo(1);
        assertThat(g.loops.stream().filter(l -> l.body()[0]).count()).as("loops around 0").isEqualTo(2);
    }

    /**
     * Three nested loops, the region entered at the innermost one's head (8): every cycle comes
     * back through that head, so the natural loops do not tell the outer two apart, while the
     * nesting of cycles does.
     */
    @Test
    void cycleDepthCountsTheLoopsAroundABlockWhereverTheRegionIsEntered() {
        FlowGraph g = graph(new int[] {8},
                addi(8, 0, 0),       // 0: the outer loop's top
                addi(5, 0, 0),       // 4: the middle loop's top
                addi(5, 5, 1),       // 8: the inner loop, entered here
                blt(5, 6, -4),       // 12: back to 8
                addi(8, 8, 1),       // 16
                blt(8, 9, -16),      // 20: back to 4
                addi(10, 10, 1),     // 24
                blt(10, 11, -28));   // 28: back to 0
        int[] depth = java.util.stream.IntStream.of(8, 4, 16, 0, 24).map(at -> g.cycleDepth[g.indexOf(at)]).toArray();
        assertThat(depth).containsExactly(3, 2, 2, 1, 1);
    }
}
