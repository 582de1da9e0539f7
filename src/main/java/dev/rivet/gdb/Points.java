package dev.rivet.gdb;

import dev.rivet.cpu.Insn;
import dev.rivet.cpu.Op;
import java.util.Arrays;

/**
 * An immutable snapshot of the breakpoints and watchpoints a debugger has set, read by every
 * hart at each instruction while armed. A change makes a new snapshot ({@link Debugger} publishes
 * it while the harts are paused).
 */
final class Points {
    static final Points NONE = new Points(new long[0], new long[0], new Watch[0]);

    /** Watchpoint types as the Z packet numbers them. */
    static final int WRITE = 2, READ = 3, ACCESS = 4;

    /** A watched range {@code [address, address + length)}. */
    record Watch(long address, long length, int type) {
        boolean triggers(long a, int size, boolean reads, boolean writes) {
            if (a + size <= address || a >= address + length) return false;
            return switch (type) {
                case WRITE -> writes;
                case READ -> reads;
                default -> true;
            };
        }

        /** The stop-reply key gdb expects for this type. */
        String key() {
            return switch (type) {
                case WRITE -> "watch";
                case READ -> "rwatch";
                default -> "awatch";
            };
        }
    }

    final long[] software;
    final long[] hardware;
    final Watch[] watches;

    private Points(long[] software, long[] hardware, Watch[] watches) {
        this.software = software;
        this.hardware = hardware;
        this.watches = watches;
    }

    boolean isEmpty() {
        return software.length == 0 && hardware.length == 0 && watches.length == 0;
    }

    /** 1 for a software breakpoint at {@code pc}, 2 for a hardware one, 0 for none. */
    int breakpointAt(long pc) {
        if (contains(software, pc)) return 1;
        return contains(hardware, pc) ? 2 : 0;
    }

    private static boolean contains(long[] a, long pc) {
        for (long x : a) if (x == pc) return true;
        return false;
    }

    /** Adds ({@code add}) or removes a breakpoint (type 0 software, 1 hardware) or watchpoint (2..4). */
    Points with(int type, long address, long length, boolean add) {
        if (type == 0 || type == 1) {
            long[] set = type == 0 ? software : hardware;
            long[] next = Arrays.stream(set).filter(x -> x != address).toArray();
            if (add) {
                next = Arrays.copyOf(next, next.length + 1);
                next[next.length - 1] = address;
            }
            return type == 0 ? new Points(next, hardware, watches) : new Points(software, next, watches);
        }
        Watch w = new Watch(address, length, type);
        Watch[] next = Arrays.stream(watches).filter(x -> !x.equals(w)).toArray(Watch[]::new);
        if (add) {
            next = Arrays.copyOf(next, next.length + 1);
            next[next.length - 1] = w;
        }
        return new Points(software, hardware, next);
    }

    int count() {
        return software.length + hardware.length + watches.length;
    }

    /**
     * The watchpoint the memory access of instruction {@code d} (with integer registers {@code x})
     * triggers, and the address to report, or null.
     */
    WatchHit watchHit(long d, long[] x) {
        int op = Insn.op(d);
        int size;
        boolean reads, writes;
        long a = x[Insn.rs1(d)];
        if (op >= Op.LB && op <= Op.LWU) {
            size = switch (op) { case Op.LB, Op.LBU -> 1; case Op.LH, Op.LHU -> 2; case Op.LW, Op.LWU -> 4; default -> 8; };
            reads = true; writes = false; a += Insn.imm(d);
        } else if (op >= Op.SB && op <= Op.SD) {
            size = 1 << (op - Op.SB);
            reads = false; writes = true; a += Insn.imm(d);
        } else if (op >= Op.FLW && op <= Op.FSD) {
            size = op <= Op.FSW ? 4 : 8;
            writes = op == Op.FSW || op == Op.FSD; reads = !writes; a += Insn.imm(d);
        } else if (op >= Op.LR_W && op <= Op.AMOMAXU_D) {
            size = op < Op.LR_D ? 4 : 8;
            reads = op != Op.SC_W && op != Op.SC_D;
            writes = op != Op.LR_W && op != Op.LR_D;
        } else {
            return null;
        }
        for (Watch w : watches) {
            if (w.triggers(a, size, reads, writes)) return new WatchHit(w, Math.max(a, w.address()));
        }
        return null;
    }

    /** A triggered watchpoint and the accessed address inside it. */
    record WatchHit(Watch watch, long address) {}
}
