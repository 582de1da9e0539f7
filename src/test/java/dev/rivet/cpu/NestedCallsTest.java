package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.jit.Jit;
import dev.rivet.jit.JitConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Guest calls that translated code runs nested (jit.Jit.callNested): a region that calls a
 * function off itself runs the callee's regions and goes on at the return point in its own
 * code, without a round trip through the dispatcher for the return. Every stop on the way (a
 * budget, a trap, an ecall, code left to the interpreter, a callee that never returns, calls
 * nested deeper than the bound) must leave exactly the interpreter's state.
 */
@Tag("jit")
class NestedCallsTest {
    static final int RA = 1, SP = 2, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15,
            S2 = 18, T3 = 28;
    static final int PAGE = 0x1000;

    /** Instructions by page offset, in a program of {@code pages} pages (zeros elsewhere). */
    private static byte[] program(int pages, Object... placed) {
        byte[] code = new byte[pages * PAGE];
        for (int k = 0; k < placed.length; k += 2) {
            int at = (Integer) placed[k];
            for (int insn : (int[]) placed[k + 1]) {
                for (int b = 0; b < 4; b++) code[at++] = (byte) (insn >>> (8 * b));
            }
        }
        return code;
    }

    /**
     * A main loop that calls a leaf on the next page (jal), a function there (jalr) that calls
     * another two pages on (which reads and writes memory, makes an ecall every 256th call and
     * jumps back to the main loop instead of returning every 64th), and a recursion 20 deep
     * between two more pages, deeper than calls are nested.
     */
    static final byte[] CALLS = program(5,
            0x0000, new int[] {
                addi(T0, T0, 1), jal(RA, 0x1000 - 0x04), add(A0, A0, A2), jalr(RA, S1, 0), xor(A0, A0, T0),
                addi(A1, 0, 20), jal(RA, 0x3000 - 0x18), jal(0, -0x1c),
            },
            0x1000, new int[] {addi(A2, T0, 7), slli(A2, A2, 1), jalr(0, RA, 0)},             // F, a leaf
            0x1100, new int[] {addi(S2, RA, 0), jal(RA, 0x2000 - 0x1104), add(A0, A0, A3), jalr(0, S2, 0)}, // G
            0x2000, new int[] {                                                               // H
                andi(A4, T0, 1023), slli(A4, A4, 3), add(A4, A4, S0), ld(A3, A4, 0), addi(A3, A3, 3), sd(A3, A4, 0),
                andi(A5, T0, 255), bne(A5, 0, 8), ecall(),
                andi(A5, T0, 63), bne(A5, 0, 8), jal(0, -0x202c),
                jalr(0, RA, 0),
            },
            0x3000, recursion(0x4000 - 0x3010),                                              // R1 -> R2
            0x4000, recursion(0x3000 - 0x4010));                                             // R2 -> R1

    /** if (a1 != 0) { push ra; a1--; call the other; pop ra } a0++; return */
    private static int[] recursion(int toOther) {
        return new int[] {
            beq(A1, 0, 28), addi(SP, SP, -8), sd(RA, SP, 0), addi(A1, A1, -1), jal(RA, toOther), ld(RA, SP, 0),
            addi(SP, SP, 8), addi(A0, A0, 1), jalr(0, RA, 0),
        };
    }

    private static long[] registers() {
        long[] x = new long[32];
        x[S0] = Machine.DATA;
        x[S1] = Machine.CODE + 0x1100;
        x[SP] = Machine.DATA + 0x2000;
        return x;
    }

    @Test
    void everyStopInsideNestedCallsLeavesTheInterpretersState() {
        for (int slice : new int[] {1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 97, 1000}) {
            LockStep.Program p = new LockStep.Program(CALLS, registers(), new long[32], 6000, slice);
            assertThat(LockStep.check(p)).as("slice %d", slice).isNull();
        }
        assertThat(LockStep.check(new LockStep.Program(CALLS, registers(), new long[32], 300_000, 20_000))).isNull();
    }

