package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.mem.Page;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
        MemorySegment page = Arena.ofAuto().allocate(Page.SIZE);
        for (int i = 0; i < code.length; i++) page.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * i, code[i]);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * code.length, ecall());
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
    void straightLineCodeLoadsOnlyAtItsEntry() {
        Region r = region(add(A0, A1, A2), addi(A1, A0, 1), sd(A1, A2, 0));
        Liveness live = Liveness.of(r);
        assertThat(live.entryLoads).containsEntry(0, bits(A1, A2));
        assertThat(live.reloads).isEmpty();
    }
}
