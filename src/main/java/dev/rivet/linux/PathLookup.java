package dev.rivet.linux;

import dev.rivet.linux.fs.GuestFileSystem;
import dev.rivet.linux.fs.GuestPaths;
import dev.rivet.linux.fs.Resolved;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Path lookup for the *at system calls: picks the starting directory (AT_FDCWD or a directory
 * descriptor), then finds what the path names, either a synthetic node of {@code /dev} or
 * {@code /proc} or a file of the sandboxed root. Every host path comes from
 * {@link GuestFileSystem#resolve}, so nothing outside the root and mounts can be named.
 */
final class PathLookup {
    static final int AT_FDCWD = -100;

    /** What a guest path names. */
    sealed interface Target {}

    /** A file (or the place for a new one) in the root or a mount. */
    record Host(Resolved resolved) implements Target {}

    /** A node of the synthetic trees, or an open file reached through AT_EMPTY_PATH or /proc/PID/fd. */
    record Synthetic(VNode node) implements Target {}

    private final GuestFileSystem fs;
    private final VirtualFs virtual;

    PathLookup(Kernel kernel) {
        this.fs = kernel.fs;
        this.virtual = new VirtualFs(kernel);
    }

    /** The guest directory relative paths start from: the cwd, or the directory {@code dirfd} refers to. */
    String directory(GuestThread t, int dirfd) {
        if (dirfd == AT_FDCWD) return t.process.cwd;
        OpenFile f = t.process.fds.get(dirfd);
        if (!isDirectory(f)) throw new GuestError(Errno.ENOTDIR);
        return f.guestPath();
    }

    static boolean isDirectory(OpenFile f) {
        return f instanceof DirectoryFile || (f instanceof PathFile p && p.isDirectory());
    }

    /**
     * Resolves {@code path} relative to {@code dirfd}.
     *
     * @param follow whether a final symlink is followed
     */
    Target resolve(GuestThread t, int dirfd, String path, boolean follow) {
        if (path.isEmpty()) throw new GuestError(Errno.ENOENT);
        String base = path.startsWith("/") ? "/" : directory(t, dirfd);
        for (int hops = 0; hops <= GuestFileSystem.MAX_SYMLINK_FOLLOWS; hops++) {
            boolean trailingSlash = path.endsWith("/");
            String canonical = GuestPaths.canonicalize(base + "/" + path);
            if (VirtualFs.mayBeSynthetic(canonical)) {
                VirtualFs.Result v = virtual.lookup(t, VirtualFs.components(canonical), follow || trailingSlash);
                if (v instanceof VirtualFs.Found found) return new Synthetic(found.node());
                if (v instanceof VirtualFs.Redirect redirect) {
                    base = "/";
                    path = redirect.path() + (trailingSlash ? "/" : "");
                    continue;
                }
            }
            String redirect;
            try {
                Resolved r = fs.resolve(base, path, follow);
                // A dangling final link may point into /dev or /proc: continue there.
                if (r.exists() || !VirtualFs.mayBeSynthetic(r.guestPath()) || r.guestPath().equals(canonical)) {
                    return new Host(r);
                }
                redirect = r.guestPath();
            } catch (GuestError e) {
                if (e.errno != Errno.ENOENT) throw e;
                redirect = syntheticLinkTarget(base, path, follow);
                if (redirect == null) throw e;
            }
            base = "/";
            path = redirect;
        }
        throw new GuestError(Errno.ELOOP);
    }

    /**
     * When lookup in the root failed, finds a symlink on the way whose target lies in the synthetic
     * trees (e.g. a guest-made {@code out -> /dev/null}) and returns the path to continue with.
     */
    private String syntheticLinkTarget(String base, String path, boolean followFinal) {
        List<String> parts = GuestPaths.split(path);
        String prefix = path.startsWith("/") ? "" : ".";
        for (int k = 0; k < parts.size(); k++) {
            prefix = prefix + "/" + parts.get(k);
            if (k == parts.size() - 1 && !followFinal) return null;
            Resolved r;
            try {
                r = fs.resolve(base, path.startsWith("/") ? prefix : prefix.substring(2), false);
            } catch (GuestError e) {
                return null;
            }
            if (!r.exists()) return null;
            if (!Files.isSymbolicLink(r.host())) continue;
            String target;
            try {
                target = Files.readSymbolicLink(r.host()).toString();
            } catch (IOException e) {
                return null;
            }
            String absolute = GuestPaths.canonicalize(
                    target.startsWith("/") ? target : GuestPaths.parent(r.guestPath()) + "/" + target);
            if (!VirtualFs.mayBeSynthetic(absolute)) continue;
            List<String> rest = parts.subList(k + 1, parts.size());
            return rest.isEmpty() ? absolute : absolute + "/" + String.join("/", rest);
        }
        return null;
    }
}
