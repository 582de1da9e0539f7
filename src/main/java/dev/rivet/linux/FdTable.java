package dev.rivet.linux;

import java.util.ArrayList;
import java.util.List;

/**
 * A process's file descriptors (shared by threads made with CLONE_FILES, copied by fork). Each
 * slot holds an {@link OpenFile} and its close-on-exec flag.
 */
public final class FdTable {
    public static final int MAX_FDS = 1024;

    private final OpenFile[] files = new OpenFile[MAX_FDS];
    private final boolean[] closeOnExec = new boolean[MAX_FDS];

    public synchronized OpenFile get(int fd) {
        if (fd < 0 || fd >= MAX_FDS || files[fd] == null) throw new GuestError(Errno.EBADF);
        return files[fd];
    }

    /** Installs {@code file} at the lowest free descriptor at or above {@code min}. */
    /** Descriptor numbers stay below this (the owner's RLIMIT_NOFILE). */
    private java.util.function.IntSupplier limit = () -> MAX_FDS;

    public void limitBy(java.util.function.IntSupplier limit) {
        this.limit = limit;
    }

    public synchronized int add(OpenFile file, boolean cloexec, int min) {
        int max = Math.min(MAX_FDS, limit.getAsInt());
        for (int fd = Math.max(min, 0); fd < max; fd++) {
            if (files[fd] == null) {
                files[fd] = file;
                closeOnExec[fd] = cloexec;
                return fd;
            }
        }
        file.release();
        throw new GuestError(Errno.EMFILE);
    }

    public int add(OpenFile file, boolean cloexec) {
        return add(file, cloexec, 0);
    }

    /** dup2/dup3: puts {@code file} at {@code fd}, closing what was there. */
    public synchronized void put(int fd, OpenFile file, boolean cloexec) {
        if (fd < 0 || fd >= MAX_FDS) {
            file.release();
            throw new GuestError(Errno.EBADF);
        }
        OpenFile old = files[fd];
        files[fd] = file;
        closeOnExec[fd] = cloexec;
        if (old != null) old.release();
    }

    public synchronized void close(int fd) {
        OpenFile f = get(fd);
        files[fd] = null;
        f.release();
    }

    public synchronized boolean closeOnExec(int fd) {
        get(fd);
        return closeOnExec[fd];
    }

    public synchronized void setCloseOnExec(int fd, boolean value) {
        get(fd);
        closeOnExec[fd] = value;
    }

    /** A copy for fork: same open files, each referenced once more. */
    public synchronized FdTable copy() {
        FdTable t = new FdTable();
        for (int fd = 0; fd < MAX_FDS; fd++) {
            if (files[fd] != null) {
                t.files[fd] = files[fd].retain();
                t.closeOnExec[fd] = closeOnExec[fd];
            }
        }
        return t;
    }

    /** execve: closes the descriptors marked close-on-exec. */
    public synchronized void closeOnExec() {
        for (int fd = 0; fd < MAX_FDS; fd++) {
            if (files[fd] != null && closeOnExec[fd]) {
                files[fd].release();
                files[fd] = null;
            }
        }
    }

    public synchronized void closeAll() {
        for (int fd = 0; fd < MAX_FDS; fd++) {
            if (files[fd] != null) {
                files[fd].release();
                files[fd] = null;
            }
        }
    }

    public synchronized List<Integer> openDescriptors() {
        List<Integer> out = new ArrayList<>();
        for (int fd = 0; fd < MAX_FDS; fd++) if (files[fd] != null) out.add(fd);
        return out;
    }
}
