package dev.rivet.linux;

import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.StatEncoder;

/** One end of a {@link Pipe} as an open file. */
final class PipeEnd extends OpenFile {
    private static final int S_IFIFO = 0010000;
    private final Pipe pipe;
    private final boolean readEnd;

    PipeEnd(Pipe pipe, boolean readEnd, int flags) {
        super("pipe:[" + pipe.inode() + "]", (readEnd ? O_RDONLY : O_WRONLY) | (flags & O_NONBLOCK));
        this.pipe = pipe;
        this.readEnd = readEnd;
    }

    Pipe pipe() {
        return pipe;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        if (!readEnd) throw new GuestError(Errno.EBADF);
        return pipe.read(buf, off, len, nonBlocking());
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        if (readEnd) throw new GuestError(Errno.EBADF);
        return pipe.write(buf, off, len, nonBlocking());
    }

    @Override
    public int poll() {
        return readEnd ? pipe.pollReader() : pipe.pollWriter();
    }

    @Override
    public boolean pollable() {
        return true;
    }

    @Override
    public long readinessEvents() {
        return pipe.events();
    }

    @Override
    public long ioctl(int request, long arg, UserMemory mem) {
        if (request == Terminal.FIONREAD) {
            mem.writeInt(arg, pipe.available());
            return 0;
        }
        return super.ioctl(request, arg, mem);
    }

    @Override
    public byte[] stat() {
        return StatEncoder.stat(FileStat.synthetic(S_IFIFO | 0600, 0, pipe.inode()));
    }

    @Override
    protected void close() {
        if (readEnd) pipe.closeReader(); else pipe.closeWriter();
    }
}
