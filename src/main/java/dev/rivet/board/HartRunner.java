package dev.rivet.board;

import dev.rivet.cpu.Hart;
import dev.rivet.cpu.Interpreter;
import dev.rivet.cpu.Stop;
import dev.rivet.cpu.Traps;
import dev.rivet.gdb.DebugThread;

/**
 * Runs one hart on its own host thread, slice after slice. Between slices it lets the timers
 * raise their interrupts; when the hart executes WFI with nothing pending, the thread sleeps until
 * an interrupt arrives or the hart's next timer is due, so an idle guest costs almost no host CPU.
 */
final class HartRunner implements Runnable {
    /** Instructions per slice: bounds how late a timer interrupt can be noticed (about 0.1 ms). */
    static final long SLICE = 20_000;

    private final VirtMachine machine;
    final Hart hart;
    private final Object sleep = new Object();
    private boolean woken;
    Thread thread;

    HartRunner(VirtMachine machine, Hart hart) {
        this.machine = machine;
        this.hart = hart;
    }

    void start() {
        thread = new Thread(this, "hart-" + hart.id);
        thread.setDaemon(true);
        thread.start();
    }

    /** An interrupt became pending for this hart: end a WFI sleep. */
    void wake() {
        synchronized (sleep) {
            woken = true;
            sleep.notifyAll();
        }
    }

    @Override
    public void run() {
        MachineDebug debug = machine.debug;
        try {
            DebugThread dt = debug == null ? null : debug.started(this);
            while (!machine.isStopped()) {
                if (dt != null) debug.checkpoint(dt);
                machine.updateTimers();
                Stop stop = Interpreter.run(hart, SLICE);
                if (dt != null) debug.afterRun(dt, stop);
                if (stop == Stop.WFI) idle();
            }
        } catch (RuntimeException | Error e) {
            machine.hostError("hart " + hart.id + " stopped at pc 0x" + Long.toHexString(hart.pc) + ": " + e, e);
        }
    }

    private void idle() {
        while (!machine.isStopped()) {
            // Timers and devices are looked at outside the sleep lock: a device raising an interrupt
            // calls wake() with its own lock held (the CLINT does), so taking a device lock while
            // holding the sleep lock would deadlock against it.
            machine.updateTimers();
            long nanos = machine.nanosUntilNextEvent(hart);
            synchronized (sleep) {
                if (Traps.wakeupPending(hart) || woken || nanos <= 0) {
                    woken = false;
                    return;
                }
                try {
                    sleep.wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
