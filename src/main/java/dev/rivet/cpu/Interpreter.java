package dev.rivet.cpu;

import static dev.rivet.cpu.Op.*;

import java.util.List;

/**
 * Executes decoded instructions. Runs of integer computations go to {@link StraightLine}, several
 * at a time; control transfers, loads and stores, multiplication and the system instructions are
 * written inline in the loop's switch; the less common ones are in {@link UncommonOps}, and
 * everything with corner cases calls the shared semantic classes ({@link Alu}, {@link Fpu},
 * {@link Csrs}), which the translator calls too.
 */
public final class Interpreter {
    private Interpreter() {}

    /**
     * The classes whose static methods {@link #loop} calls, initialized together with this class.
     * HotSpot's C2 compiles a call to a static method of a class not yet initialized as a trap (the
     * call would first have to run the initializer): the first multiply-high, division or
     * floating-point instruction after C2 had compiled the loop threw the compiled loop away, and a
     * Linux boot spent 0.3-0.7 s of C2 time on each of two to four compilations of it (the boot's
     * ahead-of-time profiles have C2 compile it early, before most instructions have run once).
     * {@link UncommonOps} initializes the classes it calls in turn.
     */
    static final List<Class<?>> STATIC_CALLEES =
            List.of(Insn.class, Traps.class, UncommonOps.class, StraightLine.class);

    static {
        StaticCallees.initialize(STATIC_CALLEES);
    }

    /**
     * Runs the hart for at most {@code budget} instructions. Returns early on an ecall or exception
     * in a user-only hart, on {@code wfi}, or when a stop was requested. The hart's state is exact
     * at every return: pc is the next instruction to execute (or the one that trapped).
     */
    public static Stop run(Hart h, long budget) {
        // Set before runSlice looks at the memory's epoch: a mapping change made after that look
        // then waits for this hart (see TlbShootdown).
        h.inGuestCode = true;
        try {
            return runSlice(h, budget);
        } finally {
            h.inGuestCode = false;
            CompiledCode compiled = h.compiled;
            if (compiled != null) compiled.endSlice(h);
        }
    }

    private static Stop runSlice(Hart h, long budget) {
        h.syncWithMemory();
        if (h.takeStopRequest()) return Stop.REQUESTED;
        DebugHook hook = h.debugHook;
        if (hook != null && hook.armed(h)) return runObserved(h, hook, budget);
        final long[] x = h.x;
        final long start = h.instret;
        // Whether pc was just set by a control transfer (a trap, an interrupt, an xRET) rather than
        // being where the previous slice ended: translated code counts only the former (CompiledCode).
        boolean transferred = false;
        while (true) {
            try {
                if (!h.userOnly) {
                    h.attention = false;
                    transferred |= Traps.checkInterrupts(h);
                }
                long left = budget - (h.instret - start);
                if (left <= 0) return Stop.BUDGET;
                Stop stop = loop(h, x, left, transferred);
                if (stop != null) return stop;
                transferred = true;
            } catch (Trap t) {
                transferred = true;
                x[0] = 0;
                if (h.userOnly) return Stop.EXCEPTION;
                // The faulting instruction did not retire; its handler runs next. An illegal
                // instruction reports its own bits, whichever check rejected it.
                int cause = h.trapCause;
                long value = h.trapValue;
                if (cause == Cause.ILLEGAL_INSTRUCTION && value == 0) value = illegalBits(h);
                Traps.take(h, cause, value, false);
            }
        }
    }

    /**
     * The path every engine takes while a {@link DebugHook} is armed: one instruction at a time,
     * the hook consulted before and after each (see the contract there).
     */
    private static Stop runObserved(Hart h, DebugHook hook, long budget) {
        final long[] x = h.x;
        final long start = h.instret;
        while (h.instret - start < budget) {
            if (h.takeStopRequest()) return Stop.REQUESTED;
            h.syncWithMemory();
            try {
                if (!h.userOnly && !hook.masksInterrupts(h)) {
                    h.attention = false;
                    if (Traps.checkInterrupts(h)) {
                        if (hook.afterInstruction(h)) return Stop.DEBUG;
                        continue;
                    }
                }
                if (hook.beforeInstruction(h, h.fetch())) return Stop.DEBUG;
                Stop stop = loop(h, x, 1, false);
                if (stop == Stop.ECALL || stop == Stop.REQUESTED) return stop;
                if (hook.afterInstruction(h)) return Stop.DEBUG;
                if (stop == Stop.WFI) return stop;
            } catch (Trap t) {
                x[0] = 0;
                if (h.userOnly) return Stop.EXCEPTION;
                Traps.take(h, h.trapCause, h.trapValue, false);
                if (hook.afterInstruction(h)) return Stop.DEBUG;
            }
        }
        return Stop.BUDGET;
    }

    /**
     * A user-only hart's attention without a stop request: another thread changed the mappings of
     * the memory it shares and waits for it to drop its stale TLB entries (TlbShootdown). Cleared
     * before the look at the epoch, so that a request made after it is seen at the next check.
     */
    private static void userAttention(Hart h) {
        h.attention = false;
        h.syncWithMemory();
    }

