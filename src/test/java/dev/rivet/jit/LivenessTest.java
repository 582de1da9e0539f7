package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where translated code loads guest registers into locals: at entries and at loop exits only. */
class LivenessTest {
    static final int T0 = 5, T1 = 6, T2 = 7, S1 = 9, A0 = 10, A1 = 11, A2 = 12, T3 = 28;

    private static int bits(int... registers) {
        int mask = 0;
        for (int r : registers) mask |= 1 << r;
        return mask;
    }

    private static Region region(int... code) {
        PageInstructions page = CodePages.of(code, ecall());
        return Region.build(page, new int[] {0}, 120);
    }

    @Test
    void anInnerLoopExitReloadsWhatIsReadAfterIt() {
        Region r = region(
                addi(T0, 0, 0), addi(S1, 0, 7), addi(T2, 0, 5),
                addi(T1, 0, 0), addi(A2, T0, 3),                   // 12: outer loop head
                add(A0, A0, T1), addi(T1, T1, 1), blt(T1, T2, -8), // 20: inner loop
                mul(T3, A2, S1), add(A0, A0, T3), addi(T0, T0, 1), blt(T0, A1, -32)); // 32: after it
        Liveness live = Liveness.of(r);
        // Entering at 0: a0 is read (in the inner loop) before being written; t0, s1, t2 are set
        // first, and a1 is first read after the inner loop, which reloads it.
        assertThat(live.entryLoads).containsEntry(0, bits(A0));
        // Only the inner loop's exit refills: a2 and s1 are not live inside the inner loop.
        assertThat(live.reloads).containsOnlyKeys(32);
        assertThat(live.reloads.get(32)).isEqualTo(bits(A0, A1, A2, S1, T0, T2));
        assertThat(live.used).isEqualTo(bits(T0, T1, T2, S1, A0, A1, A2, T3));
    }

    @Test
    void aLoopHeadIsNeverRefilled() {
        // A sieve's scan: 0-16 scans until a zero byte (back edge 16 -> 0); 20-24 handles it and
        // goes back to the scan (-> 0); 28-32 is the way round the loop headed at 8 (-> 8).
        // The loop headed at 8 is left at 0, the scan's head: a refill there would load
        // registers on every step of the scan.
        Region r = region(
                addi(A2, A2, 1), beq(A2, A1, 32),                   // 0: scan head
                add(T3, S1, A2), lbu(T3, T3, 0), bne(T3, 0, -16),   // 8: head of the loop from 32
                addi(T0, T0, 1), bge(T0, T2, -24),                  // 20
                addi(A2, A2, 1), bne(A2, A1, -24));                 // 28
        Liveness live = Liveness.of(r);
        assertThat(live.reloads).isEmpty();
        assertThat(live.entryLoads).containsEntry(0, bits(A2, A1, S1, T0, T2));
    }

    @Test
    void straightLineCodeLoadsOnlyAtItsEntry() {
        Region r = region(add(A0, A1, A2), addi(A1, A0, 1), sd(A1, A2, 0));
        Liveness live = Liveness.of(r);
        assertThat(live.entryLoads).containsEntry(0, bits(A1, A2));
        assertThat(live.reloads).isEmpty();
    }
}
