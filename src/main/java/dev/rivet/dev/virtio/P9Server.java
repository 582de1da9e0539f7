package dev.rivet.dev.virtio;

import dev.rivet.linux.Errno;
import dev.rivet.linux.GuestError;
import dev.rivet.linux.fs.GuestFileSystem;
import dev.rivet.linux.fs.GuestPaths;
import dev.rivet.linux.fs.HostErrors;
import dev.rivet.linux.fs.Resolved;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A 9P2000.L file server over one host directory (Linux include/net/9p/9p.h, net/9p/client.c for
 * the message formats). Sessions, fids, walks and attributes are here; file contents and directory
 * changes are in {@link P9Files}.
 *
 * <p>Nothing outside the shared directory is reachable. Fids hold canonical paths inside the share
 * and every request resolves them again with {@link GuestFileSystem} (the share as its root), which
 * treats {@code ..} and symlinks in the share's own namespace and never lets the host follow a link;
 * the final component is always used with NOFOLLOW_LINKS, so a symlink is only ever read as a link
 * (the client resolves it, inside the guest). Requests are handled one at a time, so the guest cannot
 * swap a directory for a link between a check and a use. Special files are not opened, device nodes
 * cannot be made. Ownership is applied as given (best effort) but not enforced: the guest's kernel
 * checks permissions against the attributes it reads.
 */
public final class P9Server {
    /** A 9P qid: type (QTDIR, QTSYMLINK, QTFILE), version, unique path. */
    record Qid(int type, int version, long path) { }

    static final int QTDIR = 0x80, QTSYMLINK = 0x02, QTFILE = 0;
    static final int MAX_MSIZE = 512 * 1024, HEADER = 7, IOHDRSZ = 11;
    static final int NOFID = -1;
    static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    /** Message types (9p.h). */
    static final int TLERROR = 6, TSTATFS = 8, TLOPEN = 12, TLCREATE = 14, TSYMLINK = 16, TMKNOD = 18,
            TRENAME = 20, TREADLINK = 22, TGETATTR = 24, TSETATTR = 26, TXATTRWALK = 30, TXATTRCREATE = 32,
            TREADDIR = 40, TFSYNC = 50, TLOCK = 52, TGETLOCK = 54, TLINK = 70, TMKDIR = 72, TRENAMEAT = 74,
            TUNLINKAT = 76, TVERSION = 100, TAUTH = 102, TATTACH = 104, TFLUSH = 108, TWALK = 110,
            TREAD = 116, TWRITE = 118, TCLUNK = 120, TREMOVE = 122;

    final GuestFileSystem fs;
    final Map<Integer, P9Fid> fids = new HashMap<>();
    int msize = 8192;
    private final P9Files files = new P9Files(this);

    /** Serves {@code root} (read-only if {@code readOnly}). */
    public P9Server(Path root, boolean readOnly) {
        this.fs = new GuestFileSystem(root, readOnly, List.of());
    }

    /**
     * Answers one T-message with its R-message (Rlerror on failure), at most {@code maxReply} bytes.
     *
     * @throws DriverError if the message is too short to have a header
     */
    public byte[] handle(byte[] msg, long maxReply) {
        if (msg.length < HEADER) throw new DriverError("9P message of " + msg.length + " bytes");
        P9Buffer in = new P9Buffer(msg);
        in.u32();
        int type = in.u8();
        int tag = in.u16();
        int room = (int) Math.min(Math.min(maxReply, msize), Integer.MAX_VALUE);
        P9Buffer out = new P9Buffer().w32(0).w8(type + 1).w16(tag);
        int errno;
        try {
            dispatch(type, in, out, room);
            if (out.position() <= room) return out.finish();
            errno = Errno.EIO; // callers size replies to fit; this is a safety net
        } catch (GuestError e) {
            errno = e.errno;
        } catch (IOException e) {
            errno = HostErrors.errno(e);
        } catch (RuntimeException e) { // e.g. a name the host cannot represent
            errno = Errno.EINVAL;
        }
        return new P9Buffer().w32(0).w8(TLERROR + 1).w16(tag).w32(errno).finish();
    }

