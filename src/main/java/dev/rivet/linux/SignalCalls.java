package dev.rivet.linux;

import dev.rivet.mem.Bytes;

/** rt_sigaction, rt_sigprocmask, sigaltstack, kill/tgkill, sigsuspend, sigpending, sigtimedwait (kernel/signal.c). */
final class SignalCalls {
    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    private static final long MIN_SIGSTKSZ = 2048;

    private final Kernel kernel;

    SignalCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    private static void checkSignal(int sig) {
        if (sig < 1 || sig > Signal.NSIG) throw new GuestError(Errno.EINVAL);
    }

    long rtSigaction(GuestThread t, int sig, long act, long oldAct, long sigsetSize) {
        checkSignal(sig);
        if (sigsetSize != 8) return -Errno.EINVAL;
        UserMemory mem = t.memory();
        SignalActions.Action old = t.process.actions.get(sig);
        SignalActions.Action next = null;
        if (act != 0) {
            if (sig == Signal.SIGKILL || sig == Signal.SIGSTOP) return -Errno.EINVAL;
            byte[] b = mem.read(act, 24);
            next = new SignalActions.Action(Bytes.i64(b, 0), Bytes.i64(b, 8), Bytes.i64(b, 16) & ~Signal.UNBLOCKABLE);
        }
        if (oldAct != 0) {
            byte[] b = new byte[24];
            Bytes.write(b, 0, 8, old.handler());
            Bytes.write(b, 8, 8, old.flags());
            Bytes.write(b, 16, 8, old.mask());
            mem.write(oldAct, b);
        }
        if (next != null) {
            t.process.actions.set(sig, next);
            if (next.handler() == SignalActions.SIG_IGN
                    || (next.handler() == SignalActions.SIG_DFL && Signal.ignoredByDefault(sig))) {
                discardPending(t.process, sig);
            }
        }
        return 0;
    }

    /** Setting a signal to be ignored discards it where pending (POSIX). */
    private static void discardPending(GuestProcess p, int sig) {
        synchronized (p) {
            p.sharedPending.removeIf(s -> s.signo() == sig);
            for (GuestThread th : p.threads) th.pending.removeIf(s -> s.signo() == sig);
        }
    }

    long rtSigprocmask(GuestThread t, int how, long set, long oldSet, long sigsetSize) {
        if (sigsetSize != 8) return -Errno.EINVAL;
        long old = t.blocked;
        if (set != 0) {
            long s = t.memory().readLong(set);
            long next = switch (how) {
                case SIG_BLOCK -> old | s;
                case SIG_UNBLOCK -> old & ~s;
                case SIG_SETMASK -> s;
                default -> throw new GuestError(Errno.EINVAL);
            };
            t.blocked = next & ~Signal.UNBLOCKABLE;
        }
        if (oldSet != 0) t.memory().writeLong(oldSet, old);
        return 0;
    }

