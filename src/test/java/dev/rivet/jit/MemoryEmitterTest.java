package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which accesses of a loop go through stream slots, and which through page slots. */
class MemoryEmitterTest {
    static final int T0 = 5, T1 = 6, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A4 = 14, A5 = 15, A6 = 16, A7 = 17;

    private static Region.Block loop(int... code) {
        PageInstructions page = CodePages.of(code);
        return Region.build(page, new int[] {0}, 120).blocks.firstEntry().getValue();
    }

    /**
     * matmul's inner loop: the row's base steps by a constant, the column's by a register (the
     * row length): only the column's base is stepped by a register. sieve's marking loop stores
     * at a sum of two registers, one of which steps by a register but is no base.
     */
    @Test
    void basesSteppedByARegisterAreFound() {
        Region.Block matmul = loop(ld(A4, A5, 0), ld(A6, A1, 0), addi(A5, A5, 8), add(A1, A1, A7),
                mul(A4, A4, A6), add(A0, A0, A4), bne(T1, A5, -24));
        assertThat(MemoryEmitter.steppedByRegister(matmul)).isEqualTo(1 << A1 | 1 << A0);
        Region.Block sieve = loop(add(A1, S1, A5), sb(A2, A1, 0), add(A5, A5, A2), blt(A5, T0, -12));
        assertThat(MemoryEmitter.steppedByRegister(sieve)).isEqualTo(1 << A5);
        // Doubling a register (add r, r, r) is no step by another register.
        assertThat(MemoryEmitter.steppedByRegister(loop(add(A1, A1, A1), bne(A1, 0, -4)))).isZero();
        // Nor is an address computed afresh on each trip (Go's w[i]: t = i << 2, then t = t + base).
        Region.Block goIndex = loop(slli(T0, A2, 2), add(T0, T0, S1), lwu(A4, T0, 0), addi(A2, A2, 1),
                blt(A2, A1, -16));
        assertThat(MemoryEmitter.steppedByRegister(goIndex)).isZero();
    }

    private static FlowGraph graph(int... code) {
        PageInstructions page = CodePages.of(code);
        return FlowGraph.of(Region.build(page, new int[] {0}, 120));
    }

    /**
     * A loop sparse in accesses (three in sixteen instructions) gets a page slot for each of them, but
     * not for the one based on a register stepped by another; a loop dense in them keeps stream
     * slots; code outside loops gets none, and none where slots are not allowed (machines).
     */
    @Test
    void pageSlotsServeTheAccessesOfLoopsSparseInThem() {
        FlowGraph sparse = graph(lw(A4, A5, 0), xor(A0, A0, A4), slli(A6, A0, 3), srli(A7, A0, 7), add(A0, A0, A6),
                sub(A0, A0, A7), xor(A0, A0, A6), slli(A6, A0, 5), srli(A7, A0, 2), add(A0, A0, A7),
                sw(A0, A5, 4), ld(A2, A1, 0), add(A1, A1, T0), addi(A5, A5, 8), add(A0, A0, A2),
                bne(T1, A5, -60), ld(A2, A5, 0));
        assertThat(MemoryEmitter.pageSlots(sparse, MemoryEmitter.streamedBlocks(sparse, true), true)).isEqualTo(2);
        assertThat(MemoryEmitter.pageSlots(sparse, MemoryEmitter.streamedBlocks(sparse, false), false)).isZero();

        FlowGraph dense = graph(lbu(A4, A5, 0), addi(A4, A4, 1), sb(A4, A5, 0), addi(A5, A5, 1), bne(T1, A5, -16));
        assertThat(MemoryEmitter.streamedBlocks(dense, true)).containsExactly(true);
        assertThat(MemoryEmitter.pageSlots(dense, MemoryEmitter.streamedBlocks(dense, true), true)).isZero();

        int[] many = new int[41];
        for (int i = 0; i < 40; i++) many[i] = i % 8 == 0 ? lw(A4, A5, 4 * i) : xor(A0, A0, A4);
        many[40] = bne(T1, A5, -160);
        FlowGraph wide = graph(many);
        assertThat(MemoryEmitter.pageSlots(wide, MemoryEmitter.streamedBlocks(wide, true), true))
                .isEqualTo(Math.min(5, MemoryEmitter.MAX_PAGE_SLOTS));
    }
}
