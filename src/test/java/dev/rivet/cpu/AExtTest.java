package dev.rivet.cpu;

import static dev.rivet.cpu.Asm.*;
import static dev.rivet.cpu.Machine.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntBinaryOperator;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;

/** A extension (a-st-ext.adoc): LR/SC, every AMO in both widths, alignment, and atomicity across host threads. */
class AExtTest {
    static final long SENTINEL = 0x5a5a_5a5a_5a5a_5a5aL;

    record AmoCase(String name, int funct5, LongBinaryOperator d, IntBinaryOperator w) {}

    static final List<AmoCase> AMOS = List.of(
            new AmoCase("amoswap", AMOSWAP, (m, v) -> v, (m, v) -> v),
            new AmoCase("amoadd", AMOADD, (m, v) -> m + v, (m, v) -> m + v),
            new AmoCase("amoxor", AMOXOR, (m, v) -> m ^ v, (m, v) -> m ^ v),
            new AmoCase("amoand", AMOAND, (m, v) -> m & v, (m, v) -> m & v),
            new AmoCase("amoor", AMOOR, (m, v) -> m | v, (m, v) -> m | v),
            new AmoCase("amomin", AMOMIN, (m, v) -> m < v ? m : v, (m, v) -> m < v ? m : v),
            new AmoCase("amomax", AMOMAX, (m, v) -> m > v ? m : v, (m, v) -> m > v ? m : v),
            new AmoCase("amominu", AMOMINU, (m, v) -> (m ^ Long.MIN_VALUE) < (v ^ Long.MIN_VALUE) ? m : v,
                    (m, v) -> (m ^ Integer.MIN_VALUE) < (v ^ Integer.MIN_VALUE) ? m : v),
            new AmoCase("amomaxu", AMOMAXU, (m, v) -> (m ^ Long.MIN_VALUE) > (v ^ Long.MIN_VALUE) ? m : v,
                    (m, v) -> (m ^ Integer.MIN_VALUE) > (v ^ Integer.MIN_VALUE) ? m : v));

    static final long[] VALUES = {0, 1, -1, 2, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L, 0x7fff_ffffL, 0xffff_ffffL,
        0x1_0000_0000L, 0xffff_ffff_0000_0001L, 0x8000_0000_7fff_ffffL, 0x1234_5678_9abc_def0L};

    @Test
    void everyAmoDoubleword() {
        for (AmoCase c : AMOS) {
            for (long mv : VALUES) {
                for (long v : VALUES) {
                    Machine m = new Machine().code(amo(c.funct5(), D, RD, RS2, RS1));
                    m.mem.write(DATA, 8, SENTINEL);
                    m.mem.write(DATA + 8, 8, mv);
                    m.mem.write(DATA + 16, 8, SENTINEL);
                    m.set(RS1, DATA + 8).set(RS2, v).runToEcall();
                    String what = c.name() + ".d mem=0x%x v=0x%x".formatted(mv, v);
                    assertThat(m.x(RD)).as(what).isEqualTo(mv);
                    assertThat(m.mem.read(DATA + 8, 8)).as(what).isEqualTo(c.d().applyAsLong(mv, v));
                    assertThat(m.mem.read(DATA, 8)).isEqualTo(SENTINEL);
                    assertThat(m.mem.read(DATA + 16, 8)).isEqualTo(SENTINEL);
                    assertThat(m.x(RS2)).isEqualTo(v);
                }
            }
        }
    }