    long sigaltstack(GuestThread t, long ss, long oldSs) {
        UserMemory mem = t.memory();
        if (oldSs != 0) {
            byte[] b = new byte[24];
            Bytes.write(b, 0, 8, t.altStackBase);
            int flags = t.altStackFlags == SignalFrames.SS_DISABLE ? SignalFrames.SS_DISABLE
                    : SignalFrames.onAltStack(t, t.hart.x[2]) ? SignalFrames.SS_ONSTACK : 0;
            Bytes.write(b, 8, 4, flags);
            Bytes.write(b, 16, 8, t.altStackSize);
            mem.write(oldSs, b);
        }
        if (ss != 0) {
            if (SignalFrames.onAltStack(t, t.hart.x[2])) return -Errno.EPERM;
            byte[] b = mem.read(ss, 24);
            int flags = Bytes.i32(b, 8);
            if (flags == SignalFrames.SS_DISABLE) {
                t.altStackFlags = SignalFrames.SS_DISABLE;
                t.altStackBase = 0;
                t.altStackSize = 0;
            } else if (flags == 0 || flags == SignalFrames.SS_ONSTACK) {
                long size = Bytes.i64(b, 16);
                if (size < MIN_SIGSTKSZ) return -Errno.ENOMEM;
                t.altStackBase = Bytes.i64(b, 0);
                t.altStackSize = size;
                t.altStackFlags = 0;
            } else {
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    long kill(GuestThread t, int pid, int sig) {
        if (sig < 0 || sig > Signal.NSIG) return -Errno.EINVAL;
        SigInfo info = SigInfo.user(sig, t.process.pid, kernel.creds.uid());
        boolean found = false;
        for (GuestProcess p : kernel.processes.values()) {
            if (p.zombie) continue;
            boolean target = pid > 0 ? p.pid == pid
                    : pid == 0 ? p.pgid == t.process.pgid
                    : pid == -1 ? p.parent != null || p == t.process
                    : p.pgid == -pid;
            if (!target) continue;
            found = true;
            if (sig != 0) deliver(p, info);
        }
        return found ? 0 : -Errno.ESRCH;
    }

    private void deliver(GuestProcess p, SigInfo info) {
        if (info.signo() == Signal.SIGKILL) {
            kernel.killProcess(p, info, 0);
            return;
        }
        p.sendSignal(info);
    }

    long tgkill(GuestThread t, int tgid, int tid, int sig) {
        if (sig < 0 || sig > Signal.NSIG || tid <= 0) return -Errno.EINVAL;
        GuestThread target = kernel.threads.get(tid);
        if (target == null || (tgid != -1 && target.process.pid != tgid)) return -Errno.ESRCH;
        if (sig == 0) return 0;
        if (sig == Signal.SIGKILL) {
            kernel.killProcess(target.process, SigInfo.user(sig, t.process.pid, kernel.creds.uid()), 0);
            return 0;
        }
        target.sendSignal(new SigInfo(sig, SigInfo.SI_TKILL, t.process.pid, kernel.creds.uid(), 0, 0));
        return 0;
    }

    long rtSigqueueinfo(GuestThread t, int pid, int sig, long infoAddr) {
        checkSignal(sig);
        GuestProcess p = kernel.processes.get(pid);
        if (p == null) return -Errno.ESRCH;
        byte[] b = t.memory().read(infoAddr, 128);
        p.sendSignal(new SigInfo(sig, Bytes.i32(b, 8), t.process.pid, kernel.creds.uid(), 0, Bytes.i64(b, 24)));
        return 0;
    }

    long rtSigsuspend(GuestThread t, long maskAddr, long sigsetSize) {
        if (sigsetSize != 8) return -Errno.EINVAL;
        long mask = t.memory().readLong(maskAddr);
        t.savedMask = t.blocked;
        t.blocked = mask & ~Signal.UNBLOCKABLE;
        waitForSignal(t, -1);
        return -Errno.EINTR;
    }

    /** Sleeps until a deliverable signal is pending (or the timeout passes); false on timeout. */
    static boolean waitForSignal(GuestThread t, long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (!t.hasDeliverableSignal() && !t.process.exiting && !t.killed) {
            try {
                if (nanos < 0) {
                    Thread.sleep(Long.MAX_VALUE);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                }
            } catch (InterruptedException e) {
                // Woken: look again.
            }
        }
        return true;
    }

    long rtSigpending(GuestThread t, long setAddr, long sigsetSize) {
        t.memory().writeLong(setAddr, t.pendingMask() & t.blocked);
        return 0;
    }

    long rtSigtimedwait(GuestThread t, long setAddr, long infoAddr, long timeoutAddr, long sigsetSize) {
        long wanted = t.memory().readLong(setAddr) & ~Signal.UNBLOCKABLE;
        long nanos = timeoutAddr == 0 ? -1 : TimeCalls.readTimespec(t.memory(), timeoutAddr);
        long deadline = System.nanoTime() + nanos;
        while (true) {
            SigInfo s = takeWanted(t, wanted);
            if (s != null) {
                if (infoAddr != 0) t.memory().write(infoAddr, s.encode());
                return s.signo();
            }
            long savedBlocked = t.blocked;
            t.blocked = savedBlocked & ~wanted;
            long left = nanos < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
            boolean got = left != 0 && waitForSignal(t, left);
            t.blocked = savedBlocked;
            SigInfo again = takeWanted(t, wanted);
            if (again != null) {
                if (infoAddr != 0) t.memory().write(infoAddr, again.encode());
                return again.signo();
            }
            if (!got) return -Errno.EAGAIN;
            if (t.hasDeliverableSignal() || t.process.exiting) return -Errno.EINTR;
        }
    }

    private static SigInfo takeWanted(GuestThread t, long wanted) {
        synchronized (t.process) {
            for (var it = t.pending.iterator(); it.hasNext(); ) {
                SigInfo s = it.next();
                if ((wanted & Signal.bit(s.signo())) != 0) {
                    it.remove();
                    return s;
                }
            }
            for (var it = t.process.sharedPending.iterator(); it.hasNext(); ) {
                SigInfo s = it.next();
                if ((wanted & Signal.bit(s.signo())) != 0) {
                    it.remove();
                    return s;
                }
            }
            return null;
        }
    }
}
