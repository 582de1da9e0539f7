package dev.rivet.linux;

import dev.rivet.mem.Bytes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process's timers: the three setitimer timers and POSIX timers (timer_create). All run on wall
 * time; ITIMER_VIRTUAL and ITIMER_PROF therefore count elapsed rather than CPU time. Expiry sends
 * the timer's signal to the process, or to one thread for SIGEV_THREAD_ID.
 */
final class IntervalTimers {
    static final int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
    static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD_ID = 4;
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rivet-timers");
        t.setDaemon(true);
        return t;
    });

    private final class Timer {
        final int signo;
        final int notify;
        final int targetTid;
        final long value;
        final int id;
        ScheduledFuture<?> future;
        long intervalNanos;
        long nextExpiry;
        int overrun;

        Timer(int id, int signo, int notify, int targetTid, long value) {
            this.id = id;
            this.signo = signo;
            this.notify = notify;
            this.targetTid = targetTid;
            this.value = value;
        }

        void arm(long initialNanos, long interval) {
            disarm();
            intervalNanos = interval;
            if (initialNanos <= 0) return;
            nextExpiry = System.nanoTime() + initialNanos;
            future = interval > 0
                    ? SCHEDULER.scheduleAtFixedRate(this::fire, initialNanos, interval, TimeUnit.NANOSECONDS)
                    : SCHEDULER.schedule(this::fire, initialNanos, TimeUnit.NANOSECONDS);
        }

        void disarm() {
            if (future != null) future.cancel(false);
            future = null;
            nextExpiry = 0;
        }

        long remaining() {
            if (future == null || future.isDone()) return 0;
            return Math.max(1, nextExpiry - System.nanoTime());
        }

        private void fire() {
            nextExpiry = intervalNanos > 0 ? System.nanoTime() + intervalNanos : 0;
            if (notify == SIGEV_NONE || process.exiting) return;
            SigInfo info = id < 0 ? SigInfo.user(signo, 0, 0) : new SigInfo(signo, SigInfo.SI_TIMER, id, 0, 0, value);
            if (notify == SIGEV_THREAD_ID) {
                GuestThread th = process.kernel.threads.get(targetTid);
                if (th != null) th.sendSignal(info);
            } else {
                process.sendSignal(info);
            }
        }
    }

    private final GuestProcess process;
    private final Timer[] itimers = new Timer[3];
    private final Map<Integer, Timer> posix = new HashMap<>();
    private int nextId;

    IntervalTimers(GuestProcess process) {
        this.process = process;
        int[] signals = {Signal.SIGALRM, Signal.SIGVTALRM, Signal.SIGPROF};
        for (int i = 0; i < 3; i++) itimers[i] = new Timer(-1, signals[i], SIGEV_SIGNAL, 0, 0);
    }

    private static long readTimeval(byte[] b, int off) {
        return Bytes.i64(b, off) * 1_000_000_000L + Bytes.i64(b, off + 8) * 1000L;
    }

    private static void writeTimeval(byte[] b, int off, long nanos) {
        Bytes.write(b, off, 8, nanos / 1_000_000_000L);
        Bytes.write(b, off + 8, 8, (nanos % 1_000_000_000L) / 1000);
    }

    synchronized long setitimer(GuestThread t, int which, long newAddr, long oldAddr) {
        if (which < 0 || which > 2) return -Errno.EINVAL;
        Timer timer = itimers[which];
        if (oldAddr != 0) getitimer(t, which, oldAddr);
        if (newAddr != 0) {
            byte[] b = t.memory().read(newAddr, 32);
            timer.arm(readTimeval(b, 16), readTimeval(b, 0));
        }
        return 0;
    }

    synchronized long getitimer(GuestThread t, int which, long addr) {
        if (which < 0 || which > 2) return -Errno.EINVAL;
        byte[] b = new byte[32];
        writeTimeval(b, 0, itimers[which].intervalNanos);
        writeTimeval(b, 16, itimers[which].remaining());
        t.memory().write(addr, b);
        return 0;
    }

    synchronized long timerCreate(GuestThread t, int clock, long sigeventAddr, long idAddr) {
        t.kernel().syscalls.time.now(clock);
        int id = nextId++;
        Timer timer;
        if (sigeventAddr == 0) {
            timer = new Timer(id, Signal.SIGALRM, SIGEV_SIGNAL, 0, id);
        } else {
            byte[] b = t.memory().read(sigeventAddr, 24);
            int signo = Bytes.i32(b, 8), notify = Bytes.i32(b, 12);
            if (notify != SIGEV_NONE && (signo < 1 || signo > Signal.NSIG)) return -Errno.EINVAL;
            if (notify != SIGEV_SIGNAL && notify != SIGEV_NONE && notify != SIGEV_THREAD_ID) return -Errno.EINVAL;
            timer = new Timer(id, signo, notify, Bytes.i32(b, 16), Bytes.i64(b, 0));
        }
        posix.put(id, timer);
        t.memory().writeInt(idAddr, id);
        return 0;
    }

    synchronized long timerSettime(GuestThread t, int id, int flags, long newAddr, long oldAddr) {
        Timer timer = posix.get(id);
        if (timer == null) return -Errno.EINVAL;
        if (oldAddr != 0) timerGettime(t, id, oldAddr);
        long interval = TimeCalls.readTimespec(t.memory(), newAddr);
        long value = TimeCalls.readTimespec(t.memory(), newAddr + 16);
        if ((flags & TimeCalls.TIMER_ABSTIME) != 0 && value != 0) {
            value = Math.max(1, value - t.kernel().syscalls.time.now(TimeCalls.CLOCK_MONOTONIC));
        }
        timer.arm(value, interval);
        return 0;
    }

    synchronized long timerGettime(GuestThread t, int id, long addr) {
        Timer timer = posix.get(id);
        if (timer == null) return -Errno.EINVAL;
        TimeCalls.writeTimespec(t.memory(), addr, timer.intervalNanos);
        TimeCalls.writeTimespec(t.memory(), addr + 16, timer.remaining());
        return 0;
    }

    synchronized long timerGetoverrun(int id) {
        Timer timer = posix.get(id);
        return timer == null ? -Errno.EINVAL : timer.overrun;
    }

    synchronized long timerDelete(int id) {
        Timer timer = posix.remove(id);
        if (timer == null) return -Errno.EINVAL;
        timer.disarm();
        return 0;
    }

    synchronized void cancelAll() {
        for (Timer timer : itimers) timer.disarm();
        for (Timer timer : posix.values()) timer.disarm();
        posix.clear();
    }
}
