package dev.rivet.linux;

import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.StatEncoder;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The guest's standard input, output and error: the host's own streams. Input is pumped by a
 * daemon thread into a pipe (started on first use), so a guest blocked reading it can still be
 * interrupted by a signal and can poll it. Output is unbuffered, as a terminal or pipe would be.
 */
public final class Console {
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private final InputStream in;
    private final OutputStream out;
    private final OutputStream err;
    private final boolean terminal;
    private final Terminal tty = new Terminal(0);
    private final Pipe input;
    private boolean pumping;

    public Console(InputStream in, OutputStream out, OutputStream err, boolean terminal, Readiness readiness) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.input = new Pipe(readiness, 1);
    }

    /** The host process's own standard streams. */
    public static Console ofHost(Readiness readiness) {
        var console = System.console();
        boolean tty = console != null && console.isTerminal();
        return new Console(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), tty, readiness);
    }

    private synchronized void startPump() {
        if (pumping) return;
        pumping = true;
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) input.write(buf, 0, n, false);
            } catch (IOException | GuestError e) {
                // Host input closed or failed: the guest sees end of file.
            }
            input.closeWriter();
        }, "rivet-stdin");
        t.setDaemon(true);
        t.start();
    }

    OpenFile open(int fd) {
        return new Stream(fd, fd == 0 ? OpenFile.O_RDONLY : OpenFile.O_WRONLY);
    }

    /** Opens /dev/tty: the console if it is a terminal, else ENXIO as for a process without one. */
    OpenFile openTerminal(int flags) {
        if (!terminal) throw new GuestError(Errno.ENXIO);
        return new Stream(TTY, flags & (OpenFile.O_ACCMODE | OpenFile.O_NONBLOCK));
    }

    /** Stream number of /dev/tty: reads standard input, writes standard error (both reach the terminal). */
    private static final int TTY = 3;

    /** One of the three standard descriptors, or /dev/tty. */
    private final class Stream extends OpenFile {
        private final int fd;

        Stream(int fd, int flags) {
            super(fd == TTY ? "/dev/tty" : "/dev/" + (fd == 0 ? "stdin" : fd == 1 ? "stdout" : "stderr"), flags);
            this.fd = fd;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            if (fd != 0 && fd != TTY) throw new GuestError(Errno.EBADF);
            startPump();
            return input.read(buf, off, len, nonBlocking());
        }

        @Override
        public int write(byte[] buf, int off, int len) {
            if (fd == 0) throw new GuestError(Errno.EBADF);
            OutputStream target = fd == 1 ? out : err;
            try {
                target.write(buf, off, len);
                target.flush();
                return len;
            } catch (IOException e) {
                throw new GuestError(Errno.EPIPE);
            }
        }

        @Override
        public int poll() {
            if (fd != 0 && fd != TTY) return POLLOUT;
            startPump();
            return input.pollReader() | (fd == TTY ? POLLOUT : 0);
        }

        @Override
        public boolean pollable() {
            return true;
        }

        @Override
        public long readinessEvents() {
            return fd == 0 ? input.events() : 0;
        }

        @Override
        public long ioctl(int request, long arg, UserMemory mem) {
            if (request == Terminal.FIONREAD && (fd == 0 || fd == TTY)) {
                startPump();
                mem.writeInt(arg, input.available());
                return 0;
            }
            if (!terminal) throw new GuestError(Errno.ENOTTY);
            return tty.ioctl(request, arg, mem, 1);
        }

        @Override
        public byte[] stat() {
            return StatEncoder.stat(FileStat.synthetic((terminal ? S_IFCHR | 0620 : S_IFIFO | 0600), 0, 100 + fd));
        }
    }
}
