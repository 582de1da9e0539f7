package dev.rivet.cpu;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user-only hart on a {@link TestMemory}, with helpers to place code, run it, and read results.
 * Code lives at {@link #CODE} (one RWX page), data at {@link #DATA} (two RW pages).
 */
final class Machine {
    static final long CODE = 0x10000;
    static final long DATA = 0x40000;
    /** A fixed clock: 123456789 ns, so the time CSR reads 1234567 ticks. */
    static final Clock CLOCK = () -> 123_456_789L;

    final TestMemory mem;
    final Hart h;

    Machine() {
        this(new TestMemory().map(CODE, 0x1000, TestMemory.RWX).map(DATA, 0x2000, TestMemory.RW), 0);
    }

    /** Another hart sharing {@code mem}. */
    Machine(TestMemory mem, int id) {
        this.mem = mem;
        this.h = new Hart(id, mem, CLOCK, true);
        h.pc = CODE;
        JitMode.apply(h);
    }

    /** Writes instructions at {@code addr}: 16-bit for compressed encodings, 32-bit otherwise. Returns the end. */
    long place(long addr, int... insns) {
        for (int insn : insns) {
            int len = (insn & 3) == 3 ? 4 : 2;
            mem.write(addr, len, insn);
            addr += len;
        }
        return addr;
    }

    /** Places the instructions at {@link #CODE}, followed by an ecall, and sets pc there. */
    Machine code(int... insns) {
        long end = place(CODE, insns);
        place(end, Asm.ecall());
        h.pc = CODE;
        return this;
    }

    Machine set(int reg, long value) {
        h.x[reg] = value;
        return this;
    }

    long x(int reg) {
        return h.x[reg];
    }

    Stop run(long budget) {
        return Interpreter.run(h, budget);
    }

    /** Runs to the ecall that ends the program and asserts it got there. */
    Machine runToEcall() {
        Stop s = run(1_000_000);
        assertThat(s).as("stop (trap cause %d, value 0x%x, pc 0x%x)", h.trapCause, h.trapValue, h.pc)
                .isEqualTo(Stop.ECALL);
        return this;
    }

    /** Runs and asserts the program stopped on an exception with {@code cause}. */
    Machine runToException(int cause) {
        Stop s = run(1_000_000);
        assertThat(s).as("stop").isEqualTo(Stop.EXCEPTION);
        assertThat(h.trapCause).as("trap cause (%s)", Cause.name(h.trapCause)).isEqualTo(cause);
        return this;
    }

    // Register conventions for one-instruction tests: rd = a0 (x10), rs1 = a1 (x11), rs2 = a2 (x12).
    static final int RD = 10, RS1 = 11, RS2 = 12;

    /** Executes one instruction (reading x11, x12, writing x10) and returns x10. */
    static long exec(int insn, long rs1, long rs2) {
        Machine m = new Machine().code(insn).set(RS1, rs1).set(RS2, rs2).set(RD, 0xdead_beef_0bad_f00dL);
        m.runToEcall();
        assertThat(m.h.pc).isEqualTo(CODE + 4);
        assertThat(m.h.instret).isEqualTo(1);
        return m.x(RD);
    }

    static long exec(int insn, long rs1) {
        return exec(insn, rs1, 0);
    }
}