    @Test
    void callsAndReturnsRunNestedInsteadOfThroughTheDispatcher() {
        // t0 counts to a1 trips, each calling a leaf two pages on (jal there, jalr back; the next
        // page's code a region may take in, see jit.Region).
        byte[] code = program(3,
                0x0000, new int[] {addi(T0, T0, 1), jal(RA, 0x2000 - 0x04), add(A0, A0, A2), blt(T0, A1, -12), ecall()},
                0x2000, new int[] {addi(A2, T0, 7), jalr(0, RA, 0)});
        Jit jit = new Jit(JitConfig.eager());
        Machine m = machine(jit, code).set(A1, 1000);
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(1000L * 1001 / 2 + 7 * 1000);
        assertThat(jit.stats().nestedCalls()).isGreaterThan(990);
        // The callee's region once a call; the loop's region goes on at each return point (through
        // the dispatcher, each call and each return would be a region call: about 2000).
        assertThat(jit.stats().regionCalls()).isBetween(1000L, 1100L);
    }

    @Test
    void aTrapInANestedCalleeIsExact() {
        // Each call loads from the next 8 bytes of the data pages (8 KiB): the 1025th faults.
        byte[] code = program(3,
                0x0000, new int[] {addi(T0, T0, 1), jal(RA, 0x2000 - 0x04), add(A0, A0, A3), jal(0, -12)},
                0x2000, new int[] {addi(A2, A2, 1), ld(A3, S0, 0), addi(S0, S0, 8), jalr(0, RA, 0)});
        Machine m = machine(new Jit(JitConfig.eager()), code);
        m.runToException(Cause.LOAD_PAGE_FAULT);
        assertThat(m.h.pc).isEqualTo(Machine.CODE + 0x2004);
        assertThat(m.h.trapValue).isEqualTo(Machine.DATA + 0x2000);
        assertThat(m.x(T0)).isEqualTo(1025);
        assertThat(m.x(A2)).isEqualTo(1025);
        assertThat(m.x(RA)).isEqualTo(Machine.CODE + 8);
        assertThat(m.h.instret).isEqualTo(1024 * 8 + 3);
        assertThat(LockStep.check(new LockStep.Program(code, registers(), new long[32], 20_000, 5000))).isNull();
    }

    /**
     * A loop reading a word through a page slot (an inner loop), then calling a function two
     * pages on that, from the tenth call on, adds to the word atomically, which makes its
     * copy-on-write page private (as after a fork) inside translated code. The caller goes on
     * after each call in the same run of its region: a page slot still holding the shared page
     * would read the word without the additions.
     */
    @Test
    void aCalleeThatCopiesAPageEmptiesItsCallersPageSlots() {
        byte[] code = program(3,
                0x0000, new int[] {
                    addi(T0, 0, 0), addi(A3, 0, 1), lw(A2, S0, 4),
                    addi(T1, 0, 0),                                           // 0x0c: outer
                    // 0x10: inner, sparse in memory accesses (so its load takes a page slot)
                    lw(A0, S0, 0), add(A5, A5, A0), xor(A4, A5, T1), slli(A4, A4, 1), srli(A2, A4, 3),
                    or(A2, A2, A4), addi(T1, T1, 1), blt(T1, T2, -28),
                    jal(RA, 0x2000 - 0x30), addi(T0, T0, 1), blt(T0, A1, -44), ecall(),
                },
                0x2000, new int[] {slti(T3, T0, 10), bne(T3, 0, 8), amo(AMOADD, W, 0, A3, S0), jalr(0, RA, 0)});
        for (boolean translated : new boolean[] {false, true}) {
            Jit jit = translated ? new Jit(JitConfig.eager()) : null;
            Machine m = machine(jit, code).set(A1, 50).set(T2, 3);
            m.mem.write(Machine.DATA, 4, 1000);
            m.mem.copyOnWrite(Machine.DATA);
            m.runToEcall();
            // Outer trip k reads 1000 + (k - 10 for k > 10) three times.
            assertThat(m.x(A5)).as("translated %s", translated).isEqualTo(3 * (50 * 1000 + 39 * 40 / 2));
            if (translated) assertThat(jit.stats().nestedCalls()).isGreaterThan(30);
        }
    }

    /** A machine with {@code code} at CODE (its pages mapped) and {@link #registers}; interpreting only if {@code jit} is null. */
    private static Machine machine(Jit jit, byte[] code) {
        Machine m = new Machine();
        m.mem.map(Machine.CODE + PAGE, code.length - PAGE, TestMemory.RWX);
        for (int i = 0; i < code.length; i++) m.mem.write(Machine.CODE + i, 1, code[i]);
        m.h.compiled = null;
        if (jit != null) jit.attach(m.h);
        long[] x = registers();
        System.arraycopy(x, 0, m.h.x, 0, 32);
        m.h.pc = Machine.CODE;
        return m;
    }
}
