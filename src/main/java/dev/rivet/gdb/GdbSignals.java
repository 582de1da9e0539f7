package dev.rivet.gdb;

/**
 * The remote protocol numbers signals with GDB's own target-independent numbering
 * ({@code gdb/signals.def}), not Linux's; this converts between the two for riscv64 Linux
 * (asm-generic signal numbers), as gdbserver does.
 */
public final class GdbSignals {
    private GdbSignals() {}

    public static final int TRAP = 5;
    public static final int INT = 2;
    /** GDB_SIGNAL_UNKNOWN: a Linux signal GDB has no number for. */
    static final int UNKNOWN = 143;

    /** GDB numbers of Linux signals 0..31 (index = Linux number). */
    private static final int[] FROM_LINUX = {
        0, 1, 2, 3, 4, 5, 6, 10, 8, 9, 30, 11, 31, 13, 14, 15,
        UNKNOWN /* SIGSTKFLT */, 20, 19, 17, 18, 21, 22, 16, 24, 25, 26, 27, 28, 23, 32, 12,
    };

    /** The GDB number of Linux signal {@code sig}. */
    public static int fromLinux(int sig) {
        if (sig >= 0 && sig < FROM_LINUX.length) return FROM_LINUX[sig];
        if (sig == 32) return 77; // GDB_SIGNAL_REALTIME_32
        if (sig >= 33 && sig <= 63) return 45 + (sig - 33); // GDB_SIGNAL_REALTIME_33..63
        if (sig == 64) return 78; // GDB_SIGNAL_REALTIME_64
        return UNKNOWN;
    }

    /** The Linux number of GDB signal {@code gdbSig}, or 0 if Linux has none. */
    public static int toLinux(int gdbSig) {
        if (gdbSig <= 0) return 0;
        for (int sig = 1; sig <= 64; sig++) if (fromLinux(sig) == gdbSig) return sig;
        return 0;
    }
}
