package dev.rivet.linux;

import dev.rivet.cpu.Access;
import dev.rivet.cpu.Stop;
import dev.rivet.gdb.DebugThread;
import dev.rivet.gdb.Debugger;
import dev.rivet.gdb.Hooks;
import dev.rivet.gdb.Target;
import dev.rivet.gdb.TargetDescription;
import dev.rivet.mem.Page;
import dev.rivet.trace.Tracer;

/**
 * The process VM's side of the debugger and the tracer: registers the first process's threads
 * with the {@link Debugger} (gdb's threads are that process's threads; processes it forks run on
 * undebugged), installs the hooks on every thread's hart, and serves gdb memory as the process's
 * address space. Guest threads call it at the points {@link GuestThread} marks.
 */
public final class GuestDebug implements Target {
    private final Kernel kernel;
    private final Debugger debugger;
    private final Tracer tracer;

    /** Either part may be null. */
    public GuestDebug(Kernel kernel, Debugger debugger, Tracer tracer) {
        this.kernel = kernel;
        this.debugger = debugger;
        this.tracer = tracer;
    }

    Tracer tracer() {
        return tracer;
    }

    /** A thread starts running: register it (first process only) and install the hooks. */
    void threadStarted(GuestThread t) {
        if (debugger != null && t.process == kernel.firstProcess()) {
            GuestProcess p = t.process;
            t.debug = debugger.register(t.tid, t.hart, t::wake,
                    () -> p.exiting || t.killed || kernel.hasFinished());
        }
        t.hart.debugHook = Hooks.chain(t.debug, tracer == null ? null : tracer.hook(String.valueOf(t.tid), false));
    }

    void threadEnded(GuestThread t) {
        if (t.debug != null) debugger.unregister(t.debug);
        t.debug = null;
    }

    void checkpoint(GuestThread t) {
        if (t.debug != null) debugger.checkpoint(t.debug);
    }

    void afterRun(GuestThread t, Stop stop) {
        if (t.debug != null) debugger.afterRun(t.debug, stop);
    }

    void afterSyscall(GuestThread t) {
        if (t.debug != null) debugger.afterSyscall(t.debug);
    }

    /** The signal about to be delivered, as the debugger lets it through: null if it discarded it. */
    SigInfo signal(GuestThread t, SigInfo s) {
        if (t.debug == null || s.signo() == Signal.SIGKILL) return s;
        int sig = debugger.signal(t.debug, s.signo());
        if (sig == 0) return null;
        return sig == s.signo() ? s : SigInfo.user(sig, t.process.pid, kernel.creds.uid());
    }

    void fault(GuestThread t, int cause, long tval, SigInfo info) {
        if (tracer != null) tracer.fault(t.tid, cause, tval, t.hart.pc, Signal.name(info.signo()));
    }

    // ---------------------------------------------------------------- Target

    @Override
    public TargetDescription description() {
        return TargetDescription.user();
    }

    private AddressSpace space() {
        return kernel.firstProcess().space;
    }

    @Override
    public byte[] read(DebugThread thread, long address, int length) {
        AddressSpace space = space();
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long a = address + done;
            Page p = space.resolve(a, Access.READ, null);
            if (p == null) p = space.resolve(a, Access.EXECUTE, null);
            if (p == null) break;
            int off = (int) (a & Page.OFFSET_MASK);
            int n = Math.min(length - done, Page.SIZE - off);
            p.copyOut(off, out, done, n);
            done += n;
        }
        return done == length ? out : java.util.Arrays.copyOf(out, done);
    }

    @Override
    public boolean write(DebugThread thread, long address, byte[] data) {
        AddressSpace space = space();
        for (int done = 0; done < data.length; ) {
            long a = address + done;
            Page p = space.resolve(a, Access.WRITE, null);
            if (p == null) return false;
            int off = (int) (a & Page.OFFSET_MASK);
            int n = Math.min(data.length - done, Page.SIZE - off);
            p.copyIn(data, done, off, n);
            done += n;
        }
        // Harts drop their TLBs and decoded pages at their next slice.
        space.bumpMappingEpoch();
        return true;
    }

    @Override
    public boolean attachedToExisting() {
        return false;
    }

    @Override
    public boolean hasSignals() {
        return true;
    }

    @Override
    public String monitor(DebugThread thread, String command) {
        return switch (command) {
            case "help" -> "monitor commands: maps (the address space), help\n";
            case "maps" -> {
                StringBuilder b = new StringBuilder();
                for (Vma v : space().mappings()) {
                    b.append(String.format("%012x-%012x %c%c%c%c %s%n", v.start, v.end,
                            (v.prot & Vma.PROT_READ) != 0 ? 'r' : '-', (v.prot & Vma.PROT_WRITE) != 0 ? 'w' : '-',
                            (v.prot & Vma.PROT_EXEC) != 0 ? 'x' : '-', v.shared ? 's' : 'p', v.name == null ? "" : v.name));
                }
                yield b.toString();
            }
            default -> null;
        };
    }

    @Override
    public String threadInfo(DebugThread thread) {
        return "tid " + thread.id;
    }

    @Override
    public void kill() {
        kernel.abort("killed by the debugger", 128 + Signal.SIGKILL);
    }
}
