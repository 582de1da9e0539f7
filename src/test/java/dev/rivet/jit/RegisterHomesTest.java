package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which guest registers get JVM locals: the most used ones, by loop depth; the rest stay in h.x. */
class RegisterHomesTest {
    private static FlowGraph graph(int... code) {
        return FlowGraphTest.graph(new int[] {0}, code);
    }

    @Test
    void aRegionWithFewRegistersKeepsThemAllInLocals() {
        FlowGraph g = graph(addi(5, 0, 3), addi(6, 6, 1), blt(6, 5, -4));
        assertThat(RegisterHomes.inArray(g)).isZero();
    }

    @Test
    void theLoopsRegistersGetLocalsBeforeThoseUsedOnlyOutsideIt() {
        assertThat(RegisterHomes.LOCALS).as("this case needs 6 to 12 locals").isBetween(6, 12);
        // x10..x17 are set before the loop and read after it; x5..x10 are used in the loop.
        int[] code = new int[25];
        int n = 0;
        for (int r = 10; r <= 17; r++) code[n++] = addi(r, 0, r);
        int head = n;
        code[n++] = add(5, 5, 6);
        code[n++] = add(7, 7, 8);
        code[n++] = xor(9, 9, 10);
        code[n++] = addi(6, 6, 1);
        code[n] = blt(6, 10, 4 * (head - n));
        n++;
        for (int r = 11; r <= 17; r++) code[n++] = add(5, 5, r);
        int inArray = RegisterHomes.inArray(graph(java.util.Arrays.copyOf(code, n)));
        for (int r : new int[] {5, 6, 7, 8, 9, 10}) assertThat(inArray & 1 << r).as("x%d", r).isZero();
        assertThat(Integer.bitCount(inArray)).isEqualTo(13 - RegisterHomes.LOCALS);
        assertThat(inArray & ~(0xff << 10)).isZero();
    }

    @Test
    void registersUsedOnlyOutsideLoopsStayInTheArray() {
        // A switch-dispatched loop (see FlowGraphTest): every trip goes through the dispatch
        // switch, which would write back and reload every local.
        FlowGraph g = FlowGraphTest.graph(new int[] {0, 12, 20},
                lbu(10, 11, 0), add(12, 12, 10), jalr(0, 12, 0),
                addi(13, 13, 1), jal(0, -16),
                addi(13, 13, -1), jal(0, -24));
        assertThat(RegisterHomes.inArray(g)).isEqualTo(1 << 10 | 1 << 11 | 1 << 12 | 1 << 13);
    }

    /**
     * The region entered at the innermost of three loops (see FlowGraphTest): the six registers of
     * that loop keep their locals, though x20, used nine times in the outer loop, is used more
     * often than any of them in the region's code.
     */
    @Test
    void theInnermostLoopsRegistersGetLocalsWhenTheRegionIsEnteredThere() {
        assertThat(RegisterHomes.LOCALS).as("this case needs 6 locals").isEqualTo(6);
        int[] code = new int[18];
        int n = 0;
        code[n++] = addi(8, 0, 0);       // 0: the outer loop's top
        code[n++] = addi(5, 0, 0);       // 4: the middle loop's top
        code[n++] = add(7, 7, 14);       // 8: the inner loop, entered here
        code[n++] = add(12, 12, 13);     // 12
        code[n++] = addi(5, 5, 1);       // 16
        code[n++] = blt(5, 6, -12);      // 20: back to 8
        code[n++] = addi(8, 8, 1);       // 24
        code[n++] = blt(8, 9, -24);      // 28: back to 4
        while (n < 17) code[n++] = addi(20, 20, 1);
        code[n] = blt(20, 21, -4 * n);   // 68: back to 0
        int inArray = RegisterHomes.inArray(FlowGraphTest.graph(new int[] {8}, code));
        for (int r : new int[] {5, 6, 7, 12, 13, 14}) assertThat(inArray & 1 << r).as("x%d", r).isZero();
        assertThat(inArray & 1 << 20).as("x20").isNotZero();
    }

    /** A program's region without stream slots in its loops keeps more registers in locals. */
    @Test
    void regionsWithoutStreamedLoopsMayKeepMoreLocals() {
        assertThat(RegisterHomes.locals(true, false)).isEqualTo(RegisterHomes.SPARSE_LOCALS);
        assertThat(RegisterHomes.locals(true, true)).isEqualTo(RegisterHomes.LOCALS);
        assertThat(RegisterHomes.locals(false, false)).isEqualTo(RegisterHomes.LOCALS);
        // A loop over ten registers: with eight locals two stay in the array, with six four.
        int[] code = new int[11];
        for (int r = 0; r < 10; r++) code[r] = addi(5 + r, 5 + r, 1);
        code[10] = blt(5, 6, -40);
        FlowGraph g = graph(code);
        assertThat(Integer.bitCount(RegisterHomes.inArray(g, 8))).isEqualTo(2);
        assertThat(Integer.bitCount(RegisterHomes.inArray(g, 6))).isEqualTo(4);
    }
}
