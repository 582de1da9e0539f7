package dev.rivet.gdb;

import dev.rivet.cpu.Hart;
import dev.rivet.cpu.Stop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * All-stop run control shared by the front ends and the protocol session. Execution threads call
 * {@link #checkpoint} before running guest code and {@link #afterRun} after, and park while the
 * target is halted; the session halts and resumes them. When one thread stops (breakpoint,
 * watchpoint, step, signal, Ctrl-C) every other thread is asked to stop too, and exactly one stop
 * event goes to the session per resume.
 *
 * <p>Without a debugger attached nothing is armed and threads never park, except at start with
 * {@code --gdb-wait}, until the first debugger resumes them.
 */
public final class Debugger {
    /** Receives the target's stop and exit events (the session, while one is attached). */
    interface Listener {
        void stopped(StopEvent e);

        void exited(String reply);
    }

    private final List<DebugThread> threads = new ArrayList<>();
    private volatile Points points = Points.NONE;
    private boolean running;
    private Listener listener;
    private StopEvent lastStop;
    private String exitReply;
    /** Linux signals passed to the guest without stopping (QPassSignals), one bit per signal. */
    private volatile long passSignals;

    /** A debugger; with {@code startHalted} every thread waits at its first checkpoint for a debugger to resume it. */
    public Debugger(boolean startHalted) {
        this.running = !startHalted;
    }

    Points points() {
        return points;
    }

    // ---------------------------------------------------------------- execution threads

    /**
     * Registers a thread and returns its handle, whose hook the front end installs (possibly chained
     * with a tracer's). {@code kick} must make the thread reach its next checkpoint soon;
     * {@code abandoned} tells when it must stop waiting for the debugger (its process is ending).
     */
    public synchronized DebugThread register(int id, Hart hart, Runnable kick, BooleanSupplier abandoned) {
        DebugThread t = new DebugThread(this, id, hart, kick, abandoned);
        threads.add(t);
        notifyAll();
        return t;
    }

    public synchronized void unregister(DebugThread t) {
        threads.remove(t);
        t.inGuest = false;
        notifyAll();
    }

    /** Parks the thread while the target is halted (or gdb leaves it stopped); call before running guest code. */
    public synchronized void checkpoint(DebugThread t) {
        park(t);
        t.inGuest = true;
    }

    /** Called when the engine returned: reports what the thread's hook saw ({@link Stop#DEBUG}). */
    public synchronized void afterRun(DebugThread t, Stop stop) {
        t.inGuest = false;
        StopEvent e = t.event;
        t.event = null;
        if (stop == Stop.DEBUG && e != null) report(e);
    }

    /** A user-only hart's system call completed: that ends a single step too. */
    public synchronized void afterSyscall(DebugThread t) {
        if (t.stepping) report(StopEvent.trap(t, null, 0));
    }

    /**
     * A Linux signal is about to be delivered to the thread: stops the target and reports it unless
     * the debugger passes it through. Returns the signal to deliver (0: the debugger discarded it).
     */
    public synchronized int signal(DebugThread t, int linuxSignal) {
        while (true) {
            if (listener == null || (passSignals & (1L << linuxSignal)) != 0 || t.abandoned()) return linuxSignal;
            if (running) {
                t.resumeSignal = 0;
                report(StopEvent.signal(t, GdbSignals.fromLinux(linuxSignal)));
                park(t);
                // A debugger that went away (detach, disconnect) leaves the signal to the guest.
                return listener == null || t.abandoned() ? linuxSignal : t.resumeSignal;
            }
            // Another thread is stopping the target: wait, then report this signal.
            park(t);
        }
    }

    /** The target ended: {@code W xx} for an exit code, {@code X xx} for a Linux signal. */
    public void exited(int exitCode, int linuxSignal) {
        String reply = linuxSignal != 0 ? String.format("X%02x", GdbSignals.fromLinux(linuxSignal))
                : String.format("W%02x", exitCode & 0xff);
        Listener l;
        synchronized (this) {
            exitReply = reply;
            running = true;
            notifyAll();
            l = listener;
        }
        if (l != null) l.exited(reply);
    }

    private void park(DebugThread t) {
        if (running && t.action != DebugThread.Action.STAY) return;
        t.parked = true;
        t.parkedPc = t.hart.pc;
        notifyAll();
        // Interrupts (kicks, signals for a guest thread) do not end the wait: the thread looks at
        // them once it runs again. Only an ending process or machine releases it early.
        boolean interrupted = false;
        while ((!running || t.action == DebugThread.Action.STAY) && !t.abandoned()) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        t.parked = false;
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Halts the target for event {@code e} and tells the session, unless it is halting already. */
    private void report(StopEvent e) {
        if (!running || listener == null) return;
        running = false;
        lastStop = e;
        for (DebugThread o : threads) if (o != e.thread()) o.kick();
        listener.stopped(e);
    }

    // ---------------------------------------------------------------- the session

    /** Attaches a debugger and halts the target; false if another debugger is attached. */
    synchronized boolean attach(Listener l) {
        if (listener != null) return false;
        listener = l;
        if (exitReply != null) return true;
        running = false;
        for (DebugThread t : threads) {
            t.action = DebugThread.Action.CONTINUE;
            t.kick();
        }
        lastStop = null;
        return true;
    }

    /** Detaches the debugger: removes its breakpoints and lets every thread run. */
    synchronized void detach(Listener l) {
        if (listener != l) return;
        listener = null;
        points = Points.NONE;
        passSignals = 0;
        for (DebugThread t : threads) {
            t.action = DebugThread.Action.CONTINUE;
            t.prepareResume(false);
        }
        running = true;
        notifyAll();
    }

    /** The exit reply if the target has ended, else null. */
    synchronized String exitReply() {
        return exitReply;
    }

    /**
     * Waits until every thread is parked or outside guest code (at most {@code millis}), and at
     * least one thread exists; returns the stop to report for an attach or interrupt.
     */
    synchronized StopEvent awaitHalted(long millis, int gdbSignal) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (exitReply == null) {
            boolean quiet = !threads.isEmpty();
            for (DebugThread t : threads) if (t.inGuest && !t.parked) quiet = false;
            long left = end - System.currentTimeMillis();
            if (quiet || left <= 0) break;
            wait(Math.min(left, 20));
        }
        if (lastStop == null && !threads.isEmpty()) lastStop = StopEvent.signal(threads.get(0), gdbSignal);
        return lastStop;
    }

    /** The stop last reported (for {@code ?}). */
    synchronized StopEvent lastStop() {
        return lastStop;
    }

    /** Ctrl-C: halts a running target; the session then reports SIGINT. */
    synchronized boolean interrupt() {
        if (!running) return false;
        running = false;
        lastStop = null;
        for (DebugThread t : threads) t.kick();
        return true;
    }

    /**
     * Resumes: each thread does what {@code actions} says for it, or {@code others} (null entries
     * mean "stay stopped"); {@code signals} gives Linux signals to deliver to threads stopped by one.
     */
    synchronized void resume(Map<Integer, DebugThread.Action> actions, DebugThread.Action others, Map<Integer, Integer> signals) {
        for (DebugThread t : threads) {
            DebugThread.Action a = actions.getOrDefault(t.id, others == null ? DebugThread.Action.STAY : others);
            t.action = a;
            t.resumeSignal = signals.getOrDefault(t.id, 0);
            t.prepareResume(a == DebugThread.Action.STEP);
        }
        running = true;
        notifyAll();
    }

    synchronized List<DebugThread> threads() {
        return List.copyOf(threads);
    }

    synchronized DebugThread thread(int id) {
        for (DebugThread t : threads) if (t.id == id) return t;
        return null;
    }

    /** Sets or clears a breakpoint/watchpoint (Z/z type 0..4); false if the table is full. */
    synchronized boolean setPoint(int type, long address, long length, boolean add) {
        if (add && points.count() >= 4096) return false;
        points = points.with(type, address, length, add);
        return true;
    }

    void passSignals(long mask) {
        passSignals = mask;
    }
}
