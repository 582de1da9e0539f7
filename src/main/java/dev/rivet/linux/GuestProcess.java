package dev.rivet.linux;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One guest process: its address space, descriptors, working directory, signal dispositions,
 * threads and children. Fork makes a copy-on-write copy in the same host; exit leaves a zombie
 * until the parent collects its status with wait4.
 */
public final class GuestProcess {
    public final Kernel kernel;
    public final int pid;
    GuestProcess parent;
    volatile AddressSpace space;
    volatile UserMemory memory;
    FdTable fds;
    volatile String cwd;
    volatile int umask = 022;
    int pgid;
    int sid;
    volatile String execPath;
    /** The argument vector of the running program, for /proc/PID/cmdline. */
    volatile List<String> argv = List.of();
    volatile String comm;
    final SignalActions actions;
    /** Signals sent to the process as a whole, waiting for a thread that does not block them. */
    final ArrayDeque<SigInfo> sharedPending = new ArrayDeque<>();
    final List<GuestThread> threads = new ArrayList<>();
    final List<GuestProcess> children = new ArrayList<>();
    final IntervalTimers timers;
    volatile ResourceLimits limits;

    /** The signal the parent gets when this process ends (clone's low byte: SIGCHLD for fork). */
    int exitSignal = Signal.SIGCHLD;
    /** A vfork child runs in its parent's memory until it execs: its exit must not free that memory. */
    volatile boolean sharesParentMemory;
    /** Set once the process is ending (exit_group, fatal signal): every thread stops at its next check. */
    volatile boolean exiting;
    /** Wait status (wait(2) encoding) once the last thread has gone. */
    int waitStatus;
    boolean zombie;
    /** A vfork parent waits on this until the child execs or exits. */
    final java.util.concurrent.CountDownLatch vforkDone = new java.util.concurrent.CountDownLatch(1);

    GuestProcess(Kernel kernel, int pid, GuestProcess parent, AddressSpace space, FdTable fds, String cwd,
                 SignalActions actions) {
        this.kernel = kernel;
        this.pid = pid;
        this.parent = parent;
        this.space = space;
        this.memory = new UserMemory(space);
        this.fds = fds;
        this.cwd = cwd;
        this.actions = actions;
        this.pgid = parent == null ? pid : parent.pgid;
        this.sid = parent == null ? pid : parent.sid;
        this.timers = new IntervalTimers(this);
        this.limits = parent == null ? new ResourceLimits(kernel.options.maxMemoryBytes()) : parent.limits.copy();
        fds.limitBy(() -> this.limits.maxDescriptors());
    }

    void replaceSpace(AddressSpace next) {
        space = next;
        memory = new UserMemory(next);
    }

    synchronized List<GuestThread> liveThreads() {
        return new ArrayList<>(threads);
    }

    /** Queues a signal for the process; one thread that does not block it is woken to take it. */
    void sendSignal(SigInfo info) {
        List<GuestThread> ts = liveThreads();
        synchronized (this) {
            long bit = Signal.bit(info.signo());
            boolean queued = info.signo() > 31 || sharedPending.stream().noneMatch(s -> s.signo() == info.signo());
            if (queued) sharedPending.add(info);
            for (GuestThread t : ts) {
                if ((t.blocked & bit) == 0 || info.signo() == Signal.SIGKILL) {
                    t.wake();
                    return;
                }
            }
        }
    }

    synchronized SigInfo takeShared(long blocked) {
        for (var it = sharedPending.iterator(); it.hasNext(); ) {
            SigInfo s = it.next();
            if ((blocked & Signal.bit(s.signo())) == 0) {
                it.remove();
                return s;
            }
        }
        return null;
    }

    synchronized long sharedPendingMask() {
        long m = 0;
        for (SigInfo s : sharedPending) m |= Signal.bit(s.signo());
        return m;
    }
}
