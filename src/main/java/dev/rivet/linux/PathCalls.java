package dev.rivet.linux;

import static dev.rivet.linux.PathLookup.AT_FDCWD;

import dev.rivet.linux.PathLookup.Host;
import dev.rivet.linux.PathLookup.Synthetic;
import dev.rivet.linux.PathLookup.Target;
import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.GuestPaths;
import dev.rivet.linux.fs.HostErrors;
import dev.rivet.linux.fs.Resolved;
import dev.rivet.linux.fs.StatEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The system calls that work on paths: stat, access, readlink, and the calls that create, remove,
 * rename and change files. Each resolves through {@link PathLookup}; the synthetic trees are
 * read-only to them.
 */
final class PathCalls {
    static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EACCESS = 0x200, AT_SYMLINK_FOLLOW = 0x400,
            AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000, AT_STATX_SYNC_TYPE = 0x6000;
    static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2;

    private final Kernel kernel;
    private final PathLookup lookup;
    private final NamedPipes fifos;

    PathCalls(Kernel kernel, PathLookup lookup, NamedPipes fifos) {
        this.kernel = kernel;
        this.lookup = lookup;
        this.fifos = fifos;
    }

    static String path(GuestThread t, long addr) {
        return t.memory().readString(addr, GuestPaths.PATH_MAX - 1);
    }

    /** The target of an *at call taking AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH (empty: the descriptor itself). */
    Target target(GuestThread t, int dirfd, long pathAddr, int flags) {
        boolean emptyOk = (flags & AT_EMPTY_PATH) != 0;
        String path = pathAddr == 0 && emptyOk ? "" : path(t, pathAddr);
        if (path.isEmpty()) {
            if (!emptyOk) throw new GuestError(Errno.ENOENT);
            if (dirfd == AT_FDCWD) return lookup.resolve(t, AT_FDCWD, ".", true);
            OpenFile f = t.process.fds.get(dirfd);
            return new Synthetic(new VNode.Descriptor(f.guestPath(), f));
        }
        return lookup.resolve(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0);
    }

    FileStat fileStat(Target target) {
        return switch (target) {
            case Host(Resolved r) -> fifos.adjust(r.requireExists().host(), Opener.stat(r.host()));
            case Synthetic(VNode node) -> node.stat();
        };
    }

