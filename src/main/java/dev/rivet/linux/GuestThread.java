package dev.rivet.linux;

import dev.rivet.cpu.Cause;
import dev.rivet.cpu.Hart;
import dev.rivet.cpu.Interpreter;
import dev.rivet.cpu.Stop;
import java.util.ArrayDeque;

/**
 * One guest thread, run by one host thread: it executes its hart in slices and, between slices,
 * handles system calls, turns CPU exceptions into signals, delivers pending signals, and checks
 * the sandbox's limits. Signals and exit requests from elsewhere reach it through {@link #wake()}.
 */
public final class GuestThread implements Runnable {
    /**
     * Instructions per slice: between slices the thread looks at signals, limits and exit
     * requests (which also stop a slice at once: {@link #wake}). Each slice costs a return to the
     * interpreter, which runs the slice's last instructions itself when they cannot cover a trip
     * of the translated loop (at the C1 speed of the interpreter loop), and a new call of a region.
     * Two million instead of 200,000 (a quarter of a millisecond at 7,500 million instructions a
     * second): sha256 2.88 s against 2.94 (faster in 5 of 6 alternating runs), matmul 3.64
     * against 3.73 (5 of 6), sieve 4.02 against 4.06 (3 of 4), interp and nbody even.
     */
    static final long SLICE = 2_000_000;
    private static final ThreadLocal<GuestThread> CURRENT = new ThreadLocal<>();

    final int tid;
    volatile GuestProcess process;
    final Hart hart;
    volatile long blocked;
    final ArrayDeque<SigInfo> pending = new ArrayDeque<>();
    long altStackBase;
    long altStackSize;
    int altStackFlags = SignalFrames.SS_DISABLE;
    long clearChildTid;
    long robustList;
    Thread host;
    /** Set when only this thread must end (another thread called execve). */
    volatile boolean killed;
    /** The syscall that returned EINTR, so a handler with SA_RESTART can have it run again. */
    boolean restartable;
    long restartA0;
    /** Mask to restore after a handler when rt_sigsuspend/ppoll/pselect replaced it temporarily. */
    Long savedMask;
    /**
     * Set when this thread's system call made TLB entries stale (AddressSpace): the other threads
     * drop them before the call returns to the guest (see Syscalls#perform).
     */
    boolean changedMappings;
    /** This thread as the debugger sees it, or null when it is not debugged. */
    dev.rivet.gdb.DebugThread debug;

    GuestThread(int tid, GuestProcess process, Hart hart) {
        this.tid = tid;
        this.process = process;
        this.hart = hart;
    }

    public static GuestThread current() {
        return CURRENT.get();
    }

    public Kernel kernel() {
        return process.kernel;
    }

    public UserMemory memory() {
        return process.memory;
    }

    void start() {
        host = new Thread(this, "guest-" + process.pid + "-" + tid);
        host.setDaemon(true);
        host.start();
    }

    @Override
    public void run() {
        CURRENT.set(this);
        Kernel kernel = process.kernel;
        GuestDebug dbg = kernel.debug;
        try {
            if (dbg != null) dbg.threadStarted(this);
            while (!process.exiting && !killed) {
                kernel.checkLimits();
                if (dbg != null) dbg.checkpoint(this);
                deliverSignals();
                if (process.exiting || killed) break;
                long before = hart.instret;
                Stop stop = Interpreter.run(hart, kernel.sliceBudget());
                if (dbg != null) dbg.afterRun(this, stop);
                kernel.countInstructions(hart.instret - before);
                switch (stop) {
                    case ECALL -> {
                        kernel.syscalls.dispatch(this);
                        if (dbg != null) dbg.afterSyscall(this);
                    }
                    case EXCEPTION -> raiseFault(hart.trapCause, hart.trapValue);
                    case WFI -> raiseFault(Cause.ILLEGAL_INSTRUCTION, 0);
                    case BUDGET, REQUESTED, DEBUG -> { }
                }
            }
        } catch (ThreadExit exit) {
            // The thread or its process ended through a system call or a fatal signal.
        } catch (LimitExceeded limit) {
            kernel.abort(limit.getMessage(), limit.status);
        } catch (RuntimeException | Error bug) {
            kernel.internalError(this, bug);
        } finally {
            if (dbg != null) dbg.threadEnded(this);
            kernel.threadEnded(this);
        }
    }

