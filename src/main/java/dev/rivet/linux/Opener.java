package dev.rivet.linux;

import static dev.rivet.linux.OpenFile.*;

import dev.rivet.linux.PathLookup.Host;
import dev.rivet.linux.PathLookup.Synthetic;
import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.HostErrors;
import dev.rivet.linux.fs.Resolved;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** openat(2): from a path and flags to an open file of the right kind. */
final class Opener {
    /** O_TMPFILE without the O_DIRECTORY bit it always comes with. */
    static final int O_TMPFILE_BIT = 020000000;

    private final Kernel kernel;
    private final PathLookup lookup;
    private final NamedPipes fifos;

    Opener(Kernel kernel, PathLookup lookup, NamedPipes fifos) {
        this.kernel = kernel;
        this.lookup = lookup;
        this.fifos = fifos;
    }

    OpenFile open(GuestThread t, int dirfd, String path, int flags, int mode) {
        boolean pathOnly = (flags & O_PATH) != 0;
        if (pathOnly) flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        if ((flags & O_TMPFILE_BIT) != 0) return openTemporary(t, dirfd, path, flags, mode);
        boolean create = (flags & O_CREAT) != 0;
        boolean exclusive = create && (flags & O_EXCL) != 0;
        // O_CREAT|O_EXCL never follows a final link: an existing link is EEXIST.
        boolean follow = (flags & O_NOFOLLOW) == 0 && !exclusive;
        PathLookup.Target target = lookup.resolve(t, dirfd, path, follow);
        if (target instanceof Synthetic s) {
            if (exclusive) throw new GuestError(Errno.EEXIST);
            return openSynthetic(t, s.node(), flags, pathOnly);
        }
        Resolved r = ((Host) target).resolved();
        if (!r.exists()) {
            if (!create) throw new GuestError(Errno.ENOENT);
            if (r.trailingSlash()) throw new GuestError(Errno.EISDIR);
            if ((flags & O_DIRECTORY) != 0) throw new GuestError(Errno.EINVAL);
            r.requireWritable();
            try {
                Files.createFile(r.host());
            } catch (FileAlreadyExistsException raced) {
                if (exclusive) throw new GuestError(Errno.EEXIST);
                return open(t, dirfd, path, flags & ~O_CREAT, mode);
            } catch (IOException e) {
                throw HostErrors.toGuest(e);
            }
            // Open before setting the mode: the creating open may write even to a 0444 file.
            HostFile f = openRegular(r, flags & ~O_TRUNC);
            setMode(r.host(), mode & ~t.process.umask);
            return f;
        }
        if (exclusive) throw new GuestError(Errno.EEXIST);
        FileStat st = fifos.adjust(r.host(), stat(r.host()));
        int type = st.type();
        if (type == FileStat.S_IFLNK) {
            if (pathOnly) return new PathFile(r.guestPath(), flags, r.host(), null, false);
            throw new GuestError(Errno.ELOOP);
        }
        if ((flags & O_DIRECTORY) != 0 && type != FileStat.S_IFDIR) throw new GuestError(Errno.ENOTDIR);
        if (pathOnly) return new PathFile(r.guestPath(), flags, r.host(), null, type == FileStat.S_IFDIR);
        int access = flags & O_ACCMODE;
        boolean writes = access == O_WRONLY || access == O_RDWR;
        if (type == FileStat.S_IFDIR) {
            if (writes || create) throw new GuestError(Errno.EISDIR);
            return new HostDirectory(kernel.fs, r, flags);
        }
        if (writes || (flags & O_TRUNC) != 0) r.requireWritable();
        if (type == FileStat.S_IFIFO) return fifos.open(r.host(), r.guestPath(), flags);
        // Host devices and sockets inside the root stay out of reach.
        if (type != FileStat.S_IFREG) throw new GuestError(Errno.EACCES);
        return openRegular(r, flags);
    }

    private HostFile openRegular(Resolved r, int flags) {
        int access = flags & O_ACCMODE;
        boolean writes = access == O_WRONLY || access == O_RDWR;
        HostChannel ch;
        try {
            ch = HostChannel.open(r.host(), writes);
        } catch (IOException e) {
            throw HostChannel.errno(e);
        }
        HostFile f = new HostFile(r.host(), r.guestPath(), flags, ch, r.readOnly());
        if ((flags & O_TRUNC) != 0 && writes) f.truncate(0);
        return f;
    }

