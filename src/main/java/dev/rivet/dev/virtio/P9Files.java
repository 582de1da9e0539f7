package dev.rivet.dev.virtio;

import dev.rivet.linux.Errno;
import dev.rivet.linux.GuestError;
import dev.rivet.linux.fs.GuestPaths;
import dev.rivet.linux.fs.Resolved;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The 9P2000.L requests of {@link P9Server} that open, read and write files and change
 * directories: Tlopen, Tlcreate, Tread, Twrite, Treaddir, Tfsync, Tsetattr, Tmkdir, Tsymlink,
 * Tlink, Trename, Trenameat, Tunlinkat, Tremove. Every host call leaves links unfollowed.
 */
final class P9Files {
    /** Linux open flags as 9P2000.L carries them (P9_DOTL_*, the asm-generic values). */
    static final int O_ACCMODE = 3, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000,
            O_APPEND = 02000;
    static final int AT_REMOVEDIR = 0x200;
    /** Tsetattr valid bits (P9_ATTR_*). */
    static final int A_MODE = 1, A_UID = 2, A_GID = 4, A_SIZE = 8, A_ATIME = 16, A_MTIME = 32, A_ATIME_SET = 128,
            A_MTIME_SET = 256;

    private final P9Server s;

    P9Files(P9Server s) {
        this.s = s;
    }

    private Resolved writable(String path) {
        return s.resolve(path).requireWritable();
    }

    // ---------------------------------------------------------------- open and create

    void lopen(P9Buffer in, P9Buffer out) throws IOException {
        P9Fid f = s.fid(in.u32());
        int flags = in.u32();
        if (f.opened()) throw new GuestError(Errno.EBADF);
        Resolved r = s.resolve(f.path).requireExists();
        BasicFileAttributes a = Files.readAttributes(r.host(), BasicFileAttributes.class, P9Server.NOFOLLOW);
        boolean writes = (flags & O_ACCMODE) != 0 || (flags & O_TRUNC) != 0;
        if (writes) r.requireWritable();
        if (a.isDirectory()) {
            if (writes) throw new GuestError(Errno.EISDIR);
            f.openDir = true;
        } else if (a.isSymbolicLink()) {
            throw new GuestError(Errno.ELOOP);
        } else if (!a.isRegularFile()) {
            throw new GuestError(Errno.EOPNOTSUPP); // FIFOs and device nodes of the host stay closed
        } else {
            f.file = FileChannel.open(r.host(), options(flags, false));
            f.append = (flags & O_APPEND) != 0;
        }
        out.wqid(P9Server.qid(r.host())).w32(0);
    }

