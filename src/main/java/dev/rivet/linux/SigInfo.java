package dev.rivet.linux;

import dev.rivet.mem.Bytes;

/**
 * A pending signal's details, written to the handler as {@code siginfo_t} (128 bytes:
 * si_signo, si_errno, si_code, then the union: pid/uid for kill, addr for faults, timer fields).
 */
public record SigInfo(int signo, int code, int pid, int uid, long addr, long value) {
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_TKILL = -6;
    public static final int SEGV_MAPERR = 1, SEGV_ACCERR = 2, ILL_ILLOPC = 1, TRAP_BRKPT = 1, BUS_ADRALN = 1, BUS_ADRERR = 2,
            CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;

    public static SigInfo user(int signo, int pid, int uid) {
        return new SigInfo(signo, SI_USER, pid, uid, 0, 0);
    }

    public static SigInfo fault(int signo, int code, long addr) {
        return new SigInfo(signo, code, 0, 0, addr, 0);
    }

    byte[] encode() {
        byte[] b = new byte[128];
        Bytes.write(b, 0, 4, signo);
        Bytes.write(b, 8, 4, code);
        if (addr != 0 || signo == Signal.SIGSEGV || signo == Signal.SIGBUS || signo == Signal.SIGILL
                || signo == Signal.SIGFPE || signo == Signal.SIGTRAP) {
            Bytes.write(b, 16, 8, addr);
        } else if (code == SI_TIMER) {
            Bytes.write(b, 16, 4, pid); // timer id
            Bytes.write(b, 24, 8, value);
        } else {
            Bytes.write(b, 16, 4, pid);
            Bytes.write(b, 20, 4, uid);
            Bytes.write(b, 24, 8, value);
        }
        return b;
    }
}
