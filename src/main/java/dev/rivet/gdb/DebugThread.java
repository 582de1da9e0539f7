package dev.rivet.gdb;

import dev.rivet.cpu.DebugHook;
import dev.rivet.cpu.Hart;
import java.util.function.BooleanSupplier;

/**
 * One thread of execution as the debugger sees it (a guest thread in the process VM, a hart in the
 * system VM), and the {@link DebugHook} that checks its breakpoints, watchpoints and single steps.
 * Run-control fields are guarded by the {@link Debugger}'s lock; the hook fields belong to the
 * executing thread and are only set by the debugger while the thread is parked.
 */
public final class DebugThread implements DebugHook {
    /** What the thread does when the target resumes. */
    enum Action { CONTINUE, STEP, STAY }

    /** The thread id gdb sees (positive). */
    public final int id;
    public final Hart hart;
    private final Debugger debugger;
    private final Runnable kick;
    private final BooleanSupplier abandoned;

    // Guarded by the debugger's lock.
    Action action = Action.CONTINUE;
    boolean parked;
    long parkedPc = -1;
    /** Linux signal to deliver after a signal stop (0: the debugger suppressed it). */
    int resumeSignal;

    /** True while the thread executes guest instructions (not parked, not in a system call or idle). */
    volatile boolean inGuest;

    // Hook state: written by the debugger only while the thread is parked.
    volatile boolean stepping;
    private long skipPc = -1;
    /** What the hook saw that stopped the hart; taken by the debugger after the engine returns. */
    StopEvent event;

    DebugThread(Debugger debugger, int id, Hart hart, Runnable kick, BooleanSupplier abandoned) {
        this.debugger = debugger;
        this.id = id;
        this.hart = hart;
        this.kick = kick;
        this.abandoned = abandoned;
    }

    /** Makes the thread come to its next checkpoint soon (stop request, wake from idle). */
    void kick() {
        kick.run();
    }

    /** True when the thread must no longer wait for the debugger (its process or machine is ending). */
    boolean abandoned() {
        return abandoned.getAsBoolean();
    }

    /** Prepares the hook for a resume: stepping or not; a breakpoint at the pc it stopped at is stepped over. */
    void prepareResume(boolean step) {
        stepping = step;
        skipPc = hart.pc == parkedPc ? hart.pc : -1;
        event = null;
    }

    @Override
    public boolean armed(Hart h) {
        return stepping || !debugger.points().isEmpty();
    }

    @Override
    public boolean beforeInstruction(Hart h, long decoded) {
        long pc = h.pc;
        if (skipPc != -1) {
            boolean skip = skipPc == pc;
            skipPc = -1;
            if (skip) return false;
        }
        Points p = debugger.points();
        int kind = p.breakpointAt(pc);
        if (kind != 0) {
            event = StopEvent.trap(this, kind == 1 ? "swbreak" : "hwbreak", 0);
            return true;
        }
        if (p.watches.length != 0) {
            Points.WatchHit hit = p.watchHit(decoded, h.x);
            if (hit != null) {
                event = StopEvent.trap(this, hit.watch().key(), hit.address());
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean afterInstruction(Hart h) {
        skipPc = -1;
        if (!stepping) return false;
        event = StopEvent.trap(this, null, 0);
        return true;
    }

    @Override
    public boolean masksInterrupts(Hart h) {
        return stepping;
    }
}
