package dev.rivet.linux;

/**
 * Terminal ioctls (asm-generic/ioctls.h) for the console. When the host's standard streams are a
 * terminal the guest sees one (with a fixed termios it may read and write back); otherwise
 * TCGETS fails with ENOTTY, so programs see a pipe or file just as they would on Linux.
 */
final class Terminal {
    static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCSCTTY = 0x540e,
            TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541b,
            FIONBIO = 0x5421;
    /** struct termios for riscv64 (asm-generic/termbits.h): 4 flag words, line, 19 control characters. */
    static final int TERMIOS_SIZE = 36;

    private final byte[] termios = new byte[TERMIOS_SIZE];
    private int foregroundGroup;

    Terminal(int foregroundGroup) {
        this.foregroundGroup = foregroundGroup;
        // A cooked terminal: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD|HUPCL, ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE.
        put(0, 0x0500);
        put(4, 0x0005);
        put(8, 0x04bf);
        put(12, 0x8a3b);
        byte[] cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0};
        System.arraycopy(cc, 0, termios, 17, cc.length);
    }

    private void put(int off, int v) {
        dev.rivet.mem.Bytes.write(termios, off, 4, v);
    }

    synchronized long ioctl(int request, long arg, UserMemory mem, int ownGroup) {
        switch (request) {
            case TCGETS -> mem.write(arg, termios);
            case TCSETS, TCSETSW, TCSETSF -> mem.read(arg, termios, 0, TERMIOS_SIZE);
            case TIOCGWINSZ -> {
                byte[] ws = new byte[8];
                dev.rivet.mem.Bytes.write(ws, 0, 2, 24);
                dev.rivet.mem.Bytes.write(ws, 2, 2, 80);
                mem.write(arg, ws);
            }
            case TIOCSWINSZ, TIOCSCTTY -> { }
            case TIOCGPGRP -> mem.writeInt(arg, foregroundGroup == 0 ? ownGroup : foregroundGroup);
            case TIOCSPGRP -> foregroundGroup = mem.readInt(arg);
            default -> throw new GuestError(Errno.ENOTTY);
        }
        return 0;
    }
}