    private void dispatch(int type, P9Buffer in, P9Buffer out, int room) throws IOException {
        switch (type) {
            case TVERSION -> version(in, out);
            case TATTACH -> attach(in, out);
            case TWALK -> walk(in, out);
            case TCLUNK -> clunk(in.u32());
            case TGETATTR -> getattr(in, out);
            case TSETATTR -> files.setattr(in);
            case TSTATFS -> statfs(in, out);
            case TLOPEN -> files.lopen(in, out);
            case TLCREATE -> files.lcreate(in, out);
            case TREAD -> files.read(in, out, room);
            case TWRITE -> files.write(in, out);
            case TREADDIR -> files.readdir(in, out, room);
            case TFSYNC -> files.fsync(in);
            case TMKDIR -> files.mkdir(in, out);
            case TSYMLINK -> files.symlink(in, out);
            case TLINK -> files.link(in);
            case TREADLINK -> out.wstr(Files.readSymbolicLink(host(fid(in.u32()))).toString());
            case TRENAME -> files.rename(in);
            case TRENAMEAT -> files.renameat(in);
            case TUNLINKAT -> files.unlinkat(in);
            case TREMOVE -> files.remove(in);
            case TLOCK -> out.w8(0); // P9_LOCK_SUCCESS: locks are the guest's own business
            case TGETLOCK -> getlock(in, out);
            case TFLUSH -> { } // requests complete in order: nothing is ever in flight to flush
            case TXATTRWALK, TXATTRCREATE, TMKNOD, TAUTH -> throw new GuestError(Errno.EOPNOTSUPP);
            default -> throw new GuestError(Errno.EOPNOTSUPP);
        }
    }

    // ---------------------------------------------------------------- fids and paths

    /** The fid numbered {@code n}, or EBADF. */
    P9Fid fid(int n) {
        P9Fid f = fids.get(n);
        if (f == null) throw new GuestError(Errno.EBADF);
        return f;
    }

    private void clunk(int n) {
        P9Fid f = fids.remove(n);
        if (f == null) throw new GuestError(Errno.EBADF);
        f.close();
    }

    /** Where share path {@code path} is on the host (which may not exist), never through a link. */
    Resolved resolve(String path) {
        return fs.resolve(path, false);
    }

    /** The host path of an existing fid's file. */
    Path host(P9Fid f) {
        return resolve(f.path).requireExists().host();
    }

    /** The share path of {@code name} in directory {@code dir}; the name must be a plain component. */
    static String child(String dir, String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf(0) >= 0) {
            throw new GuestError(Errno.EINVAL);
        }
        if (GuestPaths.byteLength(name) > GuestPaths.NAME_MAX) throw new GuestError(Errno.ENAMETOOLONG);
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /** The qid of the file at {@code host} itself (a link is a link). */
    static Qid qid(Path host) throws IOException {
        Map<String, Object> a = Files.readAttributes(host, "unix:mode,ino,dev", NOFOLLOW);
        return qid((Integer) a.get("mode"), (Long) a.get("ino"), (Long) a.get("dev"));
    }

    static Qid qid(int mode, long ino, long dev) {
        int fmt = mode & 0170000;
        int type = fmt == 0040000 ? QTDIR : fmt == 0120000 ? QTSYMLINK : QTFILE;
        return new Qid(type, 0, ino ^ dev << 48);
    }

    // ---------------------------------------------------------------- session

    private void version(P9Buffer in, P9Buffer out) {
        int requested = in.u32();
        String v = in.str();
        for (P9Fid f : fids.values()) f.close();
        fids.clear();
        msize = Math.max(4096, Math.min(requested, MAX_MSIZE));
        out.w32(msize).wstr(v.startsWith("9P2000.L") ? "9P2000.L" : "unknown");
    }

    private void attach(P9Buffer in, P9Buffer out) throws IOException {
        int fid = in.u32();
        in.u32(); // afid: no authentication
        in.str(); // uname
        in.str(); // aname: there is one tree per share
        int uid = in.u32();
        if (fids.containsKey(fid)) throw new GuestError(Errno.EBADF);
        P9Fid f = new P9Fid("/", uid);
        out.wqid(qid(host(f)));
        fids.put(fid, f);
    }

