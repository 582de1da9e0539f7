package dev.rivet.trace;

import dev.rivet.cpu.Cause;
import dev.rivet.cpu.DebugHook;
import dev.rivet.cpu.Hart;
import dev.rivet.cpu.Insn;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code --trace} output: one line per event, of the kinds asked for, for code inside the
 * {@code --trace-range} (by pc; for traps the pc they came from). Lines start with the kind and the
 * thread (process VM: the tid; system VM: {@code hN} and the privilege mode):
 * <pre>
 * insn  h0 M 0x0000000080000000  auipc   t0, 0x0                      t0=0x80000000
 * sys   1234 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3
 * trap  h0 exception 8 (environment call from U-mode) tval=0x0 epc=0x10078 -> S at 0xffffffff80001000
 * mmio  h0 write uart0 0x10000000 size 1 value 0x48 (pc 0x80000040)
 * </pre>
 */
public final class Tracer implements AutoCloseable {
    /** What can be traced. */
    public enum Kind { INSN, SYSCALL, TRAP, MMIO }

    private final Set<Kind> kinds;
    private final long low;
    private final long high;
    private final PrintStream out;
    private final boolean ownsOutput;

    private Tracer(Set<Kind> kinds, long low, long high, PrintStream out, boolean ownsOutput) {
        this.kinds = kinds;
        this.low = low;
        this.high = high;
        this.out = out;
        this.ownsOutput = ownsOutput;
    }

    /**
     * A tracer for {@code --trace KIND,...[=FILE]} and {@code --trace-range LO-HI} (null: all
     * addresses); lines go to FILE or else to {@code stderr}.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static Tracer open(String spec, String range, OutputStream stderr) throws IOException {
        int eq = spec.indexOf('=');
        String list = eq < 0 ? spec : spec.substring(0, eq);
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (String k : list.split(",")) {
            switch (k.trim().toLowerCase()) {
                case "insn" -> kinds.add(Kind.INSN);
                case "syscall" -> kinds.add(Kind.SYSCALL);
                case "trap" -> kinds.add(Kind.TRAP);
                case "mmio" -> kinds.add(Kind.MMIO);
                case "all" -> kinds.addAll(EnumSet.allOf(Kind.class));
                default -> throw new IllegalArgumentException("--trace: unknown kind '" + k + "' (insn, syscall, trap, mmio, all)");
            }
        }
        long lo = 0, hi = -1;
        if (range != null) {
            int dash = range.indexOf('-', 1);
            if (dash < 0) throw new IllegalArgumentException("--trace-range needs LO-HI, got '" + range + "'");
            lo = parseAddress(range.substring(0, dash));
            hi = parseAddress(range.substring(dash + 1));
            if (Long.compareUnsigned(lo, hi) >= 0) throw new IllegalArgumentException("--trace-range: LO must be below HI");
        }
        boolean toFile = eq >= 0;
        OutputStream sink = toFile ? Files.newOutputStream(Path.of(spec.substring(eq + 1))) : stderr;
        PrintStream ps = new PrintStream(new BufferedOutputStream(sink, 1 << 16), false, StandardCharsets.UTF_8);
        return new Tracer(kinds, lo, hi, ps, toFile);
    }

    private static long parseAddress(String s) {
        String t = s.trim().toLowerCase();
        if (t.startsWith("0x")) t = t.substring(2);
        try {
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--trace-range: bad address '" + s + "' (hex)");
        }
    }

    public boolean wants(Kind k) {
        return kinds.contains(k);
    }

    /** Whether events of kind {@code k} at {@code pc} are traced. */
    public boolean wants(Kind k, long pc) {
        return kinds.contains(k) && Long.compareUnsigned(pc, low) >= 0 && (high == -1 || Long.compareUnsigned(pc, high) < 0);
    }

    /** Writes one line (lines of different threads never mix). */
    public void line(String text) {
        synchronized (out) {
            out.println(text);
        }
    }

    /** A system call line: {@code text} is {@code name(args) = result}. */
    public void syscall(int tid, String text) {
        line("sys   " + tid + " " + text);
    }

    /** A device access (system VM); written after the line of the instruction that made it. */
    public void mmio(Hart h, boolean write, String device, long address, int size, long value) {
        if (!wants(Kind.MMIO, h.pc)) return;
        String text = String.format("mmio  h%d %s %s 0x%x size %d value 0x%x (pc 0x%x)", h.id, write ? "write" : "read ",
                device, address, size, value, h.pc);
        HartTrace current = CURRENT.get();
        if (current != null && current.pending) current.after.append(text).append('\n');
        else line(text);
    }