    @Test
    void everyAmoWordSignExtendsTheOldValue() {
        for (AmoCase c : AMOS) {
            for (long offset : new long[] {8, 12}) {
                for (long mv : VALUES) {
                    for (long v : VALUES) {
                        Machine m = new Machine().code(amo(c.funct5(), W, RD, RS2, RS1));
                        m.mem.write(DATA, 8, SENTINEL);
                        m.mem.write(DATA + 8, 8, SENTINEL);
                        m.mem.write(DATA + 16, 8, SENTINEL);
                        m.mem.write(DATA + offset, 4, mv);
                        m.set(RS1, DATA + offset).set(RS2, v).runToEcall();
                        String what = c.name() + ".w mem=0x%x v=0x%x".formatted((int) mv, v);
                        assertThat(m.x(RD)).as(what).isEqualTo((long) (int) mv);
                        assertThat(m.mem.read(DATA + offset, 4)).as(what)
                                .isEqualTo(c.w().applyAsInt((int) mv, (int) v) & 0xffff_ffffL);
                        long other = offset == 8 ? DATA + 12 : DATA + 8;
                        assertThat(m.mem.read(other, 4)).as(what).isEqualTo(SENTINEL & 0xffff_ffffL);
                        assertThat(m.mem.read(DATA, 8)).isEqualTo(SENTINEL);
                        assertThat(m.mem.read(DATA + 16, 8)).isEqualTo(SENTINEL);
                    }
                }
            }
        }
    }

    @Test
    void amoWithRdEqualRs2AndRdZero() {
        Machine m = new Machine().code(amo(AMOSWAP, D, RS2, RS2, RS1), amo(AMOADD, W, 0, 13, RS1));
        m.mem.write(DATA, 8, 111);
        m.set(RS1, DATA).set(RS2, 222).set(13, 5).runToEcall();
        assertThat(m.x(RS2)).isEqualTo(111);
        assertThat(m.x(0)).isZero();
        assertThat(m.mem.read(DATA, 8)).isEqualTo(227);
    }

    @Test
    void aqRlBitsDoNotChangeTheOperation() {
        Machine m = new Machine().code(amo(AMOADD, true, true, RS2, RS1, D, RD), amo(0x02, true, false, 0, RS1, W, 13),
                amo(0x03, false, true, RS2, RS1, W, 14));
        m.mem.write(DATA, 8, 10);
        m.set(RS1, DATA).set(RS2, 5).runToEcall();
        assertThat(m.x(RD)).isEqualTo(10);
        assertThat(m.x(13)).isEqualTo(15);
        assertThat(m.x(14)).isZero();
        assertThat(m.mem.read(DATA, 8)).isEqualTo(5);
    }

    @Test
    void lrScWordSucceedsAndSignExtends() {
        Machine m = new Machine().code(lrW(RD, RS1), scW(13, RS2, RS1));
        m.mem.write(DATA, 8, 0x1111_1111_8000_0001L);
        m.set(RS1, DATA).set(RS2, 0x7777_7777_0000_0042L).set(13, 99).runToEcall();
        assertThat(m.x(RD)).isEqualTo(0xffff_ffff_8000_0001L);
        assertThat(m.x(13)).isZero();
        assertThat(m.mem.read(DATA, 8)).isEqualTo(0x1111_1111_0000_0042L);
    }

    @Test
    void lrScDoublewordSucceeds() {
        Machine m = new Machine().code(lrD(RD, RS1), addi(RD, RD, 1), scD(13, RD, RS1));
        m.mem.write(DATA + 8, 8, -1);
        m.set(RS1, DATA + 8).set(13, 99).runToEcall();
        assertThat(m.x(13)).isZero();
        assertThat(m.mem.read(DATA + 8, 8)).isZero();
    }

    @Test
    void scWithoutReservationFails() {
        Machine m = new Machine().code(scW(13, RS2, RS1), scD(14, RS2, RS1));
        m.mem.write(DATA, 8, 7);
        m.set(RS1, DATA).set(RS2, 8).runToEcall();
        assertThat(m.x(13)).isNotZero();
        assertThat(m.x(14)).isNotZero();
        assertThat(m.mem.read(DATA, 8)).isEqualTo(7);
    }

    @Test
    void scToAnotherAddressFails() {
        Machine m = new Machine().code(lrD(RD, RS1), scD(13, RS2, 14), scD(15, RS2, RS1));
        m.mem.write(DATA, 8, 1);
        m.mem.write(DATA + 64, 8, 2);
        m.set(RS1, DATA).set(14, DATA + 64).set(RS2, 9).runToEcall();
        assertThat(m.x(13)).isNotZero();
        assertThat(m.mem.read(DATA + 64, 8)).isEqualTo(2);
        // The failed SC consumed the reservation: a later SC to the reserved address fails too.
        assertThat(m.x(15)).isNotZero();
        assertThat(m.mem.read(DATA, 8)).isEqualTo(1);
    }

