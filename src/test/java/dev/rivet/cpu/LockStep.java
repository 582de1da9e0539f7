package dev.rivet.cpu;

import dev.rivet.jit.Jit;
import dev.rivet.jit.JitConfig;
import dev.rivet.mem.Page;
import java.util.Arrays;

/**
 * Lock-step checker: runs the same program on two identical machines, one interpreting only and
 * one with the translator (eager: every block translated on first entry), with the same sequence
 * of budgets, and compares the complete guest state (pc, x, f, fflags, frm, instret, how and why
 * each run stopped, and the bytes of every page) after every slice. On a difference it replays
 * both from the start and bisects to the first instruction count at which they differ, and reports
 * that instruction and what differs.
 *
 * <p>Traps and ecalls end a slice on both sides; the driver then resumes after the instruction
 * (or at the start of the code after a fetch fault), like a signal handler that skips it.
 */
final class LockStep {
    /** A program: code bytes for {@link Machine#CODE}, initial registers, and how to run it. */
    record Program(byte[] code, long[] x, long[] f, long totalInstructions, int slice) {}

    private LockStep() {}

    /** Instructions the translated side ran in translated code, over all checks (for coverage). */
    static final java.util.concurrent.atomic.LongAdder TRANSLATED = new java.util.concurrent.atomic.LongAdder();

    /** Null when both machines agree all the way; else a report of the first difference. */
    static String check(Program p) {
        return check(p, JitConfig.eager());
    }

    /** As {@link #check(Program)}, the translated side with {@code config}. */
    static String check(Program p, JitConfig config) {
        Machine ref = start(p, null), jit = start(p, config);
        Jit translator = (Jit) jit.h.compiled;
        try {
            String result = run(p, ref, jit, config);
            if (result == null && translator.stats().failed() > 0) {
                return "translation failed: " + translator.stats().firstFailure();
            }
            return result;
        } finally {
            TRANSLATED.add(translator.stats().instructionsInTranslatedCode());
        }
    }

    private static String run(Program p, Machine ref, Machine jit, JitConfig config) {
        long lastAgreed = 0;
        for (int steps = 0; ref.h.instret < p.totalInstructions() && steps < 5_000; steps++) {
            String stopRef = step(ref, p, Long.MAX_VALUE), stopJit = step(jit, p, Long.MAX_VALUE);
            String diff = compare(ref, jit, stopRef, stopJit);
            if (diff != null) return locate(p, config, lastAgreed, Math.max(ref.h.instret, jit.h.instret), diff);
            lastAgreed = ref.h.instret;
        }
        return null;
    }

    /** A machine with the program loaded; translating with {@code config} unless it is null. */
    private static Machine start(Program p, JitConfig config) {
        Machine m = new Machine();
        m.h.compiled = null;
        if (config != null) new Jit(config).attach(m.h);
        // Code longer than the machine's code page continues on pages mapped after it.
        for (long more = Page.SIZE; more < p.code().length; more += Page.SIZE) {
            m.mem.map(Machine.CODE + more, Page.SIZE, TestMemory.RWX);
        }
        for (int i = 0; i < p.code().length; i++) m.mem.write(Machine.CODE + i, 1, p.code()[i]);
        System.arraycopy(p.x(), 0, m.h.x, 0, 32);
        m.h.x[0] = 0;
        System.arraycopy(p.f(), 0, m.h.f, 0, 32);
        m.h.pc = Machine.CODE;
        return m;
    }

    /** Runs one slice (at most {@code limit} instructions in total); returns how it stopped. */
    private static String step(Machine m, Program p, long limit) {
        Hart h = m.h;
        long budget = Math.min(p.slice(), limit - h.instret);
        if (budget <= 0) return "limit";
        Stop stop;
        try {
            stop = Interpreter.run(h, budget);
        } catch (RuntimeException e) {
            return "host exception " + e;
        }
        String how = stop + (stop == Stop.EXCEPTION ? " " + Cause.name(h.trapCause) + " tval=0x" + Long.toHexString(h.trapValue) : "");
        if (stop == Stop.EXCEPTION || stop == Stop.ECALL || stop == Stop.WFI) {
            int cause = h.trapCause;
            boolean fetchFault = stop == Stop.EXCEPTION
                    && (cause == Cause.MISALIGNED_FETCH || cause == Cause.FETCH_ACCESS || cause == Cause.FETCH_PAGE_FAULT);
            if (fetchFault) h.pc = Machine.CODE;
            else h.pc += (m.mem.read(h.pc, 1) & 3) == 3 ? 4 : 2;
        }
        return how;
    }