    long newfstatat(GuestThread t, int dirfd, long pathAddr, long buf, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) != 0) throw new GuestError(Errno.EINVAL);
        Target target = target(t, dirfd, pathAddr, flags);
        // fstat arrives here as fstatat(fd, "", AT_EMPTY_PATH): take the file's own encoding.
        byte[] st = target instanceof Synthetic(VNode.Descriptor d) ? d.file().stat() : StatEncoder.stat(fileStat(target));
        t.memory().write(buf, st);
        return 0;
    }

    long statx(GuestThread t, int dirfd, long pathAddr, int flags, int mask, long buf) {
        int allowed = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE;
        if ((flags & ~allowed) != 0 || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || mask < 0) {
            throw new GuestError(Errno.EINVAL);
        }
        t.memory().write(buf, StatEncoder.statx(fileStat(target(t, dirfd, pathAddr, flags))));
        return 0;
    }

    long statfs(GuestThread t, long pathAddr, long buf) {
        Target target = lookup.resolve(t, AT_FDCWD, path(t, pathAddr), true);
        byte[] out = switch (target) {
            case Host(Resolved r) -> StatFs.ofHost(r.requireExists().host(), r.readOnly());
            case Synthetic(VNode node) -> StatFs.ofSynthetic(node.path());
        };
        t.memory().write(buf, out);
        return 0;
    }

    long fstatfs(GuestThread t, int fd, long buf) {
        OpenFile f = t.process.fds.get(fd);
        t.memory().write(buf, f instanceof HostBacked hb ? StatFs.ofHost(hb.host(), hb.readOnlyMount())
                : StatFs.ofSynthetic(f.guestPath()));
        return 0;
    }

    long readlinkat(GuestThread t, int dirfd, long pathAddr, long buf, int size) {
        if (size <= 0) throw new GuestError(Errno.EINVAL);
        // Tests, not a switch over the target's type: such a switch links a bootstrap method at its
        // first run, which no start-up cache holds, and a C runtime's start reads /proc/self/exe.
        Target resolved = lookup.resolve(t, dirfd, path(t, pathAddr), false);
        String target;
        if (resolved instanceof Host(Resolved r)) {
            r.requireExists();
            if (!Files.isSymbolicLink(r.host())) throw new GuestError(Errno.EINVAL);
            try {
                target = Files.readSymbolicLink(r.host()).toString();
            } catch (IOException e) {
                throw HostErrors.toGuest(e);
            }
        } else if (resolved instanceof Synthetic(VNode.Link link)) {
            target = link.target();
        } else {
            throw new GuestError(Errno.EINVAL);
        }
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(size, bytes.length);
        t.memory().write(buf, bytes, 0, n);
        return n;
    }

    long faccessat(GuestThread t, int dirfd, long pathAddr, int mode, int flags) {
        if ((mode & ~7) != 0 || (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            throw new GuestError(Errno.EINVAL);
        }
        Target target = target(t, dirfd, pathAddr, flags);
        if (target instanceof Host(Resolved r)) {
            Path host = r.requireExists().host();
            if ((mode & 2) != 0 && r.readOnly()) throw new GuestError(Errno.EROFS);
            if (mode == 0 || Files.isSymbolicLink(host)) return 0;
            // The host's access(2) decides, for the host user the guest runs as.
            boolean ok = ((mode & 4) == 0 || Files.isReadable(host)) && ((mode & 2) == 0 || Files.isWritable(host))
                    && ((mode & 1) == 0 || Files.isExecutable(host));
            if (!ok) throw new GuestError(Errno.EACCES);
            return 0;
        }
        FileStat st = fileStat(target);
        int bits = st.uid() == kernel.creds.uid() ? (st.mode() >> 6) & 7 : st.mode() & 7;
        if ((bits & mode) != mode) throw new GuestError(Errno.EACCES);
        return 0;
    }

    /** The place for a new file: it must not exist yet and must be writable. */
    private Resolved fresh(GuestThread t, int dirfd, long pathAddr) {
        return freePlace(t, dirfd, pathAddr).requireWritable();
    }

    private Resolved freePlace(GuestThread t, int dirfd, long pathAddr) {
        if (!(lookup.resolve(t, dirfd, path(t, pathAddr), false) instanceof Host(Resolved r)) || r.exists()) {
            throw new GuestError(Errno.EEXIST);
        }
        return r;
    }

    long mkdirat(GuestThread t, int dirfd, long pathAddr, int mode) {
        Resolved r = fresh(t, dirfd, pathAddr);
        try {
            Files.createDirectory(r.host());
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
        Opener.setMode(r.host(), mode & ~t.process.umask & 01777);
        return 0;
    }

    long mknodat(GuestThread t, int dirfd, long pathAddr, int mode, long dev) {
        int type = mode & FileStat.S_IFMT;
        if (type == FileStat.S_IFDIR || type == FileStat.S_IFCHR || type == FileStat.S_IFBLK || type == FileStat.S_IFSOCK) {
            throw new GuestError(Errno.EPERM);
        }
        if (type != 0 && type != FileStat.S_IFREG && type != FileStat.S_IFIFO) throw new GuestError(Errno.EINVAL);
        Resolved r = fresh(t, dirfd, pathAddr);
        try {
            Files.createFile(r.host());
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
        Opener.setMode(r.host(), mode & ~t.process.umask & 07777);
        if (type == FileStat.S_IFIFO) fifos.made(r.host());
        return 0;
    }

    /** An existing host file that may be changed: EROFS in read-only mounts. */
    Resolved changeable(Target target) {
        if (!(target instanceof Host(Resolved r))) throw new GuestError(Errno.EACCES);
        return r.requireExists().requireWritable();
    }

    /** Like {@link #changeable}, and not a mount point (EBUSY): unlink and rename take it away. */
    private Resolved removable(Target target) {
        if (!(target instanceof Host(Resolved r))) throw new GuestError(Errno.EACCES);
        // A mount point's entry lies in the parent mount, so EBUSY comes before any EROFS.
        r.requireExists();
        if (kernel.fs.mounts().stream().anyMatch(m -> m.guest().equals(r.guestPath()))) throw new GuestError(Errno.EBUSY);
        return r.requireWritable();
    }

    long unlinkat(GuestThread t, int dirfd, long pathAddr, int flags) {
        if ((flags & ~AT_REMOVEDIR) != 0) throw new GuestError(Errno.EINVAL);
        String path = path(t, pathAddr);
        boolean rmdir = (flags & AT_REMOVEDIR) != 0;
        String last = GuestPaths.split(path).isEmpty() ? "/" : GuestPaths.split(path).getLast();
        if (rmdir && last.equals(".")) throw new GuestError(Errno.EINVAL);
        if (rmdir && last.equals("..")) throw new GuestError(Errno.ENOTEMPTY);
        Resolved r = removable(lookup.resolve(t, dirfd, path, false));
        boolean directory = Files.isDirectory(r.host(), LinkOption.NOFOLLOW_LINKS);
        if (rmdir && !directory) throw new GuestError(Errno.ENOTDIR);
        if (!rmdir && directory) throw new GuestError(Errno.EISDIR);
        try {
            Files.delete(r.host());
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
        fifos.removed(r.host());
        return 0;
    }

    long renameat(GuestThread t, int olddirfd, long oldAddr, int newdirfd, long newAddr, int flags) {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0 || flags == (RENAME_NOREPLACE | RENAME_EXCHANGE)) {
            throw new GuestError(Errno.EINVAL);
        }
        Target fromTarget = lookup.resolve(t, olddirfd, path(t, oldAddr), false);
        Target toTarget = lookup.resolve(t, newdirfd, path(t, newAddr), false);
        if (!(fromTarget instanceof Host(Resolved source)) || !(toTarget instanceof Host(Resolved to))) {
            throw new GuestError(Errno.EXDEV);
        }
        // As in Linux, crossing mounts is reported before a read-only mount.
        source.requireExists().requireSameMount(to);
        Resolved from = removable(fromTarget);
        if (to.exists()) removable(toTarget);
        to.requireWritable();
        if (from.guestPath().equals("/") || to.guestPath().equals("/")) throw new GuestError(Errno.EBUSY);
        if (to.guestPath().startsWith(from.guestPath() + "/")) throw new GuestError(Errno.EINVAL);
        if (from.guestPath().equals(to.guestPath())) return 0;
        boolean fromDir = Files.isDirectory(from.host(), LinkOption.NOFOLLOW_LINKS);
        if ((to.trailingSlash() || from.trailingSlash()) && !fromDir) throw new GuestError(Errno.ENOTDIR);
        try {
            if ((flags & RENAME_EXCHANGE) != 0) {
                if (!to.exists()) throw new GuestError(Errno.ENOENT);
                if (from.guestPath().startsWith(to.guestPath() + "/")) throw new GuestError(Errno.EINVAL);
                Path tmp = from.host().resolveSibling(".rivet-exchange-" + System.nanoTime());
                Files.move(from.host(), tmp, StandardCopyOption.ATOMIC_MOVE);
                Files.move(to.host(), from.host(), StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, to.host(), StandardCopyOption.ATOMIC_MOVE);
                fifos.moved(from.host(), tmp);
                fifos.moved(to.host(), from.host());
                fifos.moved(tmp, to.host());
                return 0;
            }
            if (to.exists()) {
                if ((flags & RENAME_NOREPLACE) != 0) throw new GuestError(Errno.EEXIST);
                if (Files.isSameFile(from.host(), to.host())) return 0;
                boolean toDir = Files.isDirectory(to.host(), LinkOption.NOFOLLOW_LINKS);
                if (fromDir && !toDir) throw new GuestError(Errno.ENOTDIR);
                if (!fromDir && toDir) throw new GuestError(Errno.EISDIR);
            }
            // ATOMIC_MOVE is a plain rename(2): it replaces an existing target as Linux does.
            Files.move(from.host(), to.host(), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new GuestError(Errno.EXDEV);
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
        fifos.moved(from.host(), to.host());
        return 0;
    }

    long symlinkat(GuestThread t, long targetAddr, int newdirfd, long linkAddr) {
        String target = path(t, targetAddr);
        if (target.isEmpty()) throw new GuestError(Errno.ENOENT);
        Resolved r = fresh(t, newdirfd, linkAddr);
        try {
            // The target is stored as given; lookups read it in the guest namespace, never the host's.
            Files.createSymbolicLink(r.host(), Path.of(target));
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        } catch (java.nio.file.InvalidPathException e) {
            throw new GuestError(Errno.EINVAL);
        }
        return 0;
    }

    long linkat(GuestThread t, int olddirfd, long oldAddr, int newdirfd, long newAddr, int flags) {
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) throw new GuestError(Errno.EINVAL);
        // linkat follows a final link only when asked: the opposite default of the other *at calls.
        Target oldTarget = target(t, olddirfd, oldAddr, (flags & AT_EMPTY_PATH)
                | ((flags & AT_SYMLINK_FOLLOW) != 0 ? 0 : AT_SYMLINK_NOFOLLOW));
        Path source;
        String mount;
        switch (oldTarget) {
            case Host(Resolved r) -> {
                source = r.requireExists().host();
                mount = r.mountPoint();
            }
            case Synthetic(VNode.Descriptor(String p, HostFile f)) -> {
                source = f.host();
                mount = null;
            }
            default -> throw new GuestError(Errno.EXDEV);
        }
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) throw new GuestError(Errno.EPERM);
        Resolved r = freePlace(t, newdirfd, newAddr);
        if (mount != null && !mount.equals(r.mountPoint())) throw new GuestError(Errno.EXDEV);
        r.requireWritable();
        try {
            Files.createLink(r.host(), source);
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
        return 0;
    }

    long truncate(GuestThread t, long pathAddr, long length) {
        if (length < 0) throw new GuestError(Errno.EINVAL);
        Target target = lookup.resolve(t, AT_FDCWD, path(t, pathAddr), true);
        if (target instanceof Synthetic(VNode node)) {
            throw new GuestError(node instanceof VNode.Dir ? Errno.EISDIR : Errno.EINVAL);
        }
        Resolved r = ((Host) target).resolved().requireExists();
        if (Files.isDirectory(r.host(), LinkOption.NOFOLLOW_LINKS)) throw new GuestError(Errno.EISDIR);
        if (!Files.isRegularFile(r.host(), LinkOption.NOFOLLOW_LINKS)) throw new GuestError(Errno.EINVAL);
        r.requireWritable();
        try {
            HostChannel ch = HostChannel.open(r.host(), true);
            try {
                ch.truncate(length);
            } finally {
                ch.release();
            }
        } catch (IOException e) {
            throw HostChannel.errno(e);
        }
        return 0;
    }

    long chdir(GuestThread t, long pathAddr) {
        t.process.cwd = directoryPath(lookup.resolve(t, AT_FDCWD, path(t, pathAddr), true));
        return 0;
    }

    /** The guest path of a directory target; ENOTDIR for anything else. */
    static String directoryPath(Target target) {
        return switch (target) {
            case Host(Resolved r) -> {
                if (!Files.isDirectory(r.requireExists().host(), LinkOption.NOFOLLOW_LINKS)) {
                    throw new GuestError(Errno.ENOTDIR);
                }
                yield r.guestPath();
            }
            case Synthetic(VNode.Dir d) -> d.path();
            case Synthetic(VNode.Descriptor d) when PathLookup.isDirectory(d.file()) -> d.file().guestPath();
            case Synthetic s -> throw new GuestError(Errno.ENOTDIR);
        };
    }
}