    @Test
    void secondScAfterSuccessFails() {
        Machine m = new Machine().code(lrW(RD, RS1), scW(13, RS2, RS1), scW(14, 0, RS1));
        m.mem.write(DATA, 4, 1);
        m.set(RS1, DATA).set(RS2, 5).runToEcall();
        assertThat(m.x(13)).isZero();
        assertThat(m.x(14)).isNotZero();
        assertThat(m.mem.read(DATA, 4)).isEqualTo(5);
    }

    @Test
    void scFailsWhenAnotherHartStoredBetween() {
        Machine a = new Machine();
        Machine b = new Machine(a.mem, 1);
        a.place(CODE, lrW(RD, RS1), scW(13, RS2, RS1), ecall());
        b.place(CODE + 0x100, sw(RS2, RS1, 0), ecall());
        a.mem.write(DATA, 4, 10);
        a.set(RS1, DATA).set(RS2, 20);
        b.set(RS1, DATA).set(RS2, 30);
        b.h.pc = CODE + 0x100;
        assertThat(a.run(1)).isEqualTo(Stop.BUDGET);
        assertThat(a.x(RD)).isEqualTo(10);
        b.runToEcall();
        a.runToEcall();
        assertThat(a.x(13)).isNotZero();
        assertThat(a.mem.read(DATA, 4)).isEqualTo(30);
    }

    @Test
    void misalignedAtomicsRaiseAddressMisaligned() {
        for (AmoCase c : AMOS) {
            for (int width : new int[] {W, D}) {
                long[] addrs = width == W ? new long[] {DATA + 1, DATA + 2, DATA + 3} : new long[] {DATA + 1, DATA + 4, DATA + 7};
                for (long addr : addrs) {
                    Machine m = new Machine().code(addi(14, 0, 1), amo(c.funct5(), width, RD, RS2, RS1));
                    m.mem.write(DATA, 8, SENTINEL);
                    m.mem.write(DATA + 8, 8, SENTINEL);
                    m.set(RS1, addr).set(RS2, -1).set(RD, 77).runToException(Cause.MISALIGNED_STORE);
                    assertThat(m.h.trapValue).isEqualTo(addr);
                    assertThat(m.h.pc).isEqualTo(CODE + 4);
                    assertThat(m.h.instret).isEqualTo(1);
                    assertThat(m.x(RD)).isEqualTo(77);
                    assertThat(m.mem.read(DATA, 8)).isEqualTo(SENTINEL);
                    assertThat(m.mem.read(DATA + 8, 8)).isEqualTo(SENTINEL);
                }
            }
        }
        new Machine().code(lrW(RD, RS1)).set(RS1, DATA + 2).runToException(Cause.MISALIGNED_LOAD);
        new Machine().code(lrD(RD, RS1)).set(RS1, DATA + 4).runToException(Cause.MISALIGNED_LOAD);
        new Machine().code(scW(RD, RS2, RS1)).set(RS1, DATA + 2).runToException(Cause.MISALIGNED_STORE);
        new Machine().code(scD(RD, RS2, RS1)).set(RS1, DATA + 4).runToException(Cause.MISALIGNED_STORE);
    }

    @Test
    void amoOnReadOnlyOrUnmappedPageFaults() {
        Machine m = new Machine();
        m.mem.map(0x80000, 0x1000, TestMemory.R);
        m.mem.write(0x80000, 8, 5);
        m.code(amo(AMOADD, D, RD, RS2, RS1)).set(RS1, 0x80000).set(RS2, 1).runToException(Cause.STORE_PAGE_FAULT);
        assertThat(m.mem.read(0x80000, 8)).isEqualTo(5);
        new Machine().code(amo(AMOSWAP, W, RD, RS2, RS1)).set(RS1, 0x90000).runToException(Cause.STORE_PAGE_FAULT);
        new Machine().code(lrW(RD, RS1)).set(RS1, 0x90000).runToException(Cause.LOAD_PAGE_FAULT);
    }

