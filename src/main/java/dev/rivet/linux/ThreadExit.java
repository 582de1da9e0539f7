package dev.rivet.linux;

/** Unwinds a guest thread's host thread when the guest thread ends (exit, exit_group, fatal signal). */
final class ThreadExit extends RuntimeException {
    static final ThreadExit INSTANCE = new ThreadExit();

    private ThreadExit() {
        super("guest thread exit", null, false, false);
    }
}
