package dev.rivet.linux;

/**
 * The data-moving calls: read, write, their vector and positional forms, sendfile and
 * copy_file_range. Guest buffers are copied through host arrays of at most {@link #CHUNK} bytes;
 * for regular files the copy loops so that programs see full transfers, as Linux gives them.
 */
final class Transfers {
    static final int CHUNK = 1 << 20;
    /** Linux's MAX_RW_COUNT: the most one call moves. */
    static final long MAX_RW_COUNT = 0x7ffff000L;
    static final int UIO_MAXIOV = 1024;

    private Transfers() {}

    /** Files whose reads return less than asked only at end of file. */
    private static boolean regular(OpenFile f) {
        return f instanceof HostFile || f instanceof SyntheticFile;
    }

    private static long clamp(long count) {
        return count < 0 || count > MAX_RW_COUNT ? MAX_RW_COUNT : count;
    }

    /** Reads into guest memory at {@code addr}; {@code pos} &lt; 0 means at (and advancing) the file offset. */
    static long read(GuestThread t, OpenFile f, long addr, long count, long pos) {
        count = clamp(count);
        if (count == 0) return pos < 0 ? f.read(new byte[0], 0, 0) : f.pread(new byte[0], 0, 0, pos);
        byte[] buf = new byte[(int) Math.min(count, CHUNK)];
        long done = 0;
        while (done < count) {
            int want = (int) Math.min(count - done, CHUNK);
            int n;
            try {
                n = pos < 0 ? f.read(buf, 0, want) : f.pread(buf, 0, want, pos + done);
                if (n > 0) t.memory().write(addr + done, buf, 0, n);
            } catch (GuestError e) {
                if (done > 0) break;
                throw e;
            }
            done += n;
            if (n < want || !regular(f)) break;
        }
        return done;
    }

    /** Writes from guest memory; a broken pipe also raises SIGPIPE. */
    static long write(GuestThread t, OpenFile f, long addr, long count, long pos) {
        count = clamp(count);
        if (count == 0) return pos < 0 ? f.write(new byte[0], 0, 0) : f.pwrite(new byte[0], 0, 0, pos);
        long done = 0;
        while (done < count) {
            int want = (int) Math.min(count - done, CHUNK);
            int n;
            try {
                byte[] buf = t.memory().read(addr + done, want);
                n = pos < 0 ? f.write(buf, 0, want) : f.pwrite(buf, 0, want, pos + done);
            } catch (GuestError e) {
                if (e.errno == Errno.EPIPE) sigpipe(t);
                if (done > 0) break;
                throw e;
            }
            done += n;
            if (n < want || f.nonBlocking()) break;
        }
        return done;
    }

    /** Writes a host buffer completely unless the file takes less (non-blocking pipe). */
    static int writeAll(GuestThread t, OpenFile f, byte[] buf, int len, long pos) {
        try {
            return pos < 0 ? f.write(buf, 0, len) : f.pwrite(buf, 0, len, pos);
        } catch (GuestError e) {
            if (e.errno == Errno.EPIPE) sigpipe(t);
            throw e;
        }
    }

    static void sigpipe(GuestThread t) {
        t.sendSignal(SigInfo.user(Signal.SIGPIPE, t.process.pid, t.kernel().creds.uid()));
    }

    /** The iovec array: pairs of (base, length). */
    private static long[] iovecs(GuestThread t, long iov, int count) {
        if (count < 0 || count > UIO_MAXIOV) throw new GuestError(Errno.EINVAL);
        byte[] raw = t.memory().read(iov, 16 * count);
        long[] out = new long[2 * count];
        long total = 0;
        for (int i = 0; i < 2 * count; i++) {
            out[i] = dev.rivet.mem.Bytes.i64(raw, 8 * i);
            if (i % 2 == 1) {
                if (out[i] < 0) throw new GuestError(Errno.EINVAL);
                total += out[i];
                if (total < 0) throw new GuestError(Errno.EINVAL);
            }
        }
        return out;
    }

    private static long total(long[] v) {
        long total = 0;
        for (int i = 1; i < v.length; i += 2) total += v[i];
        return total;
    }