    // ------------------------------------------------------------------ several harts on host threads

    static final int THREADS = 4;
    static final int ITERATIONS = 40_000;

    /** amoadd.{w,d} x0, x6, (a0) in a loop of a1 iterations. */
    static int[] amoLoop(int width) {
        return new int[] {amo(AMOADD, width, 0, 6, RD), addi(RS1, RS1, -1), bne(RS1, 0, -8), ecall()};
    }

    /** lr / addi / sc / retry on failure, a1 times. */
    static int[] lrScLoop(int width) {
        return new int[] {
            width == W ? lrW(5, RD) : lrD(5, RD), addi(5, 5, 1), width == W ? scW(6, 5, RD) : scD(6, 5, RD),
            bne(6, 0, -12), addi(RS1, RS1, -1), bne(RS1, 0, -20), ecall()
        };
    }

    /** Runs {@code THREADS} harts, hart i starting at {@code starts[i % starts.length]}, each on its own thread. */
    static void runConcurrently(Machine base, long[] starts, long counter) throws Exception {
        List<Machine> harts = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Machine m = i == 0 ? base : new Machine(base.mem, i);
            m.h.pc = starts[i % starts.length];
            m.set(RD, counter).set(RS1, ITERATIONS).set(6, 1);
            harts.add(m);
        }
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (Machine m : harts) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    Stop s;
                    // Small budgets: returning and re-entering the interpreter must not break atomicity.
                    do s = m.run(1000); while (s == Stop.BUDGET);
                    if (s != Stop.ECALL) throw new AssertionError("hart stopped with " + s + " cause " + m.h.trapCause);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) t.join(120_000);
        if (failure.get() != null) throw new AssertionError(failure.get());
        for (Thread t : threads) assertThat(t.isAlive()).isFalse();
    }

    @Test
    void concurrentAmoaddWord() throws Exception {
        Machine m = new Machine();
        m.place(CODE, amoLoop(W));
        m.mem.write(DATA, 8, 0xabcd_0000_0000_0000L);
        runConcurrently(m, new long[] {CODE}, DATA);
        assertThat(m.mem.read(DATA, 8)).isEqualTo(0xabcd_0000_0000_0000L + (long) THREADS * ITERATIONS);
    }

    @Test
    void concurrentAmoaddDoubleword() throws Exception {
        Machine m = new Machine();
        m.place(CODE, amoLoop(D));
        m.mem.write(DATA + 8, 8, 0xffff_ffffL);
        runConcurrently(m, new long[] {CODE}, DATA + 8);
        assertThat(m.mem.read(DATA + 8, 8)).isEqualTo(0xffff_ffffL + (long) THREADS * ITERATIONS);
    }

    @Test
    void concurrentLrScWord() throws Exception {
        Machine m = new Machine();
        m.place(CODE, lrScLoop(W));
        runConcurrently(m, new long[] {CODE}, DATA + 4);
        assertThat(m.mem.read(DATA + 4, 4)).isEqualTo((long) THREADS * ITERATIONS);
        assertThat(m.mem.read(DATA, 4)).isZero();
        assertThat(m.mem.read(DATA + 8, 4)).isZero();
    }

    @Test
    void concurrentLrScDoubleword() throws Exception {
        Machine m = new Machine();
        m.place(CODE, lrScLoop(D));
        runConcurrently(m, new long[] {CODE}, DATA + 16);
        assertThat(m.mem.read(DATA + 16, 8)).isEqualTo((long) THREADS * ITERATIONS);
    }

    @Test
    void concurrentMixOfLrScAndAmoadd() throws Exception {
        Machine m = new Machine();
        m.place(CODE, lrScLoop(D));
        m.place(CODE + 0x100, amoLoop(D));
        runConcurrently(m, new long[] {CODE, CODE + 0x100}, DATA);
        assertThat(m.mem.read(DATA, 8)).isEqualTo((long) THREADS * ITERATIONS);
    }
}