    /** Null if equal, else what differs. */
    private static String compare(Machine a, Machine b, String stopA, String stopB) {
        Hart x = a.h, y = b.h;
        StringBuilder d = new StringBuilder();
        if (!stopA.equals(stopB)) d.append(" stop: ").append(stopA).append(" vs ").append(stopB);
        if (x.pc != y.pc) d.append(String.format(" pc: 0x%x vs 0x%x", x.pc, y.pc));
        if (x.instret != y.instret) d.append(" instret: ").append(x.instret).append(" vs ").append(y.instret);
        for (int r = 0; r < 32; r++) {
            if (x.x[r] != y.x[r]) d.append(String.format(" x%d: 0x%x vs 0x%x", r, x.x[r], y.x[r]));
            if (x.f[r] != y.f[r]) d.append(String.format(" f%d: 0x%x vs 0x%x", r, x.f[r], y.f[r]));
        }
        if (x.fflags != y.fflags) d.append(" fflags: ").append(x.fflags).append(" vs ").append(y.fflags);
        if (x.frm != y.frm) d.append(" frm: ").append(x.frm).append(" vs ").append(y.frm);
        for (long va : new long[] {Machine.CODE, Machine.DATA, Machine.DATA + Page.SIZE}) {
            byte[] pa = bytes(a.mem.page(va)), pb = bytes(b.mem.page(va));
            int i = Arrays.mismatch(pa, pb);
            if (i >= 0) d.append(String.format(" memory at 0x%x: 0x%02x vs 0x%02x", va + i, pa[i], pb[i]));
        }
        return d.isEmpty() ? null : d.toString();
    }

    private static byte[] bytes(Page p) {
        return p.data.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /**
     * Replays both machines from the start to successive instruction counts between the last
     * agreement and the first difference, and reports the first count where they differ.
     */
    private static String locate(Program p, JitConfig config, long good, long bad, String firstSeen) {
        for (long n = good; n <= bad; n++) {
            Machine ref = start(p, null), jit = start(p, config);
            String stopRef = "", stopJit = "";
            for (int steps = 0; steps < 5_000 && (ref.h.instret < n || jit.h.instret < n); steps++) {
                stopRef = step(ref, p, n);
                stopJit = step(jit, p, n);
                if (!stopRef.equals(stopJit) || ref.h.instret != jit.h.instret) break;
            }
            String diff = compare(ref, jit, stopRef, stopJit);
            if (diff != null) {
                // Translated code runs whole blocks, so the culprit is among the last few instructions.
                return String.format("interpreter vs translator differ after %d instructions:%s%nlast instructions:%s",
                        n, diff, trace(p, Math.max(0, n - 40), n));
            }
        }
        return "difference seen by instruction " + bad + " but not found again on replay:" + firstSeen;
    }

    /** The reference's instructions from count {@code from} to {@code to}, one per line. */
    private static String trace(Program p, long from, long to) {
        Machine ref = start(p, null);
        for (int steps = 0; steps < 5_000 && ref.h.instret < from; steps++) step(ref, p, from);
        StringBuilder b = new StringBuilder();
        for (long i = ref.h.instret; i < to && b.length() < 4000; ) {
            b.append(String.format("%n  #%d pc 0x%x %s", i + 1, ref.h.pc, describe(ref, ref.h.pc)));
            String stop = step(ref, p, i + 1);
            if (ref.h.instret == i) b.append(" -> ").append(stop);
            i = ref.h.instret;
        }
        return b.toString();
    }

    private static String describe(Machine m, long pc) {
        try {
            int low = (int) m.mem.read(pc, 2);
            long d = Decoder.isCompressed(low) ? Decoder.decode(low) : Decoder.decode((int) m.mem.read(pc, 4));
            return Op.name(Insn.op(d)) + " rd=x" + Insn.rd(d) + " rs1=x" + Insn.rs1(d) + " rs2=x" + Insn.rs2(d)
                    + " imm=" + Insn.imm(d);
        } catch (RuntimeException e) {
            return "(unreadable)";
        }
    }
}
