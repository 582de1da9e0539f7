package dev.rivet.board;

import dev.rivet.cpu.Hart;
import dev.rivet.cpu.MachineState;
import dev.rivet.cpu.Stop;
import dev.rivet.gdb.DebugThread;
import dev.rivet.gdb.Debugger;
import dev.rivet.gdb.Hooks;
import dev.rivet.gdb.PageWalk;
import dev.rivet.gdb.Target;
import dev.rivet.gdb.TargetDescription;
import dev.rivet.mem.Page;
import dev.rivet.trace.Tracer;
import java.util.Arrays;

/**
 * The system VM's side of the debugger and the tracer: each hart is a gdb thread (id = hartid + 1),
 * memory is seen through the selected hart's current translation (physical in M-mode or with satp
 * Bare), and {@code monitor} commands show physical memory, the privilege mode and satp.
 */
public final class MachineDebug implements Target {
    private final VirtMachine machine;
    private final Debugger debugger;
    private final Tracer tracer;

    /** Either part may be null. */
    public MachineDebug(VirtMachine machine, Debugger debugger, Tracer tracer) {
        this.machine = machine;
        this.debugger = debugger;
        this.tracer = tracer;
    }

    Tracer tracer() {
        return tracer;
    }

    /** Called by a hart's runner thread as it starts: registers it and installs the hooks. */
    DebugThread started(HartRunner r) {
        DebugThread t = debugger == null ? null
                : debugger.register(r.hart.id + 1, r.hart, () -> {
                    r.hart.requestStop();
                    r.wake();
                }, machine::isStopped);
        r.hart.debugHook = Hooks.chain(t, tracer == null ? null : tracer.hook(String.valueOf(r.hart.id), true));
        return t;
    }

    void checkpoint(DebugThread t) {
        if (t != null) debugger.checkpoint(t);
    }

    void afterRun(DebugThread t, Stop stop) {
        if (t != null) debugger.afterRun(t, stop);
    }

    // ---------------------------------------------------------------- Target

    @Override
    public TargetDescription description() {
        return TargetDescription.system();
    }

    /** The RAM or ROM page at physical {@code pa}, or null (devices are not read by the debugger: reads have effects). */
    private Page physicalPage(long pa, boolean write) {
        Page p = machine.ram.page(pa);
        if (p != null || write) return p;
        return machine.rom.contains(pa) ? machine.rom.page(pa) : null;
    }

    private byte[] copy(Hart h, long address, int length, boolean physical) {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long a = address + done;
            long pa = physical ? a : PageWalk.translate(h, a, machine.memory);
            Page p = pa == PageWalk.NONE ? null : physicalPage(pa, false);
            if (p == null) break;
            int off = (int) (pa & Page.OFFSET_MASK);
            int n = Math.min(length - done, Page.SIZE - off);
            p.copyOut(off, out, done, n);
            done += n;
        }
        return done == length ? out : Arrays.copyOf(out, done);
    }

    @Override
    public byte[] read(DebugThread thread, long address, int length) {
        return copy(thread.hart, address, length, false);
    }

    @Override
    public boolean write(DebugThread thread, long address, byte[] data) {
        // Check the whole range first, so a failing write changes nothing.
        for (int done = 0; done < data.length; done += Page.SIZE - (int) ((address + done) & Page.OFFSET_MASK)) {
            long pa = PageWalk.translate(thread.hart, address + done, machine.memory);
            if (pa == PageWalk.NONE || physicalPage(pa, true) == null) return false;
        }
        for (int done = 0; done < data.length; ) {
            long pa = PageWalk.translate(thread.hart, address + done, machine.memory);
            Page p = physicalPage(pa, true);
            int off = (int) (pa & Page.OFFSET_MASK);
            int n = Math.min(data.length - done, Page.SIZE - off);
            p.copyIn(data, done, off, n);
            p.invalidateCode();
            done += n;
        }
        // Harts drop their TLBs and decoded pages at their next slice.
        machine.memory.bumpMappingEpoch();
        return true;
    }

    @Override
    public boolean attachedToExisting() {
        return true;
    }

    @Override
    public boolean hasSignals() {
        return false;
    }

    @Override
    public String threadInfo(DebugThread thread) {
        return "hart " + thread.hart.id + ", " + mode(thread.hart.machine.priv) + "-mode";
    }

    private static String mode(int priv) {
        return switch (priv) {
            case MachineState.PRV_U -> "U";
            case MachineState.PRV_S -> "S";
            default -> "M";
        };
    }

    @Override
    public String monitor(DebugThread thread, String command) {
        String[] w = command.trim().split("\\s+");
        Hart h = thread.hart;
        try {
            return switch (w[0]) {
                case "help" -> """
                        monitor commands (for the selected hart):
                          phys ADDR [LEN]   dump physical memory (hex; LEN default 64, at most 4096)
                          translate VADDR   the physical address VADDR maps to now
                          priv              the privilege mode
                          satp              satp, its mode and root page table
                        """;
                case "priv", "mode" -> "hart " + h.id + ": " + mode(h.machine.priv) + "-mode (priv " + h.machine.priv + ")\n";
                case "satp" -> satp(h.machine.satp);
                case "translate" -> {
                    long va = number(w[1]);
                    long pa = PageWalk.translate(h, va, machine.memory);
                    yield pa == PageWalk.NONE ? String.format("0x%x: no translation%n", va)
                            : String.format("0x%x -> physical 0x%x%n", va, pa);
                }
                case "phys" -> dump(h, number(w[1]), w.length > 2 ? (int) Math.min(number(w[2]), 4096) : 64);
                default -> null;
            };
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return "bad arguments; try 'monitor help'\n";
        }
    }

    private static long number(String s) {
        return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    private static String satp(long satp) {
        int mode = (int) (satp >>> 60);
        String name = switch (mode) { case 0 -> "Bare"; case 8 -> "Sv39"; case 9 -> "Sv48"; case 10 -> "Sv57"; default -> "mode " + mode; };
        return String.format("satp 0x%016x: %s, asid %d, root page table at 0x%x%n", satp, name,
                (satp >>> 44) & 0xffff, (satp & ((1L << 44) - 1)) << 12);
    }

    private String dump(Hart h, long pa, int length) {
        byte[] data = copy(h, pa, length, true);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < data.length; i += 16) {
            b.append(String.format("%016x:", pa + i));
            for (int j = i; j < Math.min(i + 16, data.length); j++) b.append(String.format(" %02x", data[j]));
            b.append('\n');
        }
        if (data.length < length) b.append(String.format("(no RAM or ROM at physical 0x%x)%n", pa + data.length));
        return b.toString();
    }

    @Override
    public void kill() {
        machine.poweroff();
    }
}
