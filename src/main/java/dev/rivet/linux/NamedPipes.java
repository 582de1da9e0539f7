package dev.rivet.linux;

import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.HostErrors;
import dev.rivet.linux.fs.StatEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Named pipes (FIFOs) of the sandbox. Opens of one FIFO share one {@link Pipe} while any of them
 * is open, keyed by host path. A FIFO made by the guest's mknod is stored on the host as an empty
 * regular file (the JDK cannot make FIFOs), remembered here and marked with an extended attribute,
 * so stat shows it as a FIFO; FIFOs that already exist on the host work alike.
 *
 * <p>Opening follows fifo(7): a reader waits for a writer and a writer for a reader, unless
 * O_NONBLOCK (then a writer without reader fails with ENXIO); O_RDWR never waits.
 */
final class NamedPipes {
    /** Extended attribute (user namespace) marking a host file as a FIFO. */
    private static final String MARK = "rivet.fifo";

    private final Readiness readiness;
    private final LongSupplier inodes;
    private final Set<Path> made = ConcurrentHashMap.newKeySet();
    private final Map<Path, Pipe> open = new HashMap<>();
    private final Map<Pipe, int[]> ends = new HashMap<>();
    /** Counts every open of each kind, so a waiting opener sees a peer that came and went. */
    private long readerOpens, writerOpens;

    NamedPipes(Readiness readiness, LongSupplier inodes) {
        this.readiness = readiness;
        this.inodes = inodes;
    }

    private static Path key(Path host) {
        return host.toAbsolutePath().normalize();
    }

    /**
     * mknod(S_IFIFO): the host file has just been created as a regular file. An extended attribute
     * marks it too, where the host supports them, so it is still a FIFO for later sandboxes.
     */
    void made(Path host) {
        made.add(key(host));
        try {
            Files.getFileAttributeView(host, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .write(MARK, ByteBuffer.wrap(new byte[] {1}));
        } catch (IOException | UnsupportedOperationException | NullPointerException e) {
            // No extended attributes here: the FIFO lasts as long as this sandbox.
        }
    }

    private boolean marked(Path host) {
        try {
            var view = Files.getFileAttributeView(host, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            return view != null && view.list().contains(MARK);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    void moved(Path from, Path to) {
        if (made.remove(key(from))) made.add(key(to));
        else made.remove(key(to));
    }

    void removed(Path host) {
        made.remove(key(host));
    }

    /** The host's stat, with the FIFO type restored for FIFOs this sandbox made. */
    FileStat adjust(Path host, FileStat st) {
        // Only empty files can be FIFOs made here: nothing else pays for the attribute lookup.
        if (st.type() != FileStat.S_IFREG || st.size() != 0 || !(made.contains(key(host)) || marked(host))) return st;
        return new FileStat(st.dev(), st.ino(), FileStat.S_IFIFO | (st.mode() & 07777), st.nlink(), st.uid(), st.gid(),
                0, 0, st.blksize(), 0, st.atimeSec(), st.atimeNsec(), st.mtimeSec(), st.mtimeNsec(), st.ctimeSec(),
                st.ctimeNsec());
    }

    /** Opens a FIFO, waiting for the other side as fifo(7) says. */
    OpenFile open(Path host, String guestPath, int flags) {
        Path k = key(host);
        int mode = flags & OpenFile.O_ACCMODE;
        boolean nonBlocking = (flags & OpenFile.O_NONBLOCK) != 0;
        boolean reads = mode == OpenFile.O_RDONLY || mode == OpenFile.O_RDWR;
        boolean writes = mode == OpenFile.O_WRONLY || mode == OpenFile.O_RDWR;
        Pipe pipe;
        synchronized (this) {
            pipe = open.get(k);
            if (pipe == null) {
                if (writes && !reads && nonBlocking) throw new GuestError(Errno.ENXIO);
                pipe = Pipe.unopened(readiness, inodes.getAsLong());
                open.put(k, pipe);
                ends.put(pipe, new int[2]);
            }
            int[] count = ends.get(pipe);
            if (writes && !reads && nonBlocking && count[0] == 0) throw new GuestError(Errno.ENXIO);
            if (reads) {
                count[0]++;
                readerOpens++;
                pipe.addReader();
            }
            if (writes) {
                count[1]++;
                writerOpens++;
                pipe.addWriter();
            }
            notifyAll();
            Fifo fifo = new Fifo(k, pipe, guestPath, flags, reads, writes);
            if (mode != OpenFile.O_RDWR && !nonBlocking) {
                long seenReaders = readerOpens, seenWriters = writerOpens;
                try {
                    while (reads ? count[1] == 0 && writerOpens == seenWriters : count[0] == 0 && readerOpens == seenReaders) {
                        waitForPeer();
                    }
                } catch (GuestError e) {
                    fifo.release();
                    throw e;
                }
            }
            return fifo;
        }
    }

    private void waitForPeer() {
        try {
            wait();
        } catch (InterruptedException e) {
            GuestThread.onInterrupt();
        }
    }

    private synchronized void closed(Path k, Pipe pipe, boolean reads, boolean writes) {
        int[] count = ends.get(pipe);
        if (reads) {
            count[0]--;
            pipe.closeReader();
        }
        if (writes) {
            count[1]--;
            pipe.closeWriter();
        }
        // With no end left the data is dropped, as Linux does; the next open starts a new pipe.
        if (count[0] == 0 && count[1] == 0) {
            ends.remove(pipe);
            open.remove(k, pipe);
        }
    }

    /** One open of a FIFO. */
    private final class Fifo extends OpenFile {
        private final Path host;
        private final Pipe pipe;
        private final boolean reads, writes;

        Fifo(Path host, Pipe pipe, String guestPath, int flags, boolean reads, boolean writes) {
            super(guestPath, flags & (O_ACCMODE | O_NONBLOCK));
            this.host = host;
            this.pipe = pipe;
            this.reads = reads;
            this.writes = writes;
        }

        Pipe pipe() {
            return pipe;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            if (!reads) throw new GuestError(Errno.EBADF);
            return pipe.read(buf, off, len, nonBlocking());
        }

        @Override
        public int write(byte[] buf, int off, int len) {
            if (!writes) throw new GuestError(Errno.EBADF);
            return pipe.write(buf, off, len, nonBlocking());
        }

        @Override
        public int poll() {
            return (reads ? pipe.pollReader() : 0) | (writes ? pipe.pollWriter() : 0);
        }

        @Override
        public long ioctl(int request, long arg, UserMemory mem) {
            if (request != Terminal.FIONREAD) return super.ioctl(request, arg, mem);
            mem.writeInt(arg, pipe.available());
            return 0;
        }

        @Override
        public byte[] stat() {
            try {
                return StatEncoder.stat(adjust(host, FileStat.ofHost(host)));
            } catch (IOException e) {
                throw HostErrors.toGuest(e);
            }
        }

        @Override
        protected void close() {
            closed(host, pipe, reads, writes);
        }
    }

    /** The pipe behind a FIFO descriptor, or null if {@code f} is not one (F_GETPIPE_SZ). */
    static Pipe pipeOf(OpenFile f) {
        if (f instanceof Fifo fifo) return fifo.pipe();
        if (f instanceof PipeEnd end) return end.pipe();
        return null;
    }
}
