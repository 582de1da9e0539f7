package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.mem.Page;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Which accesses of a loop go through stream slots. */
class MemoryEmitterTest {
    static final int T0 = 5, T1 = 6, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A4 = 14, A5 = 15, A6 = 16, A7 = 17;

    private static Region.Block loop(int... code) {
        MemorySegment page = Arena.ofAuto().allocate(Page.SIZE);
        for (int i = 0; i < code.length; i++) page.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * i, code[i]);
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
    }
}
