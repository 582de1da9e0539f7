package dev.rivet.linux.fs;

import dev.rivet.linux.Errno;
import dev.rivet.linux.GuestError;
import java.nio.file.Path;

/**
 * The outcome of {@link GuestFileSystem#resolve}: where a guest path lives on the host.
 *
 * <p>Every symlink on the way, including the final component when following was requested, has
 * already been resolved in the guest namespace. Callers must therefore open or stat {@link #host}
 * with {@link java.nio.file.LinkOption#NOFOLLOW_LINKS} (or O_NOFOLLOW): letting the host follow a
 * link there would interpret its target in the host namespace and could leave the sandbox. If the
 * final component is a symlink, it is one the caller asked not to follow (lstat, readlink, unlink).
 *
 * @param host          host path of the final component (may not exist, see {@link #exists})
 * @param guestPath     canonical absolute guest path of the final component
 * @param readOnly      the final component lies in a read-only mount
 * @param mountPoint    guest path of the mount holding the final component ({@code /} for the root);
 *                      two paths with different mount points are on different "devices" (EXDEV)
 * @param exists        whether the final component existed at lookup time; a missing final
 *                      component is allowed so that O_CREAT, mkdir, symlink etc. can create it
 * @param trailingSlash the path ended in a slash: a missing final component may then only be
 *                      created as a directory
 */
public record Resolved(Path host, String guestPath, boolean readOnly, String mountPoint, boolean exists,
        boolean trailingSlash) {

    /** Throws EROFS if the final component is in a read-only mount; returns {@code this} for chaining. */
    public Resolved requireWritable() {
        if (readOnly) throw new GuestError(Errno.EROFS);
        return this;
    }

    /** Throws ENOENT unless the final component exists; returns {@code this} for chaining. */
    public Resolved requireExists() {
        if (!exists) throw new GuestError(Errno.ENOENT);
        return this;
    }

    /** Throws EXDEV unless {@code other} is in the same mount (rename and link cannot cross mounts). */
    public Resolved requireSameMount(Resolved other) {
        if (!mountPoint.equals(other.mountPoint)) throw new GuestError(Errno.EXDEV);
        return this;
    }
}
