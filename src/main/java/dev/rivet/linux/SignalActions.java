package dev.rivet.linux;

/**
 * A process's signal dispositions: handler address, SA_* flags and the mask to add while the handler
 * runs (kernel {@code struct sigaction} on riscv64: handler, flags, mask; there is no restorer).
 * Threads made with CLONE_SIGHAND share one table; fork copies it; exec resets handlers.
 */
public final class SignalActions {
    public static final long SIG_DFL = 0, SIG_IGN = 1;
    public static final long SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_ONSTACK = 0x08000000L,
            SA_RESTART = 0x10000000L, SA_NODEFER = 0x40000000L, SA_RESETHAND = 0x80000000L;

    /** One disposition. */
    public record Action(long handler, long flags, long mask) {
        static final Action DEFAULT = new Action(SIG_DFL, 0, 0);

        boolean has(long flag) {
            return (flags & flag) != 0;
        }
    }

    private final Action[] actions = new Action[Signal.NSIG + 1];

    public SignalActions() {
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    public synchronized Action get(int sig) {
        return actions[sig];
    }

    public synchronized void set(int sig, Action a) {
        actions[sig] = a;
    }

    public synchronized SignalActions copy() {
        SignalActions c = new SignalActions();
        System.arraycopy(actions, 0, c.actions, 0, actions.length);
        return c;
    }

    /** execve: caught signals return to their default action; ignored ones stay ignored. */
    public synchronized void resetForExec() {
        for (int i = 1; i <= Signal.NSIG; i++) {
            if (actions[i].handler() != SIG_IGN) actions[i] = Action.DEFAULT;
        }
    }
}
