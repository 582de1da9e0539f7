package dev.rivet.linux;

/** PLACEHOLDER: being written. */
final class PollCalls {
    private final Kernel kernel;

    PollCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    long ppoll(GuestThread t, long a0, int a1, long a2, long a3, long a4) {
        throw new GuestError(Errno.ENOSYS);
    }

    long pselect6(GuestThread t, int a0, long a1, long a2, long a3, long a4, long a5) {
        throw new GuestError(Errno.ENOSYS);
    }

    long epollCreate1(GuestThread t, int a0) {
        throw new GuestError(Errno.ENOSYS);
    }

    long epollCtl(GuestThread t, int a0, int a1, int a2, long a3) {
        throw new GuestError(Errno.ENOSYS);
    }

    long epollPwait(GuestThread t, int a0, long a1, int a2, int a3, long a4, long a5) {
        throw new GuestError(Errno.ENOSYS);
    }

    long eventfd2(GuestThread t, int a0, int a1) {
        throw new GuestError(Errno.ENOSYS);
    }
}
