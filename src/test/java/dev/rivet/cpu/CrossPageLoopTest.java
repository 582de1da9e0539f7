package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.jit.Jit;
import dev.rivet.jit.JitConfig;
import dev.rivet.mem.Page;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A loop that crosses the end of its page: translated whole, into one region that holds code of
 * both pages, and never run from that translation once the second page is rewritten, mapped to
 * other code, or not executable; the state it leaves is the interpreter's in every case.
 */
@Tag("jit")
class CrossPageLoopTest {
    private static final int T0 = 5, T1 = 6, S0 = 8, A0 = 10, A1 = 11;
    /** The second code page, where the loop's second half lies. */
    private static final long NEXT = Machine.CODE + Page.SIZE;
    /** The loop's head: four instructions before the end of the first page. */
    private static final long HEAD = NEXT - 16;
    /** The loop's step, the second instruction on the next page. */
    private static final long STEP = NEXT + 4;

    /**
     * sum = 0; for (i = 0; i < n; i++) { sum += i; data[i % 64] = sum; } with n in a1, the loop
     * from {@link #HEAD} on, across the page end; an ecall after it.
     */
    private static final int[] LOOP = {
        add(A0, A0, T0), andi(T1, T0, 63), slli(T1, T1, 3), add(T1, T1, S0), // first page
        sd(A0, T1, 0), addi(T0, T0, 1), blt(T0, A1, -24), ecall(),           // next page
    };

    /**
     * A translator that translates a start on its second entry, at once: the loop's head gets hot
     * on the first trip's back edge, after the interpreter has fetched from the next page (which
     * a translation takes in only if the hart's fetch TLB holds it).
     */
    private static Jit translator() {
        return new Jit(new JitConfig(2, false, 4096, 120, false));
    }

    /** A machine with two code pages, the loop placed, and a jump to it. */
    private static Machine machine(Jit jit, int n) {
        TestMemory mem = new TestMemory().map(Machine.CODE, 2 * Page.SIZE, TestMemory.RWX)
                .map(Machine.DATA, 0x2000, TestMemory.RW);
        Machine m = new Machine(mem, 0);
        m.h.compiled = null;
        if (jit != null) jit.attach(m.h);
        m.place(HEAD, LOOP);
        m.place(Machine.CODE, addi(T0, 0, 0), addi(A0, 0, 0), jal(0, (int) (HEAD - Machine.CODE - 8)));
        start(m, n);
        return m;
    }

    /**
     * Sets the registers and pc for a run of the loop from the start of the first page (whose
     * code is left as it is: a write there would drop its translations, and the test with them).
     */
    private static void start(Machine m, int n) {
        m.h.pc = Machine.CODE;
        m.set(S0, Machine.DATA).set(A1, n);
    }

    /** The interpreter's result for the same code: a0 and instret at the ecall. */
    private static long[] interpreted(Machine translated, int n) {
        Machine m = machine(null, n);
        for (long a = NEXT; a < NEXT + 4 * LOOP.length; a += 4) m.mem.write(a, 4, translated.mem.read(a, 4));
        m.runToEcall();
        return new long[] {m.x(A0), m.h.instret};
    }

    @Test
    void aLoopAcrossThePageEndRunsInsideOneRegion() {
        Jit jit = translator();
        Machine m = machine(jit, 100_000).runToEcall();
        assertThat(m.x(A0)).isEqualTo(100_000L * 99_999 / 2);
        assertThat(m.h.instret).isEqualTo(3 + 7 * 100_000L);
        assertThat(m.h.pc).isEqualTo(NEXT + 12);
        assertThat(jit.stats().instructionsInTranslatedCode()).isGreaterThan(m.h.instret * 9 / 10);
        // A region per page would leave one for the other twice a trip: 200,000 calls.
        assertThat(jit.stats().regionCalls()).isLessThan(10);
    }

