package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static dev.rivet.cpu.Machine.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs of integer computations, which the interpreter executes several at a time (StraightLine):
 * the hart's state is exact wherever a run ends, at a budget, at an instruction of another
 * kind, and at the end of the fetch page.
 */
class StraightLineTest {
    private static int[] increments(int n) {
        int[] code = new int[n];
        for (int i = 0; i < n; i++) code[i] = addi(RD, RD, 1);
        return code;
    }

    @Test
    void aBudgetEndsARunAtTheExactInstruction() {
        Machine m = new Machine().code(increments(10));
        assertThat(m.run(7)).isEqualTo(Stop.BUDGET);
        assertThat(m.h.instret).isEqualTo(7);
        assertThat(m.h.pc).isEqualTo(CODE + 28);
        assertThat(m.x(RD)).isEqualTo(7);
        m.runToEcall();
        assertThat(m.h.instret).isEqualTo(10);
        assertThat(m.h.pc).isEqualTo(CODE + 40);
        assertThat(m.x(RD)).isEqualTo(10);
    }

    @Test
    void aRunEndsAtAnInstructionOfAnotherKindWhichThenRuns() {
        Machine m = new Machine().code(lui(RS1, 0x40), addi(RD, 0, 5), slli(RD, RD, 4), sd(RD, RS1, 8),
                addiw(RD, RD, -1), auipc(RS2, 0)).runToEcall();
        assertThat(m.mem.read(DATA + 8, 8)).isEqualTo(80);
        assertThat(m.x(RD)).isEqualTo(79);
        assertThat(m.x(RS2)).isEqualTo(CODE + 20);
        assertThat(m.h.instret).isEqualTo(6);
    }

    @Test
    void writesToX0AreDiscardedWithinARun() {
        Machine m = new Machine().code(addi(0, 0, 5), add(RD, 0, 0), addi(RD, RD, 1)).runToEcall();
        assertThat(m.x(0)).isZero();
        assertThat(m.x(RD)).isEqualTo(1);
    }

    /**
     * Straight-line code that goes on onto the next page: the run ends with its fetch page, and
     * the next page's instructions are fetched from that page (the slot at the same offset of the
     * first page holds an instruction already decoded, which a run that went on would execute).
     */
    @Test
    void aRunEndsAtTheEndOfItsPage() {
        Machine m = new Machine(new TestMemory().map(CODE, 0x2000, TestMemory.RWX).map(DATA, 0x2000, TestMemory.RW), 0);
        long start = CODE + 0x1000 - 8;
        m.place(CODE, addi(RS2, RS2, 1), jal(0, (int) (start - CODE - 4)));
        long end = m.place(start, increments(5));
        m.place(end, ecall());
        m.runToEcall();
        assertThat(m.x(RS2)).isEqualTo(1);
        assertThat(m.x(RD)).isEqualTo(5);
        assertThat(m.h.instret).isEqualTo(7);
        assertThat(m.h.pc).isEqualTo(end);
    }

    /** A run's first instruction may be one the interpreter has not decoded before; so may its next. */
    @Test
    void compressedAndFullInstructionsMixInARun() {
        Machine m = new Machine().code(cAddi(RD, 3), addi(RD, RD, 4), cAddi(RD, -2), xori(RD, RD, 0xf0)).runToEcall();
        assertThat(m.x(RD)).isEqualTo((3 + 4 - 2) ^ 0xf0);
        assertThat(m.h.pc).isEqualTo(CODE + 2 + 4 + 2 + 4);
        assertThat(m.h.instret).isEqualTo(4);
    }

    /** A compressed instruction in the page's last two bytes ends the run with pc at the next page. */
    @Test
    void aCompressedInstructionEndsItsPage() {
        Machine m = new Machine(new TestMemory().map(CODE, 0x2000, TestMemory.RWX).map(DATA, 0x2000, TestMemory.RW), 0);
        long start = CODE + 0x1000 - 6;
        m.place(CODE, jal(0, (int) (start - CODE)));
        long end = m.place(start, addi(RD, RD, 2), cAddi(RD, 1));
        assertThat(end).isEqualTo(CODE + 0x1000);
        m.place(end, auipc(RS2, 0), ecall());
        m.runToEcall();
        assertThat(m.x(RD)).isEqualTo(3);
        assertThat(m.x(RS2)).as("auipc at the next page's start").isEqualTo(CODE + 0x1000);
        assertThat(m.h.instret).as("jal, addi, c.addi, auipc").isEqualTo(4);
    }

    /** Word instructions wrap at 32 bits and sign-extend, as the long ones truncated would. */
    @Test
    void wordArithmeticWrapsAndSignExtends() {
        int shifted = 13;
        Machine m = new Machine().code(addw(RD, RS1, RS2), subw(RS2, RS2, RS1), addiw(RS1, RS1, 1),
                sllw(shifted, RS1, RS1)).set(RS1, 0x7fff_ffffL).set(RS2, 0x1_0000_0001L).runToEcall();
        assertThat(m.x(RD)).isEqualTo((long) (0x7fff_ffff + 1));
        assertThat(m.x(RS2)).isEqualTo((long) (1 - 0x7fff_ffff));
        assertThat(m.x(RS1)).isEqualTo(Integer.MIN_VALUE);
        assertThat(m.x(shifted)).as("shifted by the low five bits of 0x80000000: 0").isEqualTo(Integer.MIN_VALUE);
    }
}