    private OpenFile openSynthetic(GuestThread t, VNode node, int flags, boolean pathOnly) {
        boolean directory = node instanceof VNode.Dir;
        if ((flags & O_DIRECTORY) != 0 && !directory && !(node instanceof VNode.Descriptor)) {
            throw new GuestError(node instanceof VNode.Link ? Errno.ELOOP : Errno.ENOTDIR);
        }
        if (pathOnly) return new PathFile(node.path(), flags, null, node, directory);
        int access = flags & O_ACCMODE;
        boolean writes = access == O_WRONLY || access == O_RDWR;
        return switch (node) {
            case VNode.Dir d -> {
                if (writes) throw new GuestError(Errno.EISDIR);
                yield new VirtualDirectory(d, flags);
            }
            case VNode.Content c -> {
                if (writes) throw new GuestError(Errno.EACCES);
                yield new SyntheticFile(c.path(), flags, c.bytes().get(), c.stat());
            }
            case VNode.Device d -> DevFiles.open(kernel, d, flags);
            case VNode.Link l -> throw new GuestError(Errno.ELOOP);
            case VNode.Descriptor d -> reopen(t, d.file(), flags);
        };
    }

    /**
     * Opening /proc/self/fd/N: a host file gets a new description on the same host file (even if
     * unlinked); pipes, terminals and other objects are shared as they are.
     */
    private OpenFile reopen(GuestThread t, OpenFile f, int flags) {
        int access = flags & O_ACCMODE;
        boolean writes = access == O_WRONLY || access == O_RDWR;
        if (f instanceof HostFile hf) {
            if ((flags & O_DIRECTORY) != 0) throw new GuestError(Errno.ENOTDIR);
            if (writes && hf.readOnlyMount()) throw new GuestError(Errno.EROFS);
            if (writes && !hf.hostChannel().canWrite()) {
                return open(t, PathLookup.AT_FDCWD, hf.guestPath(), flags & ~(O_CREAT | O_EXCL), 0);
            }
            HostFile copy = new HostFile(hf.host(), hf.guestPath(), flags, hf.hostChannel().retain(), hf.readOnlyMount());
            if ((flags & O_TRUNC) != 0 && writes) copy.truncate(0);
            return copy;
        }
        if (f instanceof DirectoryFile || f instanceof PathFile) {
            return open(t, PathLookup.AT_FDCWD, f.guestPath(), flags & ~(O_CREAT | O_EXCL), 0);
        }
        return f.retain();
    }

    /** O_TMPFILE: an unnamed file in the given directory (made, opened, then unlinked). */
    private OpenFile openTemporary(GuestThread t, int dirfd, String path, int flags, int mode) {
        int access = flags & O_ACCMODE;
        if (access != O_WRONLY && access != O_RDWR) throw new GuestError(Errno.EINVAL);
        if (!(lookup.resolve(t, dirfd, path, true) instanceof Host(Resolved dir))) throw new GuestError(Errno.EOPNOTSUPP);
        dir.requireExists().requireWritable();
        if (!Files.isDirectory(dir.host(), LinkOption.NOFOLLOW_LINKS)) throw new GuestError(Errno.ENOTDIR);
        try {
            Path tmp = Files.createTempFile(dir.host(), ".rivet-tmpfile-", null);
            HostChannel ch = HostChannel.open(tmp, true);
            Files.delete(tmp);
            HostFile f = new HostFile(tmp, dir.guestPath() + "/#" + Long.toHexString(System.nanoTime()) + " (deleted)",
                    flags, ch, false);
            return f;
        } catch (IOException e) {
            throw HostChannel.errno(e);
        }
    }

    /** memfd_create: a deleted host temporary file, so it has a channel for mmap like any file. */
    OpenFile memfd(String name) {
        try {
            Path tmp = Files.createTempFile("rivet-memfd-", null);
            HostChannel ch = HostChannel.open(tmp, true);
            Files.delete(tmp);
            return new HostFile(tmp, "/memfd:" + name + " (deleted)", O_RDWR, ch, false);
        } catch (IOException e) {
            throw HostChannel.errno(e);
        }
    }

    static FileStat stat(Path host) {
        try {
            return FileStat.ofHost(host);
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
    }

    /** Sets all 12 permission bits exactly: chmod, unlike creation, ignores the host's umask. */
    static void setMode(Path host, int mode) {
        try {
            Files.setAttribute(host, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new GuestError(Errno.EOPNOTSUPP);
        }
    }
}