    /** Twalk: newfid reaches fid's file, then each name in turn; partial walks return the qids so far. */
    private void walk(P9Buffer in, P9Buffer out) throws IOException {
        int fromNo = in.u32();
        P9Fid from = fid(fromNo);
        int newfid = in.u32();
        int n = in.u16();
        if (n > 16) throw new GuestError(Errno.EINVAL); // P9_MAXWELEM
        String[] names = new String[n];
        for (int i = 0; i < n; i++) names[i] = in.str();
        if (newfid != fromNo && fids.containsKey(newfid)) throw new GuestError(Errno.EBADF);
        String path = from.path;
        Qid[] qids = new Qid[n];
        int done = 0;
        for (; done < n; done++) {
            String next = names[done].equals("..") ? GuestPaths.parent(path) : child(path, names[done]);
            Resolved r;
            try {
                r = resolve(next);
            } catch (GuestError e) {
                if (done == 0) throw e;
                break;
            }
            if (!r.exists()) {
                if (done == 0) throw new GuestError(Errno.ENOENT);
                break;
            }
            qids[done] = qid(r.host());
            path = next;
        }
        if (done == n) {
            P9Fid old = fids.put(newfid, new P9Fid(path, from.uid));
            if (old != null && old != from) old.close();
        }
        out.w16(done);
        for (int i = 0; i < done; i++) out.wqid(qids[i]);
    }

    // ---------------------------------------------------------------- attributes

    /** Tgetattr: everything of P9_STATS_BASIC (9p.h struct p9_stat_dotl). */
    private void getattr(P9Buffer in, P9Buffer out) throws IOException {
        Path p = host(fid(in.u32()));
        in.u64(); // request_mask: we always answer the basic set
        Map<String, Object> a = Files.readAttributes(p, "unix:*", NOFOLLOW);
        int mode = (Integer) a.get("mode");
        long size = (Long) a.get("size");
        out.w64(0x7ff); // P9_STATS_BASIC
        out.wqid(qid(mode, (Long) a.get("ino"), (Long) a.get("dev")));
        out.w32(mode).w32((Integer) a.get("uid")).w32((Integer) a.get("gid"));
        out.w64((Integer) a.get("nlink")).w64((Long) a.get("rdev")).w64(size);
        out.w64(4096).w64((size + 511) / 512);
        time(out, (FileTime) a.get("lastAccessTime"));
        time(out, (FileTime) a.get("lastModifiedTime"));
        time(out, (FileTime) a.get("ctime"));
        out.w64(0).w64(0).w64(0).w64(0); // btime, gen, data_version: not in the basic set
    }

    private static void time(P9Buffer out, FileTime t) {
        long nanos = t.to(TimeUnit.NANOSECONDS);
        out.w64(Math.floorDiv(nanos, 1_000_000_000L)).w64(Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Sets access and modification times (nanoseconds; -1 keeps one) without following a link. */
    static void setTimes(Path p, long atimeNanos, long mtimeNanos) throws IOException {
        BasicFileAttributeView v = Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW);
        v.setTimes(mtimeNanos < 0 ? null : FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS),
                atimeNanos < 0 ? null : FileTime.from(atimeNanos, TimeUnit.NANOSECONDS), null);
    }

    /** Tstatfs: struct p9_rstatfs of the host file system holding the share. */
    private void statfs(P9Buffer in, P9Buffer out) throws IOException {
        FileStore s = Files.getFileStore(host(fid(in.u32())));
        long bsize = 4096;
        out.w32(0x01021997).w32(bsize); // V9FS_MAGIC
        out.w64(s.getTotalSpace() / bsize).w64(s.getUnallocatedSpace() / bsize).w64(s.getUsableSpace() / bsize);
        out.w64(1 << 20).w64(1 << 19).w64(0).w32(GuestPaths.NAME_MAX); // files, ffree: unknown to the JDK
    }

    private static void getlock(P9Buffer in, P9Buffer out) {
        in.u32();
        in.u8();
        long start = in.u64(), length = in.u64();
        int proc = in.u32();
        String client = in.str();
        out.w8(2).w64(start).w64(length).w32(proc).wstr(client); // F_UNLCK: nobody holds a lock
    }

    /** Closes every open file (the device is reset or the machine is gone). */
    void closeAll() {
        for (P9Fid f : fids.values()) f.close();
        fids.clear();
        msize = 8192;
    }
}
