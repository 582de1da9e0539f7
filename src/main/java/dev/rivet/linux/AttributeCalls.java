package dev.rivet.linux;

import dev.rivet.linux.PathLookup.Host;
import dev.rivet.linux.PathLookup.Synthetic;
import dev.rivet.linux.PathLookup.Target;
import dev.rivet.linux.fs.HostErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** The calls that change a file's attributes: fchmod(at), fchown(at), utimensat. */
final class AttributeCalls {
    static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;
    private static final int AT_SYMLINK_NOFOLLOW = PathCalls.AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH = PathCalls.AT_EMPTY_PATH;

    private final Kernel kernel;
    private final PathLookup lookup;
    private final PathCalls paths;

    AttributeCalls(Kernel kernel, PathLookup lookup, PathCalls paths) {
        this.kernel = kernel;
        this.lookup = lookup;
        this.paths = paths;
    }

    /** The host file behind an open file that may be changed (fchmod, fchown, futimens); null if none. */
    private static Path changeableHost(OpenFile f) {
        if (f instanceof PathFile) throw new GuestError(Errno.EBADF);
        if (!(f instanceof HostBacked hb)) return null;
        if (hb.readOnlyMount()) throw new GuestError(Errno.EROFS);
        return Files.exists(hb.host(), LinkOption.NOFOLLOW_LINKS) ? hb.host() : null;
    }

    long fchmod(GuestThread t, int fd, int mode) {
        Path host = changeableHost(t.process.fds.get(fd));
        if (host != null) Opener.setMode(host, mode);
        return 0;
    }

    long fchmodat(GuestThread t, int dirfd, long pathAddr, int mode) {
        Target target = lookup.resolve(t, dirfd, PathCalls.path(t, pathAddr), true);
        if (target instanceof Synthetic) throw new GuestError(Errno.EPERM);
        Opener.setMode(paths.changeable(target).host(), mode);
        return 0;
    }

    /** The guest cannot give files away: chown succeeds only when it changes nothing. */
    private void requireOwnIds(int uid, int gid) {
        if ((uid != -1 && uid != kernel.creds.uid()) || (gid != -1 && gid != kernel.creds.gid())) {
            throw new GuestError(Errno.EPERM);
        }
    }

    long fchown(GuestThread t, int fd, int uid, int gid) {
        changeableHost(t.process.fds.get(fd));
        requireOwnIds(uid, gid);
        return 0;
    }

    long fchownat(GuestThread t, int dirfd, long pathAddr, int uid, int gid, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) throw new GuestError(Errno.EINVAL);
        Target target = paths.target(t, dirfd, pathAddr, flags);
        if (target instanceof Synthetic(VNode.Descriptor d)) changeableHost(d.file());
        else if (target instanceof Host) paths.changeable(target);
        else throw new GuestError(Errno.EPERM);
        requireOwnIds(uid, gid);
        return 0;
    }

    /** A guest timestamp; ones beyond Instant's range (about ±10^9 years) keep whole seconds. */
    private static FileTime time(long sec, long nsec) {
        try {
            return FileTime.from(Instant.ofEpochSecond(sec, nsec));
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return FileTime.from(sec, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    long utimensat(GuestThread t, int dirfd, long pathAddr, long times, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) throw new GuestError(Errno.EINVAL);
        FileTime[] set = new FileTime[2];
        for (int i = 0; i < 2; i++) {
            long sec = times == 0 ? 0 : t.memory().readLong(times + 16L * i);
            long nsec = times == 0 ? UTIME_NOW : t.memory().readLong(times + 16L * i + 8);
            if (nsec == UTIME_OMIT) continue;
            if (nsec == UTIME_NOW) set[i] = FileTime.from(Instant.now());
            else if (nsec < 0 || nsec >= 1_000_000_000L) throw new GuestError(Errno.EINVAL);
            else set[i] = time(sec, nsec);
        }
        // A null path (futimens) means the descriptor itself.
        Target target = paths.target(t, dirfd, pathAddr, pathAddr == 0 ? flags | AT_EMPTY_PATH : flags);
        Path host = switch (target) {
            case Synthetic(VNode.Descriptor d) -> changeableHost(d.file());
            case Synthetic s -> null;
            case Host h -> paths.changeable(target).host();
        };
        if (host == null || (set[0] == null && set[1] == null)) return 0;
        try {
            Files.getFileAttributeView(host, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(set[1], set[0], null);
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
        return 0;
    }
}
