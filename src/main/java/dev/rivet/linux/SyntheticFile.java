package dev.rivet.linux;

import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.StatEncoder;

/** An open read-only file of /proc: its contents were generated once, when it was opened. */
final class SyntheticFile extends OpenFile {
    private final byte[] content;
    private final FileStat stat;
    private long position;

    SyntheticFile(String guestPath, int flags, byte[] content, FileStat stat) {
        super(guestPath, flags & (O_ACCMODE | O_NONBLOCK));
        this.content = content;
        this.stat = stat;
    }

    @Override
    public synchronized int read(byte[] buf, int off, int len) {
        int n = pread(buf, off, len, position);
        position += n;
        return n;
    }

    @Override
    public int pread(byte[] buf, int off, int len, long pos) {
        if (!readable()) throw new GuestError(Errno.EBADF);
        if (pos < 0) throw new GuestError(Errno.EINVAL);
        if (pos >= content.length) return 0;
        int n = (int) Math.min(len, content.length - pos);
        System.arraycopy(content, (int) pos, buf, off, n);
        return n;
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public synchronized long seek(long offset, int whence) {
        long base = switch (whence) {
            case HostFile.SEEK_SET -> 0;
            case HostFile.SEEK_CUR -> position;
            case HostFile.SEEK_END -> content.length;
            default -> throw new GuestError(Errno.EINVAL);
        };
        if (base + offset < 0) throw new GuestError(Errno.EINVAL);
        position = base + offset;
        return position;
    }

    @Override
    public byte[] stat() {
        return StatEncoder.stat(stat);
    }
}
