package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.jit.Jit;
import dev.rivet.jit.JitConfig;
import dev.rivet.mem.Page;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The translator on hand-written programs: that hot code really runs translated, and that what is
 * hard to get right (exact budgets, traps in the middle of a block, self-modifying code, stop
 * requests, debugger mode, fence.i, eviction) leaves exactly the state the interpreter leaves.
 */
@Tag("jit")
class TranslationTest {
    static final int RA = 1, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12, T3 = 28;

    /** sum = 0; for (i = 0; i < n; i++) { sum += i; data[i % 64] = sum; } with n in a1. */
    static final int[] LOOP = {
        addi(T0, 0, 0), addi(A0, 0, 0), // i, sum
        add(A0, A0, T0), andi(T1, T0, 63), slli(T1, T1, 3), add(T1, T1, S0), sd(A0, T1, 0), addi(T0, T0, 1),
        blt(T0, A1, -24),
    };

    private static Machine machine(Jit jit, int... code) {
        Machine m = new Machine().code(code);
        m.h.compiled = null;
        if (jit != null) jit.attach(m.h);
        m.set(S0, Machine.DATA);
        return m;
    }

    private static LockStep.Program program(long total, int slice, int... code) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int insn : code) {
            int len = (insn & 3) == 3 ? 4 : 2;
            for (int b = 0; b < len; b++) out.write(insn >>> (8 * b));
        }
        long[] x = new long[32];
        x[S0] = Machine.DATA;
        x[A1] = 1000;
        return new LockStep.Program(out.toByteArray(), x, new long[32], total, slice);
    }

    @Test
    void hotLoopRunsTranslated() {
        Jit jit = new Jit(JitConfig.eager());
        Machine m = machine(jit, LOOP).set(A1, 100_000);
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(100_000L * 99_999 / 2);
        assertThat(m.h.instret).isEqualTo(2 + 7 * 100_000L);
        assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(m.h.instret * 9 / 10);
        assertThat(jit.stats().regions()).isPositive();
        // The loop runs inside its region: one call of it (and of the entry's), not one a trip.
        assertThat(jit.stats().regionCalls()).isBetween(1L, 3L);
    }

    /**
     * A translator translating in the background stops when closed: its thread ends, code it
     * installed still runs, and nothing that gets hot afterwards is translated.
     */
    @Test
    void aClosedTranslatorStopsItsThreadAndTranslatesNothingMore() throws InterruptedException {
        Jit jit = new Jit(new JitConfig(20, true, 4096, 120, false));
        Machine m = machine(jit, LOOP).set(A1, 100_000);
        m.runToEcall();
        for (int waited = 0; jit.stats().regions() == 0 && waited < 20_000; waited += 10) Thread.sleep(10);
        assertThat(jit.stats().regions()).isPositive();
        assertThat(jit.translating()).isTrue();

        jit.close();
        assertThat(jit.translating()).isFalse();
        long regions = jit.stats().regions(), translated = jit.stats().instructionsInTranslatedCode();
        Machine again = onAnotherHart(m, jit, Machine.CODE).set(S0, Machine.DATA).set(A1, 100_000);
        again.runToEcall();
        assertThat(again.x(A0)).isEqualTo(100_000L * 99_999 / 2);
        assertThat(jit.stats().instructionsInTranslatedCode() - translated).isGreaterThan(again.h.instret / 2);
        // Another loop, on a page of its own, hot after the close: left to the interpreter.
        long page = Machine.CODE + 0x1000;
        m.mem.map(page, 0x1000, TestMemory.RWX);
        m.place(page, addi(T0, 0, 0), addi(A0, 0, 0), addi(A0, A0, 3), addi(T0, T0, 1), blt(T0, A1, -8), ecall());
        Machine other = onAnotherHart(m, jit, page).set(A1, 100_000);
        other.runToEcall();
        assertThat(other.x(A0)).isEqualTo(300_000);
        Thread.sleep(50);
        assertThat(jit.stats().regions()).isEqualTo(regions);
        assertThat(jit.translating()).isFalse();
    }

    /** A second hart on {@code m}'s memory, starting at {@code pc}, running with {@code jit}. */
    private static Machine onAnotherHart(Machine m, Jit jit, long pc) {
        Machine other = new Machine(m.mem, 1);
        other.h.compiled = null;
        jit.attach(other.h);
        other.h.pc = pc;
        return other;
    }

    /**
     * A loop that leaves its region every trip (its jalr goes off the page, a jump that is no
     * call, so not run nested: see NestedCallsTest) is one call a trip.
     */
    @Test
    void everyTripThroughTheDispatcherIsACallOfARegion() {
        Jit jit = new Jit(JitConfig.eager());
        // t0 = n; loop: t0 -= 1; a0 += 1; jump to the next page and back (code there jumps to t3)
        Machine m = machine(jit, addi(T0, A1, 0), addi(T0, T0, -1), addi(A0, A0, 1), jalr(0, S1, 0),
                bne(T0, 0, -12));
        m.mem.map(Machine.CODE + 0x1000, 0x1000, TestMemory.RWX);
        m.place(Machine.CODE + 0x1000, jalr(0, T3, 0));
        m.set(A1, 1000).set(S1, Machine.CODE + 0x1000).set(T3, Machine.CODE + 16);
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(1000);
        // Each trip enters the loop's region and the function's (off the page, so through the dispatcher).
        assertThat(jit.stats().regionCalls()).isBetween(1900L, 2100L);
    }

    /**
     * Nested loops whose registers a2 and s1 are set before the inner loop and read only after it:
     * translated code reloads them at the inner loop's exit (see jit.Liveness); a missed reload
     * would read a stale local.
     */
    static final int[] NESTED = {
        addi(T0, 0, 0), addi(S1, 0, 7), addi(T2, 0, 5),
        addi(T1, 0, 0), addi(A2, T0, 3),                   // outer: j = 0; m = i + 3
        add(A0, A0, T1), addi(T1, T1, 1), blt(T1, T2, -8), // inner: sum += j while ++j < 5
        mul(T3, A2, S1), add(A0, A0, T3), addi(T0, T0, 1), blt(T0, A1, -32),
    };
    @Test
    void registersReadOnlyAfterAnInnerLoopKeepTheirValues() {
        Machine m = machine(new Jit(JitConfig.eager()), NESTED).set(A1, 1000);
        m.runToEcall();
        long n = 1000;
        assertThat(m.x(A0)).isEqualTo(10 * n + 7 * (n * (n - 1) / 2 + 3 * n));
        assertThat(LockStep.check(program(20_000, 777, NESTED))).isNull();
    }

    /**
     * A loop entered both at its head and, by a jalr, in its middle, where a0 (which goes round
     * the loop) is dead: translated code keeps a0 in a local around the loop but must not write
     * back a local it never loaded when it leaves after entering in the middle (see jit.WriteBack).
     */
    static final int[] ENTERED_MID_LOOP = {
        addi(T0, 0, 0), addi(A0, 0, 0), auipc(T3, 0), addi(T3, T3, 16), jalr(0, T3, 0),
        add(A2, A2, A0),                                                 // 20: head
        sd(A2, S0, 0), addi(A0, T0, 3), addi(T0, T0, 1), blt(T0, A1, -16), // 24: middle
    };

    @Test
    void registersKeptAroundALoopAreWrittenBackExactlyOnEveryExit() {
        for (int slice : new int[] {1, 2, 3, 5, 7, 11, 100, 997}) {
            assertThat(LockStep.check(program(5000, slice, ENTERED_MID_LOOP))).as("slice %d", slice).isNull();
        }
        Machine m = machine(new Jit(JitConfig.eager()), ENTERED_MID_LOOP).set(A1, 1000);
        m.runToEcall();
        // a2 = sum over trips k >= 1 of a0 as set on trip k - 1 (k + 2).
        assertThat(m.x(A2)).isEqualTo(999L * 1000 / 2 + 2 * 999);
        assertThat(m.x(A0)).isEqualTo(1002);
    }

    /**
     * An outer loop that enters its inner loop in the middle, by a jalr: both the inner loop's head
     * and its middle get hot. A region entered at the middle takes in the loop, so the head (hot
     * too) would give that loop a second way in: it gets a region of its own (see jit.EntrySelection).
     */
    static final int[] JUMPS_INTO_LOOP = {
        addi(T0, 0, 0), auipc(T3, 0), addi(T3, T3, 20),
        addi(T1, 0, 0), jalr(0, T3, 0),                 // 12: outer: j = 0; goto middle
        add(A0, A0, T1),                                 // 20: inner head: sum += j
        addi(T1, T1, 1), blt(T1, T2, -8),               // 24: middle: while (++j < t2)
        addi(T0, T0, 1), blt(T0, A1, -24),
    };

    @Test
    void aHotStartInsideALoopGetsARegionOfItsOwn() {
        Jit jit = new Jit(new JitConfig(20, false, 4096, 120, false));
        Machine m = machine(jit, JUMPS_INTO_LOOP).set(A1, 1000).set(T2, 5);
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(10 * 1000);
        assertThat(jit.stats().loopEntryRegions()).isPositive();
        assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(m.h.instret * 9 / 10);
        assertThat(LockStep.check(program(20_000, 997, JUMPS_INTO_LOOP))).isNull();
    }

    /**
     * Slices of 997 instructions end anywhere in the loop, and the region stops before a loop
     * trip the slice cannot cover: neither where a slice starts nor where the interpreter goes on
     * after such a stop is a place the program jumps to, so neither makes the page hot again.
     */
    @Test
    void whereSlicesEndDoesNotMakeThePageTranslatedAgain() {
        Jit jit = new Jit(new JitConfig(50, false, 4096, 120, false));
        Machine m = machine(jit, LOOP).set(A1, 200_000);
        Stop s;
        do {
            s = m.run(997);
        } while (s == Stop.BUDGET);
        assertThat(s).isEqualTo(Stop.ECALL);
        assertThat(m.x(A0)).isEqualTo(200_000L * 199_999 / 2);
        assertThat(jit.stats().regions()).isEqualTo(1);
        assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(m.h.instret * 9 / 10);
    }

    /**
     * An outer loop around two inner loops, whose code is longer than a region may be (6
     * instructions in the tests below): the first inner loop gets hot first, the second and the
     * outer loop are warm by then.
     */
    static final int[] TWO_INNER_LOOPS = {
        addi(T0, 0, 0),                                       // 0
        addi(T1, 0, 0),                                       // 4: outer
        addi(A0, A0, 1), addi(T1, T1, 1), blt(T1, T2, -8),    // 8: first inner loop, t2 trips
        addi(T1, 0, 0),                                       // 20
        addi(A2, A2, 1), addi(S1, S1, 2), addi(T1, T1, 1), blt(T1, T3, -12), // 24: second, t3 trips
        addi(T0, T0, 1), blt(T0, A1, -40),                    // 40
    };

    private static Jit smallRegions(boolean cover) {
        return new Jit(new JitConfig(20, 20, false, 4096, 6, false, true, cover, 2));
    }

    /**
     * With covering translations the warm loops are translated with the hot one, in regions that
     * end where another starts, and the page is not translated again: three regions, against
     * more when each start is translated as it gets hot, each new region taking in the others'.
     */
    @Test
    void warmLoopsAreTranslatedWithTheHotOneAndNotAgain() {
        long[] sums = new long[2], regions = new long[2];
        for (int k = 0; k < 2; k++) {
            Jit jit = smallRegions(k == 1);
            Machine m = machine(jit, TWO_INNER_LOOPS).set(A1, 2000).set(T2, 10).set(T3, 3);
            m.runToEcall();
            assertThat(m.x(A0)).isEqualTo(2000 * 10);
            assertThat(m.x(S1)).isEqualTo(2000 * 3 * 2);
            assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(m.h.instret * 9 / 10);
            sums[k] = m.x(A2);
            regions[k] = jit.stats().regions();
        }
        assertThat(sums[1]).isEqualTo(sums[0]).isEqualTo(2000 * 3);
        assertThat(regions[1]).isEqualTo(3);
        assertThat(regions[0]).isGreaterThan(regions[1]);
    }

    /**
     * A function called in a loop, with two loops one after the other (as sha256's block has three):
     * when the first gets hot the second is warm, and both would fit in one region.
     */
    static final int[] FUNCTION_WITH_TWO_LOOPS = {
        addi(T0, 0, 0),                                       // 0
        jal(1, 16),                                           // 4: call 20
        addi(T0, T0, 1), blt(T0, A1, -8),                     // 8
        jal(0, 40),                                           // 16: to the end, 56
        addi(T1, 0, 0),                                       // 20: the function
        addi(A0, A0, 1), addi(T1, T1, 1), blt(T1, T2, -8),    // 24: first loop, t2 trips
        addi(T1, 0, 0),                                       // 36
        addi(A2, A2, 3), addi(T1, T1, 1), blt(T1, T3, -8),    // 40: second loop, t3 trips
        jalr(0, 1, 0),                                        // 52: return
    };

    /**
     * Two loops in one region share its register locals and HotSpot's register allocation of its
     * method: sha256's round loop ran at 5,000-6,500 million instructions a second in a region with
     * the loop that loads the message, against 7,600-7,700 alone. A covering translation stops a
     * region's code where it would enter a second loop nest, and groups a start with others only
     * if that brings no other loop nest: each loop here gets a region of its own (one region for
     * the whole page without those rules).
     */
    @Test
    void aCoveringTranslationKeepsLoopsThatFollowEachOtherInRegionsOfTheirOwn() {
        Jit jit = new Jit(new JitConfig(20, 20, false, 4096, 120, false, true, true, 2));
        Machine m = machine(jit, FUNCTION_WITH_TWO_LOOPS).set(A1, 2000).set(T2, 10).set(T3, 10);
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(2000 * 10);
        assertThat(m.x(A2)).isEqualTo(2000 * 10 * 3);
        assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(m.h.instret * 9 / 10);
        assertThat(jit.stats().regions()).isEqualTo(2);
        LockStep.Program p = program(30_000, 997, FUNCTION_WITH_TWO_LOOPS);
        p.x()[T2] = 10;
        p.x()[T3] = 10;
        assertThat(LockStep.check(p, new JitConfig(3, 3, false, 4096, 120, true, true, true, 1))).isNull();
    }

    /** A switch in a loop: an indirect jump to one of four cases, each jumping back. */
    static final int[] SWITCH_LOOP = {
        addi(T0, 0, 0),                                                 // 0
        andi(T1, T0, 3), slli(T1, T1, 3), auipc(T3, 0), add(T1, T1, T3), // 4: t1 = 12 + 8 * (i & 3)
        jalr(0, T1, 16), addi(0, 0, 0),                                 // 20: to 28 + 8 * (i & 3)
        addi(A0, A0, 1), jal(0, 28), addi(A0, A0, 2), jal(0, 20),       // 28: the cases
        addi(A0, A0, 3), jal(0, 12), addi(A0, A0, 4), jal(0, 4),
        addi(T0, T0, 1), blt(T0, A1, -60),                              // 60
    };

    /**
     * Covering translations in lock-step with the interpreter: regions that end where another
     * starts, limits lowered so that no loop is cut, and a loop entered where the interpreter
     * entered it, on programs whose loops are larger than a region (6 instructions) or entered in
     * the middle, in slices that end anywhere.
     */
    @Test
    void coveringTranslationsLeaveTheInterpretersState() {
        JitConfig cover = new JitConfig(3, 3, false, 4096, 6, true, true, true, 1);
        for (int[] code : new int[][] {TWO_INNER_LOOPS, JUMPS_INTO_LOOP, LOOP, SWITCH_LOOP}) {
            LockStep.Program p = program(30_000, 997, code);
            p.x()[T2] = 7;
            p.x()[T3] = 3;
            long before = LockStep.TRANSLATED.sum();
            assertThat(LockStep.check(p, cover)).isNull();
            assertThat(LockStep.TRANSLATED.sum() - before).isGreaterThan(15_000);
        }
    }

    /**
     * A page whose hot code has a switch is translated as without covering translations, into one
     * region that takes over the earlier ones, so that a jump to a case stays inside it.
     */
    @Test
    void aSwitchIsTranslatedIntoOneRegionWithCoveringTranslationsToo() {
        long[] regions = new long[2];
        for (int k = 0; k < 2; k++) {
            Jit jit = new Jit(new JitConfig(20, 20, false, 4096, 120, false, true, k == 1, 2));
            Machine m = machine(jit, SWITCH_LOOP).set(A1, 4000);
            m.runToEcall();
            assertThat(m.x(A0)).isEqualTo(1000 * (1 + 2 + 3 + 4));
            assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(m.h.instret * 9 / 10);
            regions[k] = jit.stats().regions();
        }
        assertThat(regions[1]).isEqualTo(regions[0]);
    }

    static final int A3 = 13, A4 = 14, A5 = 15, S2 = 18;

    /**
     * Logical operations mixed with 32-bit ones: values with bit 31 set, results that are
     * sign-extended 32-bit values, and one operand (s1) that is not, so that a translation done
     * on 32-bit values where it may not be would show.
     */
    static final int[] WORD_LOGIC = {
        addi(T3, 0, 4),          // four times: the last translated
        lui(T0, 0x80000),        // t0 = 0xffffffff80000000
        addiw(T1, T0, -1),       // t1 = 0x7fffffff
        xor(T2, T0, T1),         // -1
        or(A0, T2, T0),          // -1
        srliw(A1, T2, 1),        // 0x7fffffff
        and(A2, A1, T0),         // 0
        xori(A3, T0, -1),        // 0x7fffffff
        andi(A4, T0, 0x7ff),     // 0
        ori(A5, A1, -2048),      // -1
        slli(S1, T0, 1),         // 0xffffffff00000000: not a 32-bit value
        xor(S2, S1, T1),         // 0xffffffff7fffffff
        addi(T3, T3, -1), bne(T3, 0, -48),
    };

    @Test
    void logicOnWordsIsSignExtendedAsThe64BitOperation() {
        Jit jit = new Jit(JitConfig.eager());
        Machine m = machine(jit, WORD_LOGIC);
        m.runToEcall();
        assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThanOrEqualTo(WORD_LOGIC.length - 3);
        assertThat(m.x(T2)).isEqualTo(-1L);
        assertThat(m.x(A0)).isEqualTo(-1L);
        assertThat(m.x(A1)).isEqualTo(0x7fffffffL);
        assertThat(m.x(A2)).isZero();
        assertThat(m.x(A3)).isEqualTo(0x7fffffffL);
        assertThat(m.x(A4)).isZero();
        assertThat(m.x(A5)).isEqualTo(-1L);
        assertThat(m.x(S2)).isEqualTo(0xffffffff7fffffffL);
        assertThat(LockStep.check(program(100, 100, WORD_LOGIC))).isNull();
    }

    @Test
    void everyBudgetStopsAtTheSameInstruction() {
        for (int slice = 1; slice <= 40; slice++) {
            assertThat(LockStep.check(program(3000, slice, LOOP))).as("slice %d", slice).isNull();
        }
    }

    /** A loop through a jalr back into the region: the dispatch switch checks the budget of its entries. */
    static final int[] JALR_LOOP = {
        addi(T0, 0, 0), auipc(T3, 0),                   // 0: i = 0; t3 = 4
        andi(T1, T0, 1), slli(T1, T1, 3), add(T1, T1, T3), jalr(0, T1, 20), // 8: to 24 + 8 * (i & 1)
        addi(A0, A0, 1), jal(0, 12),                     // 24: case 0
        addi(A0, A0, 3), jal(0, 4),                      // 32: case 1
        addi(T0, T0, 1), blt(T0, A1, -36),               // 40: back to 8
    };

    @Test
    void everyBudgetStopsAtTheSameInstructionInALoopThroughAJalr() {
        for (int slice = 1; slice <= 40; slice++) {
            assertThat(LockStep.check(program(3000, slice, JALR_LOOP))).as("slice %d", slice).isNull();
        }
        Machine m = machine(new Jit(JitConfig.eager()), JALR_LOOP).set(A1, 10);
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(5 * 1 + 5 * 3);
    }

    @Test
    void aFaultInTheMiddleOfATranslatedBlockIsExact() {
        // The store walks off the end of the data pages (8 KiB) after 1024 iterations.
        int[] walk = {
            addi(T0, 0, 0),
            addi(T0, T0, 1), add(A0, A0, T0), sd(A0, S0, 0), addi(S0, S0, 8), xori(T2, A0, 5), jal(0, -20),
        };
        assertThat(LockStep.check(program(20_000, 5000, walk))).isNull();
        Machine m = machine(new Jit(JitConfig.eager()), walk);
        m.runToException(Cause.STORE_PAGE_FAULT);
        assertThat(m.h.pc).isEqualTo(Machine.CODE + 12);
        assertThat(m.h.trapValue).isEqualTo(Machine.DATA + 0x2000);
        assertThat(m.x(T0)).isEqualTo(1025);
        assertThat(m.h.instret).isEqualTo(1 + 1024 * 6 + 2);
    }

    /**
     * A loop sparse in memory accesses (so its temporaries are written back at their last write in
     * the trip, jit.RegisterHomes.writesBackEarly): t1 written twice and read after, t2 loaded
     * from a walk that runs off the data pages (8 KiB) after 1024 trips, a1 carried. Every budget
     * stop and the fault leave the interpreter's state.
     */
    @Test
    void temporariesWrittenBackAtTheirLastWriteAreExactAtEveryStop() {
        int[] loop = {
            addi(T0, 0, 0),
            slli(T1, A0, 3), xor(T1, T1, A0), add(A0, A0, T1), ld(T2, S0, 0), add(A1, A1, T2),
            addi(S0, S0, 8), addi(T0, T0, 1), xori(A2, T0, 7), jal(0, -32),
        };
        for (int slice : new int[] {1, 2, 3, 5, 7, 8, 9, 13, 40, 333, 5000}) {
            assertThat(LockStep.check(program(20_000, slice, loop))).as("slice %d", slice).isNull();
        }
        Machine m = machine(new Jit(JitConfig.eager()), loop).set(A0, 1);
        m.runToException(Cause.LOAD_PAGE_FAULT);
        assertThat(m.h.pc).isEqualTo(Machine.CODE + 16);
        assertThat(m.x(T0)).isEqualTo(1024);
        long a0 = 1, t1 = 0;
        for (int trip = 0; trip <= 1024; trip++) {
            t1 = (a0 << 3) ^ a0;
            a0 += t1;
        }
        assertThat(m.x(T1)).isEqualTo(t1);
        assertThat(m.x(A0)).isEqualTo(a0);
        assertThat(m.x(A2)).isEqualTo(1024 ^ 7);
    }

    /**
     * Four byte loads from one register, as sha256 reads a word: one page check for the group
     * (jit.AccessGroups). The base steps by 3, so the group sometimes straddles the two data pages
     * (each access then on its own) and finally runs off them: the fault comes at the group's
     * third load, with the first two done.
     */
    @Test
    void aGroupOfLoadsIsExactAcrossPagesAndAtAFault() {
        int[] code = {
            addi(S1, S0, 0), lui(T3, 2), add(T3, S0, T3),                       // s1 = data, t3 = its end
            sb(T0, S1, 0), addi(T0, T0, 37), addi(S1, S1, 1), blt(S1, T3, -12),  // 12: fill with 37 * i
            addi(T0, 0, 0),
            lbu(T1, S0, 0), lbu(T2, S0, 1), lbu(T3, S0, 3), lbu(A2, S0, 2),     // 32: the group
            slli(T1, T1, 24), slli(T2, T2, 16), slli(A2, A2, 8), or(T1, T1, T2), or(T1, T1, A2), or(T1, T1, T3),
            slli(A1, A0, 5), add(A0, A0, A1), add(A0, A0, T1), addi(S0, S0, 3), addi(T0, T0, 1), jal(0, -60),
        };
        for (int slice : new int[] {1, 3, 7, 14, 100, 5000}) {
            assertThat(LockStep.check(program(100_000, slice, code))).as("slice %d", slice).isNull();
        }
        Jit jit = new Jit(JitConfig.eager());
        Machine m = machine(jit, code);
        m.runToException(Cause.LOAD_PAGE_FAULT);
        byte[] data = new byte[8192];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (37 * i);
        long a0 = 0;
        for (int s = 0; s + 3 < data.length; s += 3) {
            long word = (data[s] & 0xffL) << 24 | (data[s + 1] & 0xffL) << 16 | (data[s + 2] & 0xffL) << 8 | data[s + 3] & 0xffL;
            a0 += (a0 << 5) + word;
        }
        assertThat(m.h.pc).isEqualTo(Machine.CODE + 40);
        assertThat(m.x(T0)).isEqualTo(2730);
        assertThat(m.x(S0)).isEqualTo(Machine.DATA + 8190);
        assertThat(m.x(T1)).isEqualTo(data[8190] & 0xffL);
        assertThat(m.x(T2)).isEqualTo(data[8191] & 0xffL);
        assertThat(m.x(A0)).isEqualTo(a0);
        assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(m.h.instret * 9 / 10);
    }

    @Test
    void codeStoredIntoTheRunningBlockTakesEffectAtOnce() {
        // Each pass overwrites the instruction after the store with "addi a0, a0, 100" (was "addi a0, a0, 1").
        int patch = addi(A0, A0, 100);
        int[] smc = {
            auipc(T1, 0), lui(T2, (patch + 0x800) >>> 12), addi(T2, T2, (patch << 20) >> 20),
            sw(T2, T1, 16), addi(A0, A0, 1), addi(T0, T0, 1), blt(T0, A1, -24),
        };
        assertThat(LockStep.check(program(5000, 1000, smc))).isNull();
        Machine m = machine(new Jit(JitConfig.eager()), smc).set(A1, 10);
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(1000);
    }

    /** A function on a page of its own, called n times in a loop, then patched by a store and called n times again. */
    @Test
    void aFunctionChangedByAStoreRunsItsNewCodeAtOnceThoughItsRegionIsInTheJumpCache() {
        Jit jit = new Jit(JitConfig.eager());
        Machine m = machine(jit, addi(T0, A1, 0), jalr(RA, S1, 0), addi(T0, T0, -1), bne(T0, 0, -8),
                sw(T2, S1, 0),
                addi(T0, A1, 0), jalr(RA, S1, 0), addi(T0, T0, -1), bne(T0, 0, -8));
        long function = Machine.CODE + 0x1000;
        m.mem.map(function, 0x1000, TestMemory.RWX);
        m.place(function, addi(A0, A0, 1), jalr(0, RA, 0));
        m.set(A1, 500).set(S1, function).set(T2, addi(A0, A0, 100));
        m.runToEcall();
        // Without fence.i: Rivet makes a hart's own stores to code take effect at once (see above).
        assertThat(m.x(A0)).isEqualTo(500 + 500 * 100);
        // Each call entered the function's region (run nested, found in the jump cache).
        assertThat(jit.stats().regionCalls()).isGreaterThanOrEqualTo(1000);
    }

    /** A page mapped anew at the address of a function whose region the jump cache holds: the new code runs. */
    @Test
    void aPageMappedAnewAtAFunctionsAddressRunsItsOwnCode() {
        Jit jit = new Jit(JitConfig.eager());
        Machine m = machine(jit, addi(T0, A1, 0), jalr(RA, S1, 0), addi(T0, T0, -1), bne(T0, 0, -8));
        long function = Machine.CODE + 0x1000;
        m.mem.map(function, 0x1000, TestMemory.RWX);
        m.place(function, addi(A0, A0, 1), jalr(0, RA, 0));
        m.set(A1, 500).set(S1, function);
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(500);
        m.mem.unmap(function, 0x1000);
        m.mem.map(function, 0x1000, TestMemory.RWX);
        m.place(function, addi(A0, A0, 100), jalr(0, RA, 0));
        m.h.pc = Machine.CODE;
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(500 + 500 * 100);
    }

    @Test
    void aStopRequestEndsATranslatedEndlessLoop() throws Exception {
        Machine m = machine(new Jit(JitConfig.eager()), addi(A0, A0, 1), jal(0, -4));
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                // stop at once
            }
            m.h.requestStop();
        });
        stopper.start();
        Stop stop = m.run(Long.MAX_VALUE);
        stopper.join();
        assertThat(stop).isEqualTo(Stop.REQUESTED);
        assertThat(m.x(A0) * 2).isBetween(m.h.instret - 2, m.h.instret + 2);
    }

    @Test
    void debuggerModeRunsOnlyTheInterpreter() {
        Jit jit = new Jit(JitConfig.eager());
        Machine m = machine(jit, LOOP).set(A1, 1000);
        m.h.debugActive = true;
        m.runToEcall();
        assertThat(jit.stats().instructionsInTranslatedCode()).isZero();
        assertThat(m.x(A0)).isEqualTo(1000L * 999 / 2);
    }

    @Test
    void fenceIDropsTheTranslationsOfThePage() {
        Jit jit = new Jit(JitConfig.eager());
        int[] loopThenFence = java.util.Arrays.copyOf(LOOP, LOOP.length + 1);
        loopThenFence[LOOP.length] = fenceI();
        Machine m = machine(jit, LOOP).set(A1, 1000);
        m.runToEcall();
        Page page = m.mem.page(Machine.CODE);
        assertThat(Jit.hasTranslations(page)).isTrue();
        m = machine(jit, loopThenFence).set(A1, 1000);
        page = m.mem.page(Machine.CODE);
        m.runToEcall();
        assertThat(jit.stats().instructionsInTranslatedCode()).isPositive();
        // Counting for the new code may have started; nothing translated before the fence is left.
        assertThat(Jit.hasTranslations(page)).isFalse();
    }

    @Test
    void evictedRegionsAreTranslatedAgainAndStayCorrect() {
        Jit jit = new Jit(new JitConfig(1, false, 1, 400, true));
        // Two loops on two pages calling each other keep evicting each other's region.
        Machine m = machine(jit, LOOP).set(A1, 50);
        m.mem.map(Machine.CODE + 0x1000, 0x1000, TestMemory.RWX);
        long far = Machine.CODE + 0x1000;
        m.place(far, addi(A0, A0, 1), jalr(0, 1, 0));
        m.code(addi(T0, 0, 0), auipc(T2, 1), addi(T0, T0, 1), jalr(1, T2, -4), blt(T0, A1, -8));
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(50);
        assertThat(jit.stats().regions()).isGreaterThan(2);
    }
    /**
     * 32-bit rotates written in C (srliw, slliw, or of one register), which the translator emits as
     * one rotate, next to look-alikes it must not: the source changed between the shifts and the
     * or, and shift amounts that do not add up to 32.
     */
    static final int[] WORD_ROTATES = {
        lui(A0, 0x12345), addiw(A0, A0, 0x678), addi(13, 0, 200),             // a3 counts trips
        srliw(T1, A0, 7), slliw(T2, A0, 25), or(A2, T1, T2),                   // rotr(a0, 7)
        slliw(T1, A2, 19), srliw(T2, A2, 13), or(T3, T2, T1),                  // rotr(a2, 13), other order
        srliw(T1, T3, 3), slliw(T2, T3, 29), addi(T3, T3, 1), or(S1, T1, T2),    // t3 changed: no rotate
        srliw(T1, A2, 5), slliw(T2, A2, 26), or(T0, T1, T2),                   // 5 + 26: no rotate
        xor(A0, A2, S1), xor(A0, A0, T0), addw(A0, A0, T3), sd(S1, S0, 0), sd(A0, S0, 8),
        addi(13, 13, -1), blt(0, 13, -76),
    };

    @Test
    void wordRotatesMatchTheInterpreter() {
        assertThat(LockStep.check(program(20_000, 333, WORD_ROTATES))).isNull();
        assertThat(LockStep.check(program(20_000, 20_000, WORD_ROTATES))).isNull();
    }

    /**
     * sext.w of registers a loop makes words (jit.WordValues). The loop on the first page
     * (entered at its head, whose entry checks t0 and a0) goes to code on the next page, which
     * makes both 64-bit values and jumps back: every entry after that must leave the first trip to
     * the interpreter, after which the sext.w are copies.
     */
    static int[] wordWindow() {
        int[] code = new int[1024 + 4];
        int[] loop = {
            addiw(T1, T0, 0), addiw(T0, A0, 0), addw(A0, A0, T1), xori(A0, A0, 0x55), // 0: loop head
            sd(T1, S0, 0), addi(T2, T2, -1), bne(T2, 0, -24),
            jal(0, Page.SIZE - 28),
        };
        System.arraycopy(loop, 0, code, 0, loop.length);
        java.util.Arrays.fill(code, loop.length, 1024, addi(0, 0, 0));
        int[] next = {slli(T0, A0, 20), add(A0, A0, T0), addi(T2, 0, 50), jal(0, -Page.SIZE - 12)};
        System.arraycopy(next, 0, code, 1024, next.length);
        return code;
    }

    @Test
    void sextOfAWordIsACopyAndOfAnythingElseASignExtension() {
        int[] code = wordWindow();
        for (int slice : new int[] {1, 3, 7, 11, 50, 333, 20_000}) {
            long[] x = new long[32];
            x[S0] = Machine.DATA;
            x[T0] = 0x1_2345_6789L;
            x[A0] = 0x7654_3210_fedc_ba98L;
            x[T2] = 300;
            assertThat(LockStep.check(new LockStep.Program(program(0, 1, code).code(), x, new long[32], 20_000, slice)))
                    .as("slice %d", slice).isNull();
        }
    }

    /**
     * Loops dense in loads and stores, whose accesses go through stream slots (jit.Memory): one
     * walks bytes over both data pages (each slot changes page once), one loads and stores
     * misaligned doublewords, some across the page boundary (those always take the TLB's way,
     * and the crossing ones the interpreter's).
     */
    static final int[] DENSE_BYTES = {
        addi(T0, 0, 0),
        add(T1, S0, T0), lbu(T2, T1, 0), addi(T2, T2, 3), sb(T2, T1, 0), addi(T0, T0, 1), blt(T0, A1, -20),
    };
    static final int[] DENSE_MISALIGNED = {
        addi(T0, 0, 0),
        add(T1, S0, T0), ld(T2, T1, 0), add(A0, A0, T2), sd(A0, T1, 1), addi(T0, T0, 3), blt(T0, A1, -20),
    };
    /** A row walked by a constant step (through a slot) beside a column walked by a register's (the TLB alone). */
    static final int[] DENSE_STRIDED = {
        addi(T0, 0, 0), addi(T1, S0, 0), addi(A2, S0, 0),
        ld(T2, T1, 0), ld(A4, A2, 0), add(A0, A0, T2), add(A0, A0, A4), sd(A0, A2, 8),
        addi(T1, T1, 8), add(A2, A2, A3), addi(T0, T0, 1), blt(T0, A1, -32),
    };

    @Test
    void denseLoopsThroughStreamSlotsMatchTheInterpreter() {
        for (int[] code : new int[][] {DENSE_BYTES, DENSE_MISALIGNED, DENSE_STRIDED}) {
            for (int slice : new int[] {1, 7, 1000, 20_000}) {
                long[] x = new long[32];
                x[S0] = Machine.DATA;
                x[A1] = code == DENSE_STRIDED ? 330 : 8180;
                x[A3] = 24;
                x[A0] = 0x0123_4567_89ab_cdefL;
                assertThat(LockStep.check(new LockStep.Program(program(0, 1, code).code(), x, new long[32], 60_000, slice)))
                        .as("slice %d", slice).isNull();
            }
        }
        Jit jit = new Jit(JitConfig.eager());
        Machine m = machine(jit, DENSE_BYTES).set(A1, 8192);
        m.runToEcall();
        for (int i = 0; i < 8192; i += 1021) assertThat(m.mem.read(Machine.DATA + i, 1)).isEqualTo(3L);
        assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(5 * 8000L);
    }

    /**
     * Loops sparse in loads and stores, whose accesses go through page slots (locals holding the
     * page each last used and its addend, see jit.MemoryEmitter): aligned words over both data
     * pages (each slot changes page once), misaligned doublewords, some across the page boundary
     * (those always take the TLB's way, the crossing ones the interpreter's), and words walked
     * past the end of the data into an unmapped page (the load that faults leaves to the
     * interpreter, which raises the trap).
     */
    static final int[] SPARSE_WORDS = {
        addi(T0, 0, 0),
        add(T1, S0, T0), lw(T2, T1, 0), xor(A0, A0, T2), slli(A4, A0, 3), srli(A5, A0, 7), add(A0, A0, A4),
        sub(A0, A0, A5), xor(A0, A0, T0), addi(A0, A0, 1), sw(A0, T1, 0), addi(T0, T0, 4), blt(T0, A1, -44),
    };
    static final int[] SPARSE_MISALIGNED = {
        addi(T0, 0, 0),
        add(T1, S0, T0), ld(T2, T1, 0), xor(A0, A0, T2), slli(A4, A0, 3), srli(A5, A0, 7), add(A0, A0, A4),
        sub(A0, A0, A5), xor(A0, A0, T0), addi(A0, A0, 1), sd(A0, T1, 1), addi(T0, T0, 3), blt(T0, A1, -44),
    };

    @Test
    void sparseLoopsThroughPageSlotsMatchTheInterpreter() {
        for (int[] code : new int[][] {SPARSE_WORDS, SPARSE_MISALIGNED}) {
            for (long bound : new long[] {8180, 8192 + 40}) {
                for (int slice : new int[] {1, 7, 1000, 20_000}) {
                    long[] x = new long[32];
                    x[S0] = Machine.DATA;
                    x[A1] = bound;
                    x[A0] = 0x0123_4567_89ab_cdefL;
                    assertThat(LockStep.check(new LockStep.Program(program(0, 1, code).code(), x, new long[32], 60_000, slice)))
                            .as("bound %d, slice %d", bound, slice).isNull();
                }
            }
        }
        Jit jit = new Jit(JitConfig.eager());
        Machine m = machine(jit, SPARSE_WORDS).set(A1, 8180);
        m.runToEcall();
        assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(10 * 2000L);
    }

    /**
     * A loop reading a word through a page slot while an atomic add on the same word makes its
     * copy-on-write page private (as after a fork): the atomic's way through the hart fills the
     * TLBs with the copy, and the slot, which held the shared page, must not be read again, or the
     * loop would read the word without the additions.
     */
    @Test
    void anAtomicThatCopiesAPageEmptiesThePageSlots() {
        int[] code = {
            // A load before the loop puts the shared page in the read TLB; the first ten trips do
            // not add (the first ones run in the interpreter while the loop's regions are made),
            // so the page is copied inside translated code, after the load's slot filled.
            addi(T0, 0, 0), addi(A3, 0, 1), lw(A2, S0, 4),
            lw(A0, S0, 0), add(A5, A5, A0), xor(A4, A5, T0), slli(A4, A4, 1), srli(A2, A4, 3), or(A2, A2, A4),
            slti(T3, T0, 10), bne(T3, 0, 8), amo(AMOADD, W, 0, A3, S0), addi(T0, T0, 1), blt(T0, A1, -40),
        };
        for (boolean translated : new boolean[] {false, true}) {
            Jit jit = translated ? new Jit(JitConfig.eager()) : null;
            Machine m = machine(jit, code).set(A1, 50).set(A5, 0);
            m.mem.write(Machine.DATA, 4, 1000);
            m.mem.copyOnWrite(Machine.DATA);
            m.runToEcall();
            // Trips 0 to 10 read 1000, trip k after them 1000 + k - 10: 50 * 1000 + 39 * 40 / 2.
            assertThat(m.h.x[A5]).as("translated %s", translated).isEqualTo(50 * 1000 + 39 * 40 / 2);
            if (translated) assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(300L);
        }
    }

    /**
     * Logic on words that int operations computed (a rotate xor a 32-bit sum: translated as an
     * int operation, widened once) and on other values (and with a full 64-bit mask: a long
     * operation), in a hot loop: the translated result is the one 64-bit arithmetic gives.
     */
    static final int[] INT_RESULTS_LOGIC = {
        addw(T1, A0, A2), srliw(T2, A0, 7), slliw(T3, A0, 25), or(T2, T2, T3), // a 32-bit sum, a rotate
        xor(T0, T1, T2), and(S1, T0, A3), xor(A0, T0, S1),                   // int-computed, then not
        addi(A1, A1, -1), bne(A1, 0, -32),
    };

    @Test
    void logicOnWordsComputedAsIntsGivesTheLongResult() {
        Machine m = machine(new Jit(JitConfig.eager()), INT_RESULTS_LOGIC).set(A1, 10_000)
                .set(A0, 0x1234_5678_9abc_def0L).set(A2, 0x7fff_0001L).set(A3, 0xf0f0_f0f0_0f0f_0f0fL);
        m.runToEcall();
        long a0 = 0x1234_5678_9abc_def0L, a2 = 0x7fff_0001L, a3 = 0xf0f0_f0f0_0f0f_0f0fL;
        for (int i = 0; i < 10_000; i++) {
            long sum = (int) (a0 + a2), rotate = (long) Integer.rotateRight((int) a0, 7);
            long both = sum ^ rotate;
            a0 = both ^ (both & a3);
        }
        assertThat(m.x(A0)).isEqualTo(a0);
        LockStep.Program p = program(60_000, 997, INT_RESULTS_LOGIC);
        p.x()[A0] = 0x1234_5678_9abc_def0L;
        p.x()[A2] = 0x7fff_0001L;
        p.x()[A3] = 0xf0f0_f0f0_0f0f_0f0fL;
        assertThat(LockStep.check(p)).isNull();
    }

    /**
     * A loop whose branch compares words, one an int result of its block (a 32-bit counter) and
     * the other made a word before the loop: compared as ints, with negative values, as the longs
     * compare; and a bound that is no word (its high half set), compared as longs.
     */
    static final int[] WORD_COUNTER = {
        addiw(A1, A1, 0), addiw(A4, 0, 1),                     // the bound, a word; the step
        addw(A0, A0, A4), addw(A2, A2, A0), blt(A0, A1, -8),   // count up to it, summing
        addw(A0, A0, A4), blt(A0, A3, -4),                     // then up to a bound that is no word
    };

    @Test
    void branchesOnWordsComputedAsIntsCompareAsLongsDo() {
        // The second bound's low half is 16, but as a long it is below every word.
        long bound = 0x7fff_ffff_0000_0003L, notAWord = 0xffff_ffff_0000_0010L;
        Machine m = machine(new Jit(JitConfig.eager()), WORD_COUNTER).set(A0, -5).set(A1, bound).set(A3, notAWord);
        m.runToEcall();
        long sum = 0, a0 = -5;
        do { a0++; sum += a0; } while (a0 < 3);
        do { a0++; } while (a0 < notAWord);
        assertThat(m.x(A2)).isEqualTo(sum);
        assertThat(m.x(A0)).isEqualTo(a0).isEqualTo(4);
        LockStep.Program p = program(5000, 7, WORD_COUNTER);
        p.x()[A0] = -5;
        p.x()[A1] = bound;
        p.x()[A3] = notAWord;
        assertThat(LockStep.check(p)).isNull();
    }
}
