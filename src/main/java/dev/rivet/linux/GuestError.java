package dev.rivet.linux;

/**
 * A system call failing with an errno, thrown from deep inside its implementation and turned into
 * the negative return value at the dispatcher. Carries no stack trace: it is ordinary control flow.
 */
public final class GuestError extends RuntimeException {
    public final int errno;

    public GuestError(int errno) {
        super("errno " + errno, null, false, false);
        this.errno = errno;
    }
}