    /**
     * Runs instructions until the budget is spent or something stops it; returns null when the
     * system VM must look at interrupts again (after xRET, or when attention was requested).
     */
    private static Stop loop(Hart h, long[] x, long budget, boolean transferred) {
        long executed = 0;
        // A slice starts a block: translated code may take it from here (it counts what it retires).
        CompiledCode compiled = h.debugActive ? null : h.compiled;
        // Translated code that ran stops at an instruction it leaves to the interpreter (a CSR
        // access, ecall, the end of its page): after that one, it may take over again at once.
        boolean resume = false;
        if (compiled != null) {
            long ran = compiled.execute(h, budget, transferred);
            budget -= ran;
            resume = ran > 0;
        }
        try {
            while (executed < budget) {
                long d = h.fetch();
                // Integer computations run in a loop of their own, several at a time (see
                // StraightLine); right after translated code left, one instruction only (below).
                if (!resume && StraightLine.handles(Insn.op(d))) {
                    executed += StraightLine.run(h, x, d, budget - executed);
                    continue;
                }
                long pc = h.pc;
                long next = pc + Insn.length(d);
                int rd = Insn.rd(d);
                int imm = Insn.imm(d);
                switch (Insn.op(d)) {
                    case JAL -> { x[rd] = next; next = pc + imm; }
                    case JALR -> { long t = (rs1(x, d) + imm) & ~1L; x[rd] = next; next = t; }
                    case BEQ -> { if (rs1(x, d) == rs2(x, d)) next = pc + imm; }
                    case BNE -> { if (rs1(x, d) != rs2(x, d)) next = pc + imm; }
                    case BLT -> { if (rs1(x, d) < rs2(x, d)) next = pc + imm; }
                    case BGE -> { if (rs1(x, d) >= rs2(x, d)) next = pc + imm; }
                    case BLTU -> { if (Long.compareUnsigned(rs1(x, d), rs2(x, d)) < 0) next = pc + imm; }
                    case BGEU -> { if (Long.compareUnsigned(rs1(x, d), rs2(x, d)) >= 0) next = pc + imm; }
                    // One call site for all loads and one for all stores: see loadSize.
                    case LB, LH, LW, LD, LBU, LHU, LWU -> {
                        int size = loadSize(d);
                        long value = h.load(rs1(x, d) + imm, size);
                        int above = 64 - 8 * size;
                        x[rd] = Insn.op(d) < LBU ? value << above >> above : value;
                    }
                    case SB, SH, SW, SD -> h.store(rs1(x, d) + imm, 1 << (Insn.op(d) - SB), rs2(x, d));
                    // Integer computations one at a time, where translated code may take over after it.
                    case LUI, AUIPC, ADDI, SLTI, SLTIU, XORI, ORI, ANDI, SLLI, SRLI, SRAI, ADD, SUB, SLL, SLT, SLTU, XOR,
                            SRL, SRA, OR, AND, ADDIW, SLLIW, SRLIW, SRAIW, ADDW, SUBW, SLLW, SRLW, SRAW ->
                        StraightLine.run(h, x, d, 1);
                    case ECALL -> {
                        if (h.userOnly) return Stop.ECALL;
                        throw h.raise(Cause.ECALL_U + h.machine.priv, 0);
                    }
                    case MUL -> x[rd] = rs1(x, d) * rs2(x, d);
                    case MULW -> x[rd] = (int) rs1(x, d) * (int) rs2(x, d);
                    case CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI -> {
                        // The counters must include the instructions already retired in this run.
                        h.instret += executed;
                        budget -= executed;
                        executed = 0;
                        x[rd] = csr(h, d, rs1(x, d));
                        // Interrupt conditions "must also be evaluated immediately following ... an
                        // explicit write to a CSR on which these interrupt trap conditions expressly
                        // depend" (machine.adoc, "Machine Interrupt Registers"): privileged CSR writes
                        // ask for attention, so end the instruction here and look.
                        if (h.attention) {
                            x[0] = 0;
                            h.pc = next;
                            executed++;
                            if (h.takeStopRequest()) return Stop.REQUESTED;
                            if (!h.userOnly) return null;
                            userAttention(h);
                            continue;
                        }
                    }
                    case WFI -> {
                        if (!h.userOnly) {
                            int priv = h.machine.priv;
                            if (priv == MachineState.PRV_U
                                    || (priv == MachineState.PRV_S && (h.machine.mstatus & MachineState.TW) != 0)) {
                                throw h.raise(Cause.ILLEGAL_INSTRUCTION, 0);
                            }
                            if (Traps.wakeupPending(h)) break;
                        }
                        h.pc = next;
                        executed++;
                        return Stop.WFI;
                    }
                    case MRET -> {
                        if (h.userOnly) throw h.raise(Cause.ILLEGAL_INSTRUCTION, 0);
                        Traps.mret(h);
                        executed++;
                        return null;
                    }
                    case SRET -> {
                        if (h.userOnly) throw h.raise(Cause.ILLEGAL_INSTRUCTION, 0);
                        Traps.sret(h);
                        executed++;
                        return null;
                    }
                    case SFENCE_VMA -> {
                        MachineState m = h.machine;
                        if (h.userOnly || m.priv == MachineState.PRV_U
                                || (m.priv == MachineState.PRV_S && (m.mstatus & MachineState.TVM) != 0)) {
                            throw h.raise(Cause.ILLEGAL_INSTRUCTION, 0);
                        }
                        // With rs1 = x0 every address; else the page of x[rs1] (ASIDs are not
                        // implemented, so rs2 does not narrow it): supervisor.adoc, "Supervisor
                        // Memory-Management Fence Instruction". Linux fences one address after
                        // each page-table update, the whole TLB only on a context switch.
                        if (Insn.rs1(d) == 0) h.flushTlb();
                        else h.flushTlbPage(rs1(x, d));
                    }
                    // The less common instructions, out of line (see UncommonOps).
                    default -> UncommonOps.execute(h, x, d, pc);
                }
                x[0] = 0;
                h.pc = next;
                executed++;
                // Stop requests are looked at where control flow may leave straight-line code, so the
                // common path pays nothing; a stop is taken at the latest at the next jump or branch.
                boolean jumped = next != pc + Insn.length(d);
                if (jumped || resume) {
                    // A taken jump starts a block: there (and after an instruction translated code
                    // left to the interpreter) translated code takes over.
                    resume = false;
                    if (compiled != null) {
                        h.instret += executed;
                        budget -= executed;
                        executed = 0;
                        long ran = compiled.execute(h, budget, jumped);
                        budget -= ran;
                        resume = ran > 0;
                    }
                    if (h.attention) {
                        if (h.takeStopRequest()) return Stop.REQUESTED;
                        if (!h.userOnly) return null;
                        userAttention(h);
                    }
                }
            }
            return Stop.BUDGET;
        } finally {
            // Every way out (including a host-side limit thrown from memory) counts what retired.
            h.instret += executed;
        }
    }