    /** A CPU exception: the signal Linux would send (arch/riscv/kernel/traps.c), forced if blocked or ignored. */
    private void raiseFault(int cause, long tval) {
        SigInfo info = switch (cause) {
            case Cause.ILLEGAL_INSTRUCTION -> SigInfo.fault(Signal.SIGILL, SigInfo.ILL_ILLOPC, hart.pc);
            case Cause.BREAKPOINT -> SigInfo.fault(Signal.SIGTRAP, SigInfo.TRAP_BRKPT, hart.pc);
            case Cause.MISALIGNED_LOAD, Cause.MISALIGNED_STORE, Cause.MISALIGNED_FETCH ->
                    SigInfo.fault(Signal.SIGBUS, SigInfo.BUS_ADRALN, tval);
            default -> {
                Vma v = process.space.vmaAt(tval);
                if (AddressSpace.beyondEndOfFile(v, tval & ~(AddressSpace.PAGE - 1))) {
                    yield SigInfo.fault(Signal.SIGBUS, SigInfo.BUS_ADRERR, tval);
                }
                yield SigInfo.fault(Signal.SIGSEGV, v == null ? SigInfo.SEGV_MAPERR : SigInfo.SEGV_ACCERR, tval);
            }
        };
        SignalActions.Action a = process.actions.get(info.signo());
        boolean blockedNow = (blocked & Signal.bit(info.signo())) != 0;
        if (blockedNow || a.handler() == SignalActions.SIG_IGN) {
            // force_sig_fault: a fault the thread cannot take kills the process.
            process.actions.set(info.signo(), SignalActions.Action.DEFAULT);
            blocked &= ~Signal.bit(info.signo());
        }
        GuestDebug dbg = process.kernel.debug;
        if (dbg != null) dbg.fault(this, cause, tval, info);
        synchronized (process) {
            pending.addFirst(info);
        }
        deliverSignals();
    }

    /** Queues a signal for this thread and wakes it. */
    void sendSignal(SigInfo info) {
        synchronized (process) {
            boolean queued = info.signo() > 31 || pending.stream().noneMatch(s -> s.signo() == info.signo());
            if (queued) pending.add(info);
        }
        wake();
    }

    /** Makes the thread look at its signals and exit flag soon: stops its hart, interrupts a blocking call. */
    void wake() {
        hart.requestStop();
        Thread h = host;
        if (h != null && h != Thread.currentThread()) h.interrupt();
    }

    /** Pending signals not blocked, for this thread or its process. */
    boolean hasDeliverableSignal() {
        synchronized (process) {
            long mask = process.sharedPendingMask();
            for (SigInfo s : pending) mask |= Signal.bit(s.signo());
            return (mask & ~blocked) != 0;
        }
    }

    /**
     * Deliverable signals that would do something: ignored ones (SIG_IGN, or a default action of
     * nothing, like SIGCHLD's) are left out, since Linux drops them when sent and they never
     * interrupt a blocking call. rt_sigtimedwait still sees them through {@link #hasDeliverableSignal}.
     */
    boolean hasInterruptingSignal() {
        long ignored = 0;
        for (int sig = 1; sig <= Signal.NSIG; sig++) {
            long handler = process.actions.get(sig).handler();
            if (handler == SignalActions.SIG_IGN || (handler == SignalActions.SIG_DFL && Signal.ignoredByDefault(sig))) {
                ignored |= Signal.bit(sig);
            }
        }
        synchronized (process) {
            long mask = process.sharedPendingMask();
            for (SigInfo s : pending) mask |= Signal.bit(s.signo());
            return (mask & ~blocked & ~ignored) != 0;
        }
    }

    long pendingMask() {
        synchronized (process) {
            long mask = process.sharedPendingMask();
            for (SigInfo s : pending) mask |= Signal.bit(s.signo());
            return mask;
        }
    }

    /**
     * Called by blocking operations when their host thread is interrupted: EINTR if a signal is
     * really waiting (or the process is ending); otherwise the wait simply goes on.
     */
    public static void onInterrupt() {
        GuestThread t = current();
        if (t == null || t.process.exiting || t.killed || t.hasInterruptingSignal()) throw new GuestError(Errno.EINTR);
    }

    SigInfo takeDeliverable() {
        synchronized (process) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                SigInfo s = it.next();
                if ((blocked & Signal.bit(s.signo())) == 0 || s.signo() == Signal.SIGKILL) {
                    it.remove();
                    return s;
                }
            }
            return process.takeShared(blocked);
        }
    }

    /** Delivers what is pending and deliverable: runs default actions or sets up handler frames. */
    void deliverSignals() {
        Thread.interrupted();
        SigInfo s;
        while ((s = takeDeliverable()) != null) {
            GuestDebug dbg = process.kernel.debug;
            if (dbg != null && (s = dbg.signal(this, s)) == null) continue;
            SignalActions.Action a = process.actions.get(s.signo());
            if (s.signo() == Signal.SIGKILL || a.handler() == SignalActions.SIG_DFL) {
                if (s.signo() != Signal.SIGKILL && Signal.ignoredByDefault(s.signo())) continue;
                process.kernel.killProcess(process, s, hart.pc);
                throw ThreadExit.INSTANCE;
            }
            if (a.handler() == SignalActions.SIG_IGN) continue;
            if (restartable && a.has(SignalActions.SA_RESTART)) {
                hart.pc -= 4;
                hart.x[10] = restartA0;
            }
            restartable = false;
            SignalFrames.enter(this, s, a);
            if (a.has(SignalActions.SA_RESETHAND)) process.actions.set(s.signo(), SignalActions.Action.DEFAULT);
            return;
        }
        restartable = false;
        if (savedMask != null) {
            blocked = savedMask;
            savedMask = null;
        }
    }
}