    /** A CPU exception turned into a signal (process VM). */
    public void fault(int tid, int cause, long tval, long pc, String signal) {
        if (!wants(Kind.TRAP, pc)) return;
        line(String.format("trap  %d exception %d (%s) tval=0x%x epc=0x%x -> %s", tid, cause, Cause.name(cause), tval, pc, signal));
    }

    /**
     * The hook to install on a hart: traces its instructions (when asked) and its traps. Call it on
     * the thread that runs the hart. {@code label} names the thread in each line; {@code system}
     * adds the privilege mode.
     */
    public DebugHook hook(String label, boolean system) {
        HartTrace t = new HartTrace(label, system);
        CURRENT.set(t);
        return t;
    }

    /** The hook of the hart running on this thread (device accesses find their instruction's line through it). */
    private static final ThreadLocal<HartTrace> CURRENT = new ThreadLocal<>();

    @Override
    public void close() {
        synchronized (out) {
            out.flush();
            if (ownsOutput) out.close();
        }
    }

    public void flush() {
        synchronized (out) {
            out.flush();
        }
    }

    private static final String MODES = "USHM";

    /** Per-hart state: the instruction about to execute, printed with its result once it retired. */
    private final class HartTrace implements DebugHook {
        private final String label;
        private final boolean system;
        private long pendingPc;
        private long pendingInsn;
        private int pendingMode;
        private boolean pending;
        /** Lines (device accesses) to write after the pending instruction's. */
        private final StringBuilder after = new StringBuilder();

        HartTrace(String label, boolean system) {
            this.label = label;
            this.system = system;
        }

        @Override
        public boolean armed(Hart h) {
            return kinds.contains(Kind.INSN);
        }

        @Override
        public boolean beforeInstruction(Hart h, long decoded) {
            flushPending(null);
            if (wants(Kind.INSN, h.pc)) {
                pendingPc = h.pc;
                pendingInsn = decoded;
                pendingMode = h.machine.priv;
                pending = true;
            }
            return false;
        }

        @Override
        public boolean afterInstruction(Hart h) {
            if (!pending) return false;
            String result = switch (Disassembler.destination(pendingInsn)) {
                case X -> Disassembler.X[Insn.rd(pendingInsn)] + "=0x" + Long.toHexString(h.x[Insn.rd(pendingInsn)]);
                case F -> Disassembler.F[Insn.rd(pendingInsn)] + "=0x" + Long.toHexString(h.f[Insn.rd(pendingInsn)]);
                case NONE -> null;
            };
            flushPending(result);
            return false;
        }

        private void flushPending(String result) {
            if (!pending) return;
            pending = false;
            String where = system ? "h" + label + " " + MODES.charAt(pendingMode) : label;
            String text = Disassembler.format(pendingInsn, pendingPc);
            String insn = result == null ? String.format("insn  %s 0x%016x  %s", where, pendingPc, text)
                    : String.format("insn  %s 0x%016x  %-36s %s", where, pendingPc, text, result);
            if (after.isEmpty()) {
                line(insn);
            } else {
                after.setLength(after.length() - 1);
                line(insn + "\n" + after);
                after.setLength(0);
            }
        }

        @Override
        public void trapEntered(Hart h, long cause, long tval, long epc, int newPriv) {
            flushPending(null);
            if (!wants(Kind.TRAP, epc)) return;
            boolean interrupt = cause < 0;
            int code = (int) (cause & 0xfff);
            String what = interrupt ? "interrupt " + code + " (" + interruptName(code) + ")"
                    : "exception " + code + " (" + Cause.name(code) + ")";
            line(String.format("trap  h%s %s tval=0x%x epc=0x%x -> %c at 0x%x", label, what, tval, epc,
                    MODES.charAt(newPriv), h.pc));
        }
    }

    static String interruptName(int code) {
        return switch (code) {
            case 1 -> "supervisor software";
            case 3 -> "machine software";
            case 5 -> "supervisor timer";
            case 7 -> "machine timer";
            case 9 -> "supervisor external";
            case 11 -> "machine external";
            default -> "interrupt " + code;
        };
    }
}