    // loadSize and the stores' width depend on Op's numbering.
    static {
        if (LH != LB + 1 || LW != LB + 2 || LD != LB + 3 || LBU != LB + 4 || LHU != LB + 5 || LWU != LB + 6
                || SH != SB + 1 || SW != SB + 2 || SD != SB + 3) {
            throw new AssertionError("loads and stores are numbered by width (Op)");
        }
    }

    /**
     * The width in bytes of a load (LB to LD: 1, 2, 4, 8; LBU to LWU: 1, 2, 4). The loads share one
     * call of {@link Hart#load} (the stores one of {@link Hart#store}): HotSpot's C2 inlines at most
     * about 8,000 bytecodes into one compiled method, and this loop was half of that, so with a
     * call site per width the inlined TLB paths of seven loads and four stores used the rest, and
     * in a compiled boot the branches' register reads and half the loads stayed real calls.
     */
    private static int loadSize(long d) {
        return 1 << ((Insn.op(d) - LB) & 3);
    }

    /**
     * x[rs1] and x[rs2], read in the switch case that uses them. The acquire fence (no instruction
     * on x86) gives each case its own memory state, so HotSpot cannot merge the reads of all cases
     * into one before the switch, and with it every expression built on them: merged, addresses,
     * TLB indices and shifts would be computed (and held in registers) for every instruction,
     * whatever its opcode, which more than halved the interpreter's speed.
     */
    private static long rs1(long[] x, long d) {
        java.lang.invoke.VarHandle.acquireFence();
        return x[Insn.rs1(d)];
    }

    private static long rs2(long[] x, long d) {
        java.lang.invoke.VarHandle.acquireFence();
        return x[Insn.rs2(d)];
    }

    /** The bits of the illegal instruction at pc; 0 if they cannot be read again. */
    private static long illegalBits(Hart h) {
        try {
            return h.instructionBits();
        } catch (Trap t) {
            return 0;
        }
    }

    static long csr(Hart h, long d, long rs1Value) {
        int op = Insn.op(d);
        int csr = Insn.imm(d) & 0xfff;
        int rs1 = Insn.rs1(d);
        boolean immediate = op >= CSRRWI;
        long operand = immediate ? rs1 : rs1Value;
        int kind = immediate ? op - CSRRWI : op - CSRRW; // 0 write, 1 set, 2 clear
        // CSRRW with rd = x0 does not read; CSRRS/C with a zero source does not write (Zicsr chapter).
        boolean reads = kind != 0 || Insn.rd(d) != 0;
        boolean writes = kind == 0 || rs1 != 0;
        long old = reads ? Csrs.read(h, csr, 0) : 0;
        if (writes) {
            long value = switch (kind) {
                case 0 -> operand;
                case 1 -> old | operand;
                default -> old & ~operand;
            };
            Csrs.write(h, csr, value, 0);
        }
        return old;
    }
}
