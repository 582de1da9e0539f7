package dev.rivet.linux;

import java.util.ArrayList;
import java.util.List;

/** The parent/child bookkeeping of process ends: zombies, SIGCHLD, and waiting for children (wait4, waitid). */
final class Processes {
    /** A collected child: its pid and wait status. */
    record Reaped(int pid, int status) {}

    private Processes() {}

    /** The last thread of {@code p} is gone: free its memory, hand its children to init, tell its parent. */
    static void becomeZombie(Kernel k, GuestProcess p) {
        if (!p.sharesParentMemory) p.space.clear();
        GuestProcess parent = p.parent;
        List<GuestProcess> orphans;
        synchronized (p) {
            orphans = new ArrayList<>(p.children);
            p.children.clear();
        }
        for (GuestProcess orphan : orphans) {
            // Orphans are adopted by nobody: they are reaped as soon as they end.
            synchronized (orphan) {
                orphan.parent = null;
                if (orphan.zombie) k.processes.remove(orphan.pid);
            }
        }
        SignalActions.Action onChild = parent.actions.get(Signal.SIGCHLD);
        boolean autoReap = onChild.handler() == SignalActions.SIG_IGN || onChild.has(SignalActions.SA_NOCLDWAIT);
        synchronized (parent) {
            p.zombie = true;
            if (autoReap) {
                parent.children.remove(p);
                k.processes.remove(p.pid);
            }
            parent.notifyAll();
        }
        if (p.exitSignal != 0 && !parent.exiting) {
            int status = p.waitStatus;
            boolean signalled = (status & 0x7f) != 0;
            int code = signalled ? ((status & 0x80) != 0 ? SigInfo.CLD_DUMPED : SigInfo.CLD_KILLED) : SigInfo.CLD_EXITED;
            parent.sendSignal(new SigInfo(p.exitSignal, code, p.pid, k.creds.uid(), 0,
                    signalled ? status & 0x7f : (status >> 8) & 0xff));
        }
        k.readiness.changed();
    }

    private static boolean matches(GuestProcess waiter, GuestProcess child, int pid) {
        if (pid > 0) return child.pid == pid;
        if (pid == -1) return true;
        if (pid == 0) return child.pgid == waiter.pgid;
        return child.pgid == -pid;
    }

    /** Waits for a matching child to end; null with WNOHANG when none has yet. */
    static Reaped await(Kernel k, GuestThread t, int pid, int options, boolean reap) {
        GuestProcess self = t.process;
        synchronized (self) {
            while (true) {
                boolean any = false;
                for (GuestProcess c : self.children) {
                    if (!matches(self, c, pid)) continue;
                    any = true;
                    if (c.zombie) {
                        if (reap) {
                            self.children.remove(c);
                            k.processes.remove(c.pid);
                        }
                        return new Reaped(c.pid, c.waitStatus);
                    }
                }
                if (!any) throw new GuestError(Errno.ECHILD);
                if ((options & ProcessCalls.WNOHANG) != 0) return null;
                try {
                    self.wait();
                } catch (InterruptedException e) {
                    GuestThread.onInterrupt();
                }
            }
        }
    }
}