    @Test
    void aRewrittenNextPageIsRunAsItIsNow() {
        Jit jit = translator();
        Machine m = machine(jit, 1000).runToEcall();
        assertThat(m.x(A0)).isEqualTo(1000L * 999 / 2);
        assertThat(jit.stats().regionCalls()).isLessThan(10);

        m.mem.write(STEP, 4, addi(T0, T0, 3)); // a store to the next page: its code version changes
        start(m, 1000);
        m.h.instret = 0;
        long translatedBefore = jit.stats().instructionsInTranslatedCode();
        m.runToEcall();
        long[] expected = interpreted(m, 1000);
        assertThat(m.x(A0)).isEqualTo(expected[0]).isEqualTo(333L * 334 / 2 * 3);
        assertThat(m.h.instret).isEqualTo(expected[1]);
        assertThat(jit.stats().instructionsInTranslatedCode() - translatedBefore).as("translated again")
                .isGreaterThan(7 * 300L);
    }

    @Test
    void aNextPageMappedToOtherCodeIsRunAsMappedNow() {
        Jit jit = translator();
        Machine m = machine(jit, 1000).runToEcall();
        assertThat(m.x(A0)).isEqualTo(1000L * 999 / 2);

        // Another page at the same address, with a step of 2: as munmap and mmap of a library would leave it.
        m.mem.unmap(NEXT, Page.SIZE);
        m.mem.map(NEXT, Page.SIZE, TestMemory.RWX);
        m.place(NEXT, sd(A0, T1, 0), addi(T0, T0, 2), blt(T0, A1, -24), ecall());
        start(m, 1000);
        m.h.instret = 0;
        m.runToEcall();
        long[] expected = interpreted(m, 1000);
        assertThat(m.x(A0)).isEqualTo(expected[0]).isEqualTo(500L * 499);
        assertThat(m.h.instret).isEqualTo(expected[1]);
    }

    @Test
    void aNextPageNoLongerExecutableFaultsWhereTheInterpreterWould() {
        Jit jit = translator();
        Machine m = machine(jit, 1000).runToEcall();
        assertThat(m.x(A0)).isEqualTo(1000L * 999 / 2);

        m.mem.map(NEXT, Page.SIZE, TestMemory.RW); // as mprotect(PROT_READ | PROT_WRITE) would leave it
        // Straight into the loop, whose region holds both halves.
        m.set(T0, 0).set(A0, 0).h.pc = HEAD;
        m.h.instret = 0;
        m.runToException(Cause.FETCH_PAGE_FAULT);
        assertThat(m.h.pc).isEqualTo(NEXT);
        assertThat(m.h.trapValue).isEqualTo(NEXT);
        assertThat(m.x(A0)).isZero();
        assertThat(m.h.instret).isEqualTo(4);
    }

    /**
     * A loop wholly on the first page whose region also holds the code after it, on the next page
     * (run once, at the loop's end): after every TLB flush that code's page is not in the fetch TLB,
     * and the region must still be entered, its TLB entry filled from the page in memory, not left
     * to the interpreter until the loop has ended.
     */
    @Test
    void aRegionWhoseNextPageCodeIsColdRunsAfterATlbFlush() {
        Jit jit = translator();
        TestMemory mem = new TestMemory().map(Machine.CODE, 2 * Page.SIZE, TestMemory.RWX)
                .map(Machine.DATA, 0x2000, TestMemory.RW);
        Machine m = new Machine(mem, 0);
        m.h.compiled = null;
        jit.attach(m.h);
        long loop = NEXT - 12;
        m.place(loop, addi(A0, A0, 3), addi(T0, T0, 1), blt(T0, A1, -8)); // the last one ends the page
        m.place(NEXT, addi(A0, A0, 1), ecall());                          // after the loop
        // Entered from the next page, which is code (run) by the time the loop gets hot.
        m.place(NEXT + 8, jal(0, (int) (loop - NEXT - 8)));
        m.set(A1, 1000).h.pc = NEXT + 8;
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(3001);

        m.mem.map(Machine.DATA, 0x2000, TestMemory.RW); // a mapping change: every TLB entry goes
        m.set(T0, 0).set(A0, 0).set(A1, 100_000).h.pc = loop;
        long translated = jit.stats().instructionsInTranslatedCode();
        m.h.instret = 0;
        m.runToEcall();
        assertThat(m.x(A0)).isEqualTo(300_001);
        assertThat(m.h.instret).isEqualTo(3 * 100_000L + 1);
        assertThat(jit.stats().instructionsInTranslatedCode() - translated).isGreaterThan(m.h.instret * 9 / 10);
    }
}