    private static Set<OpenOption> options(int flags, boolean create) {
        Set<OpenOption> o = new HashSet<>();
        o.add(java.nio.file.LinkOption.NOFOLLOW_LINKS);
        int acc = flags & O_ACCMODE;
        if (acc != O_WRONLY) o.add(StandardOpenOption.READ);
        if (acc == O_WRONLY || acc == O_RDWR || create) o.add(StandardOpenOption.WRITE);
        if ((flags & O_TRUNC) != 0 && o.contains(StandardOpenOption.WRITE)) o.add(StandardOpenOption.TRUNCATE_EXISTING);
        if (create) o.add((flags & O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        return o;
    }

    /** Tlcreate: makes and opens {@code name} in directory fid, which then stands for the new file. */
    void lcreate(P9Buffer in, P9Buffer out) throws IOException {
        P9Fid f = s.fid(in.u32());
        String name = in.str();
        int flags = in.u32(), mode = in.u32(), gid = in.u32();
        if (f.opened()) throw new GuestError(Errno.EBADF);
        String path = P9Server.child(f.path, name);
        Resolved r = writable(path);
        boolean existed = r.exists();
        FileChannel ch = FileChannel.open(r.host(), options(flags, true));
        if (!existed) owner(r.host(), mode, f.uid, gid);
        f.path = path;
        f.file = ch;
        f.append = (flags & O_APPEND) != 0;
        out.wqid(P9Server.qid(r.host())).w32(0);
    }

    /** Mode and owner of a file just made (owner best effort: the host may not allow chown). */
    private static void owner(Path p, int mode, int uid, int gid) throws IOException {
        if (mode >= 0) Files.setAttribute(p, "unix:mode", mode & 07777, P9Server.NOFOLLOW);
        try {
            Files.setAttribute(p, "unix:uid", uid, P9Server.NOFOLLOW);
            Files.setAttribute(p, "unix:gid", gid, P9Server.NOFOLLOW);
        } catch (IOException | UnsupportedOperationException e) {
            // not the host's superuser: files stay owned by the user running rivet
        }
    }

    // ---------------------------------------------------------------- contents

    void read(P9Buffer in, P9Buffer out, int room) throws IOException {
        P9Fid f = s.fid(in.u32());
        long offset = in.u64();
        int count = in.u32();
        if (f.file == null) throw new GuestError(f.openDir ? Errno.EISDIR : Errno.EBADF);
        int n = (int) Math.max(0, Math.min(Integer.toUnsignedLong(count), room - P9Server.IOHDRSZ));
        byte[] data = new byte[n];
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining() && f.file.read(b, offset + b.position()) > 0) { }
        out.w32(b.position()).wbytes(data, 0, b.position());
    }

    void write(P9Buffer in, P9Buffer out) throws IOException {
        P9Fid f = s.fid(in.u32());
        long offset = in.u64();
        int count = in.u32();
        int at = in.skip(count);
        if (f.file == null) throw new GuestError(f.openDir ? Errno.EISDIR : Errno.EBADF);
        if (offset < 0) throw new GuestError(Errno.EINVAL);
        ByteBuffer b = ByteBuffer.wrap(in.array(), at, count);
        long pos = f.append ? f.file.size() : offset;
        while (b.hasRemaining()) f.file.write(b, pos + b.position() - at);
        out.w32(count);
    }

    void fsync(P9Buffer in) throws IOException {
        P9Fid f = s.fid(in.u32());
        if (f.file != null) f.file.force(true);
    }

    /** Treaddir: entries qid[13] offset[8] type[1] name[s] from {@code offset}, as many as fit in count. */
    void readdir(P9Buffer in, P9Buffer out, int room) throws IOException {
        P9Fid f = s.fid(in.u32());
        long offset = in.u64();
        int count = (int) Math.min(Integer.toUnsignedLong(in.u32()), room - P9Server.IOHDRSZ);
        if (!f.openDir) throw new GuestError(Errno.ENOTDIR);
        if (f.listing == null || offset == 0) f.listing = list(f.path);
        P9Buffer entries = new P9Buffer();
        for (long i = offset; i < f.listing.size(); i++) {
            P9Fid.Entry e = f.listing.get((int) i);
            int size = 13 + 8 + 1 + 2 + GuestPaths.byteLength(e.name());
            if (entries.position() + size > count) break;
            entries.wqid(e.qid()).w64(i + 1).w8(e.type()).wstr(e.name());
        }
        out.w32(entries.position()).wbytes(entries.array(), 0, entries.position());
    }

    private List<P9Fid.Entry> list(String path) throws IOException {
        Path dir = s.host(new P9Fid(path, 0));
        List<P9Fid.Entry> out = new ArrayList<>();
        out.add(entry(".", dir));
        out.add(entry("..", s.resolve(GuestPaths.parent(path)).host()));
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) names.add(p.getFileName().toString());
        }
        for (String n : names) {
            try {
                out.add(entry(n, dir.resolve(n)));
            } catch (IOException e) {
                // removed meanwhile: leave it out
            }
        }
        return out;
    }

    private static P9Fid.Entry entry(String name, Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev", P9Server.NOFOLLOW);
        int mode = (Integer) a.get("mode");
        return new P9Fid.Entry(name, P9Server.qid(mode, (Long) a.get("ino"), (Long) a.get("dev")), mode >>> 12 & 15);
    }

    // ---------------------------------------------------------------- attributes

    /** Tsetattr: mode, owner, size and times, each only if its valid bit is set. */
    void setattr(P9Buffer in) throws IOException {
        P9Fid f = s.fid(in.u32());
        int valid = in.u32(), mode = in.u32(), uid = in.u32(), gid = in.u32();
        long size = in.u64(), atime = in.u64(), atimeNs = in.u64(), mtime = in.u64(), mtimeNs = in.u64();
        Resolved r = s.resolve(f.path).requireExists().requireWritable();
        Path p = r.host();
        boolean link = Files.isSymbolicLink(p);
        if ((valid & A_MODE) != 0 && !link) Files.setAttribute(p, "unix:mode", mode & 07777, P9Server.NOFOLLOW);
        if ((valid & A_UID) != 0) Files.setAttribute(p, "unix:uid", uid, P9Server.NOFOLLOW);
        if ((valid & A_GID) != 0) Files.setAttribute(p, "unix:gid", gid, P9Server.NOFOLLOW);
        if ((valid & A_SIZE) != 0) {
            if (link || !Files.isRegularFile(p, P9Server.NOFOLLOW)) throw new GuestError(Errno.EINVAL);
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, P9Server.NOFOLLOW)) {
                if (size < ch.size()) ch.truncate(size);
                else if (size > ch.size()) ch.write(ByteBuffer.allocate(1), size - 1);
            }
        }
        if ((valid & (A_ATIME | A_MTIME)) != 0) {
            long now = System.currentTimeMillis() * 1_000_000L;
            long a = (valid & A_ATIME) == 0 ? -1 : (valid & A_ATIME_SET) != 0 ? atime * 1_000_000_000L + atimeNs : now;
            long m = (valid & A_MTIME) == 0 ? -1 : (valid & A_MTIME_SET) != 0 ? mtime * 1_000_000_000L + mtimeNs : now;
            P9Server.setTimes(p, a, m);
        }
    }

    // ---------------------------------------------------------------- directory changes

    void mkdir(P9Buffer in, P9Buffer out) throws IOException {
        P9Fid d = s.fid(in.u32());
        String path = P9Server.child(d.path, in.str());
        int mode = in.u32(), gid = in.u32();
        Path p = writable(path).host();
        Files.createDirectory(p);
        owner(p, mode, d.uid, gid);
        out.wqid(P9Server.qid(p));
    }

    /** Tsymlink: the target is stored as given; it is only ever read back, never followed here. */
    void symlink(P9Buffer in, P9Buffer out) throws IOException {
        P9Fid d = s.fid(in.u32());
        String path = P9Server.child(d.path, in.str());
        String target = in.str();
        int gid = in.u32();
        if (target.isEmpty() || target.indexOf(0) >= 0) throw new GuestError(Errno.EINVAL);
        Path p = writable(path).host();
        Files.createSymbolicLink(p, Path.of(target));
        owner(p, -1, d.uid, gid);
        out.wqid(P9Server.qid(p));
    }

    /** Tlink: a hard link to a file of the share (link(2) does not follow a link given as source). */
    void link(P9Buffer in) throws IOException {
        P9Fid d = s.fid(in.u32());
        P9Fid target = s.fid(in.u32());
        String path = P9Server.child(d.path, in.str());
        Path existing = s.host(target);
        if (Files.isDirectory(existing, P9Server.NOFOLLOW)) throw new GuestError(Errno.EPERM);
        Files.createLink(writable(path).host(), existing);
    }

    void rename(P9Buffer in) throws IOException {
        P9Fid f = s.fid(in.u32());
        P9Fid d = s.fid(in.u32());
        move(f.path, P9Server.child(d.path, in.str()));
    }

    void renameat(P9Buffer in) throws IOException {
        P9Fid od = s.fid(in.u32());
        String from = P9Server.child(od.path, in.str());
        P9Fid nd = s.fid(in.u32());
        move(from, P9Server.child(nd.path, in.str()));
    }

    /** rename(2) of share path {@code from} to {@code to}; fids below {@code from} follow it. */
    private void move(String from, String to) throws IOException {
        if (from.equals("/")) throw new GuestError(Errno.EBUSY);
        if ((to + "/").startsWith(from + "/") && !to.equals(from)) throw new GuestError(Errno.EINVAL);
        Path a = writable(from).requireExists().host();
        Path b = writable(to).host();
        Files.move(a, b, StandardCopyOption.ATOMIC_MOVE);
        for (P9Fid f : s.fids.values()) {
            if (f.path.equals(from)) f.path = to;
            else if (f.path.startsWith(from + "/")) f.path = to + f.path.substring(from.length());
        }
    }

    void unlinkat(P9Buffer in) throws IOException {
        P9Fid d = s.fid(in.u32());
        String path = P9Server.child(d.path, in.str());
        int flags = in.u32();
        delete(path, (flags & AT_REMOVEDIR) != 0);
    }

    /** Tremove: deletes the fid's file and clunks the fid (even if the removal fails). */
    void remove(P9Buffer in) throws IOException {
        int n = in.u32();
        P9Fid f = s.fid(n);
        s.fids.remove(n);
        f.close();
        if (f.path.equals("/")) throw new GuestError(Errno.EBUSY);
        delete(f.path, Files.isDirectory(s.host(f), P9Server.NOFOLLOW));
    }

    private void delete(String path, boolean dir) throws IOException {
        Path p = writable(path).requireExists().host();
        boolean isDir = Files.isDirectory(p, P9Server.NOFOLLOW);
        if (dir && !isDir) throw new GuestError(Errno.ENOTDIR);
        if (!dir && isDir) throw new GuestError(Errno.EISDIR);
        Files.delete(p);
    }
}
