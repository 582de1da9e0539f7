package dev.rivet.linux;

import dev.rivet.linux.fs.DirentEncoder;
import java.util.List;

/**
 * An open directory: getdents64 serves a snapshot of its entries, taken on the first read and
 * again after a rewind, from a position that lseek/telldir/seekdir can save and restore (positions
 * are entry indices). It can be a starting point for *at calls and for fchdir.
 */
abstract class DirectoryFile extends OpenFile {
    private List<DirentEncoder.Entry> entries;
    private int position;

    protected DirectoryFile(String guestPath, int flags) {
        super(guestPath, flags & (O_ACCMODE | O_NONBLOCK | O_DIRECTORY));
    }

    /** The current entries, "." and ".." first. */
    protected abstract List<DirentEncoder.Entry> list();

    @Override
    public synchronized int readDirectory(byte[] buf) {
        if (entries == null) entries = list();
        DirentEncoder.Batch batch = DirentEncoder.encode(entries, position, buf.length);
        System.arraycopy(batch.bytes(), 0, buf, 0, batch.bytes().length);
        position = batch.nextPosition();
        return batch.bytes().length;
    }

    @Override
    public synchronized long seek(long offset, int whence) {
        long next = switch (whence) {
            case HostFile.SEEK_SET -> offset;
            case HostFile.SEEK_CUR -> position + offset;
            default -> throw new GuestError(Errno.EINVAL);
        };
        if (next < 0 || next > Integer.MAX_VALUE) throw new GuestError(Errno.EINVAL);
        // rewinddir must show changes made since the directory was opened.
        if (next == 0) entries = null;
        position = (int) next;
        return next;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        throw new GuestError(Errno.EISDIR);
    }

    @Override
    public int pread(byte[] buf, int off, int len, long pos) {
        throw new GuestError(Errno.EISDIR);
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        throw new GuestError(Errno.EBADF);
    }

    @Override
    public int pwrite(byte[] buf, int off, int len, long pos) {
        throw new GuestError(Errno.EBADF);
    }
}