    /** readv/preadv: a small total is one read (a pipe's data is not split oddly), larger ones go vector by vector. */
    static long readv(GuestThread t, OpenFile f, long iov, int count, long pos) {
        long[] v = iovecs(t, iov, count);
        long total = total(v);
        if (total <= CHUNK) {
            byte[] buf = new byte[(int) total];
            int n = pos < 0 ? f.read(buf, 0, buf.length) : f.pread(buf, 0, buf.length, pos);
            int off = 0;
            for (int i = 0; i < v.length && off < n; i += 2) {
                int part = (int) Math.min(v[i + 1], n - off);
                t.memory().write(v[i], buf, off, part);
                off += part;
            }
            return n;
        }
        long done = 0;
        for (int i = 0; i < v.length; i += 2) {
            long n = read(t, f, v[i], v[i + 1], pos < 0 ? -1 : pos + done);
            done += n;
            if (n < v[i + 1]) break;
        }
        return done;
    }

    static long writev(GuestThread t, OpenFile f, long iov, int count, long pos) {
        long[] v = iovecs(t, iov, count);
        long total = total(v);
        if (total <= CHUNK) {
            // Gathered into one write, so a small writev to a pipe stays atomic.
            byte[] buf = new byte[(int) total];
            int off = 0;
            for (int i = 0; i < v.length; i += 2) {
                t.memory().read(v[i], buf, off, (int) v[i + 1]);
                off += (int) v[i + 1];
            }
            return writeAll(t, f, buf, buf.length, pos);
        }
        long done = 0;
        for (int i = 0; i < v.length; i += 2) {
            long n = write(t, f, v[i], v[i + 1], pos < 0 ? -1 : pos + done);
            done += n;
            if (n < v[i + 1]) break;
        }
        return done;
    }

    /** sendfile: from {@code in} (at *offsetPtr if given, leaving its offset alone) to {@code out}. */
    static long sendfile(GuestThread t, OpenFile out, OpenFile in, long offsetPtr, long count) {
        if ((out.statusFlags() & OpenFile.O_APPEND) != 0) throw new GuestError(Errno.EINVAL);
        long pos = offsetPtr != 0 ? t.memory().readLong(offsetPtr) : -1;
        if (offsetPtr != 0 && pos < 0) throw new GuestError(Errno.EINVAL);
        long done = copy(t, in, pos, out, -1, clamp(count));
        if (offsetPtr != 0) t.memory().writeLong(offsetPtr, pos + done);
        return done;
    }

    /** copy_file_range: between regular files only. */
    static long copyFileRange(GuestThread t, OpenFile in, long inPtr, OpenFile out, long outPtr, long len, int flags) {
        if (flags != 0) throw new GuestError(Errno.EINVAL);
        if (in instanceof DirectoryFile || out instanceof DirectoryFile) throw new GuestError(Errno.EISDIR);
        if (!(in instanceof HostFile) || !(out instanceof HostFile)) throw new GuestError(Errno.EINVAL);
        if (!in.readable() || !out.writable() || (out.statusFlags() & OpenFile.O_APPEND) != 0) {
            throw new GuestError(Errno.EBADF);
        }
        long inPos = inPtr != 0 ? t.memory().readLong(inPtr) : -1;
        long outPos = outPtr != 0 ? t.memory().readLong(outPtr) : -1;
        if ((inPtr != 0 && inPos < 0) || (outPtr != 0 && outPos < 0)) throw new GuestError(Errno.EINVAL);
        long done = copy(t, in, inPos, out, outPos, clamp(len));
        if (inPtr != 0) t.memory().writeLong(inPtr, inPos + done);
        if (outPtr != 0) t.memory().writeLong(outPtr, outPos + done);
        return done;
    }

    /** Copies until {@code count} bytes, end of input, or a short write; positions &lt; 0 use the offsets. */
    private static long copy(GuestThread t, OpenFile in, long inPos, OpenFile out, long outPos, long count) {
        byte[] buf = new byte[(int) Math.min(count, CHUNK)];
        long done = 0;
        while (done < count) {
            int want = (int) Math.min(count - done, CHUNK);
            int n;
            try {
                n = inPos < 0 ? in.read(buf, 0, want) : in.pread(buf, 0, want, inPos + done);
                if (n <= 0) break;
                int w = writeAll(t, out, buf, n, outPos < 0 ? -1 : outPos + done);
                done += w;
                if (w < n) {
                    // Give back what was read but not written, where the input can seek.
                    if (inPos < 0 && regular(in)) in.seek(w - n, HostFile.SEEK_CUR);
                    break;
                }
            } catch (GuestError e) {
                if (done > 0) break;
                throw e;
            }
            if (n < want || !regular(in)) break;
        }
        return done;
    }
}
