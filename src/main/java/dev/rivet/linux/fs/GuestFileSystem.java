package dev.rivet.linux.fs;

import dev.rivet.linux.Errno;
import dev.rivet.linux.GuestError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The guest's view of the file system: a host root directory plus mounts of host directories or
 * files at guest paths, with Linux path-lookup semantics evaluated entirely in the guest namespace.
 *
 * <p>Lookup walks a path one component at a time over <em>guest</em> paths, and only maps the guest
 * path reached so far to a host path (by longest mount prefix) to inspect that single component.
 * Hence {@code ..} is the guest parent (at the guest root it stays there, out of a mount it goes to
 * the guest directory holding the mount), and a symlink's target is re-read as a guest path: an
 * absolute target starts again at the guest root, a relative one continues from the link's guest
 * directory. The host never follows a symlink during lookup, so no sequence of {@code ..} or links
 * can name anything outside the root and the mounts.
 *
 * <p>Limitation: the check-then-use pattern is racy against concurrent renames (a directory swapped
 * for a symlink between lookup and open). Closing that needs openat2(RESOLVE_BENEATH)-style host
 * support, which the JDK does not expose. Hard links inside the root to outside files are likewise
 * the host administrator's concern.
 *
 * <p>Guest paths are Java strings; the syscall layer decodes guest bytes as UTF-8, and length limits
 * are checked on the UTF-8 form. Instances are immutable and thread-safe.
 */
public final class GuestFileSystem {
    /** Linux MAXSYMLINKS: total symlinks one lookup may follow before ELOOP. */
    public static final int MAX_SYMLINK_FOLLOWS = 40;

    /** All mounts including the root (guest {@code /}), longest guest path first. */
    private final List<Mount> mounts;
    private final List<List<String>> mountComponents;

    /** A writable root and the given mounts. */
    public GuestFileSystem(Path root, List<Mount> mounts) {
        this(root, false, mounts);
    }

    /**
     * @param root         host directory shown as the guest {@code /}
     * @param rootReadOnly whether the root itself is read-only
     * @param mounts       further mounts; their host paths must exist, guest paths must be distinct
     * @throws IllegalArgumentException for a missing host path, a root that is not a directory, or
     *                                  two mounts at the same guest path
     */
    public GuestFileSystem(Path root, boolean rootReadOnly, List<Mount> mounts) {
        List<Mount> all = new ArrayList<>();
        Path realRoot = realPath(root);
        if (!Files.isDirectory(realRoot)) throw new IllegalArgumentException("root is not a directory: " + root);
        all.add(new Mount(realRoot, "/", rootReadOnly));
        Set<String> seen = new HashSet<>(Set.of("/"));
        for (Mount m : mounts) {
            if (!seen.add(m.guest())) throw new IllegalArgumentException("two mounts at guest path " + m.guest());
            // Canonicalizing once here means a mount's host path never contains a host symlink.
            all.add(new Mount(realPath(m.host()), m.guest(), m.readOnly()));
        }
        // Deepest guest path first. (Not Comparator.comparingInt: the lambdas of the JDK's own
        // comparators are made at run time, a few milliseconds of every start; the start-up cache
        // holds Rivet's.)
        all.sort((a, b) -> Integer.compare(b.guestComponents().size(), a.guestComponents().size()));
        this.mounts = List.copyOf(all);
        this.mountComponents = this.mounts.stream().map(Mount::guestComponents).toList();
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("host path not accessible: " + p + " (" + e + ")", e);
        }
    }

    /** All mounts with canonical host paths, the root included: longest guest path first, root last. */
    public List<Mount> mounts() {
        return mounts;
    }

    /**
     * Looks up {@code guestPath} like Linux path resolution.
     *
     * <p>For the *at() system calls pass the directory file descriptor's guest path as
     * {@code cwdGuestPath}; for AT_FDCWD pass the process's working directory. That path must be
     * canonical (as produced by an earlier resolution); it is only canonicalized lexically.
     *
     * <p>The returned host path has every symlink already resolved in the guest namespace; see
     * {@link Resolved} for why it must be opened with NOFOLLOW_LINKS.
     *
     * @param cwdGuestPath       guest directory relative paths start from (ignored for absolute ones)
     * @param guestPath          the path the guest passed
     * @param followFinalSymlink whether a symlink as last component is followed (stat vs lstat,
     *                           O_NOFOLLOW, AT_SYMLINK_NOFOLLOW); a trailing slash forces following
     * @throws GuestError ENOENT (empty path, missing or dangling intermediate component), ENOTDIR
     *                    (a non-directory used as a directory), ELOOP (more than
     *                    {@value #MAX_SYMLINK_FOLLOWS} links), ENAMETOOLONG (path or component too
     *                    long), EACCES (host refused to search a directory) and other host errors
     */
    public Resolved resolve(String cwdGuestPath, String guestPath, boolean followFinalSymlink) {
        Objects.requireNonNull(cwdGuestPath);
        if (guestPath.isEmpty()) throw new GuestError(Errno.ENOENT);
        if (GuestPaths.byteLength(guestPath) >= GuestPaths.PATH_MAX) throw new GuestError(Errno.ENAMETOOLONG);

        // The canonical guest path reached so far; every element is a real directory, never a link,
        // which is what makes a lexical ".." on it correct.
        List<String> current = guestPath.startsWith("/")
                ? new ArrayList<>() : GuestPaths.canonicalComponents(cwdGuestPath);
        ArrayDeque<String> pending = new ArrayDeque<>(GuestPaths.split(guestPath));
        boolean trailingSlash = guestPath.endsWith("/");
        boolean exists = true;
        int follows = 0;

        while (!pending.isEmpty()) {
            String name = pending.pollFirst();
            if (name.equals(".")) continue;
            if (name.equals("..")) {
                if (!current.isEmpty()) current.removeLast();
                continue;
            }
            if (GuestPaths.byteLength(name) > GuestPaths.NAME_MAX) throw new GuestError(Errno.ENAMETOOLONG);
            // "Last" means nothing follows, not even "." or "..": Linux treats "file/." as ENOTDIR
            // and follows "link/." like an intermediate component.
            boolean last = pending.isEmpty();
            current.add(name);
            Path host = hostPath(current);
            BasicFileAttributes attrs = attributes(host);
            if (attrs == null) {
                if (!last) throw new GuestError(Errno.ENOENT);
                exists = false;
                break;
            }
            if (attrs.isSymbolicLink() && (!last || followFinalSymlink || trailingSlash)) {
                if (++follows > MAX_SYMLINK_FOLLOWS) throw new GuestError(Errno.ELOOP);
                // The JDK drops a trailing slash from link targets, so "link -> file/" is not ENOTDIR
                // here as it is on Linux; harmless for sandboxing.
                String target = readLink(host);
                if (target.isEmpty()) throw new GuestError(Errno.ENOENT);
                current.removeLast();
                if (target.startsWith("/")) current.clear();
                List<String> parts = GuestPaths.split(target);
                for (int i = parts.size() - 1; i >= 0; i--) pending.addFirst(parts.get(i));
                continue;
            }
            if (!attrs.isDirectory() && (!last || trailingSlash)) throw new GuestError(Errno.ENOTDIR);
        }

        Mount mount = mountOf(current);
        return new Resolved(hostPath(current), GuestPaths.join(current), mount.readOnly(), mount.guest(), exists,
                trailingSlash);
    }

    /** {@link #resolve} for an absolute path, or a relative one taken from the guest root. */
    public Resolved resolve(String guestPath, boolean followFinalSymlink) {
        return resolve("/", guestPath, followFinalSymlink);
    }

    /**
     * The host path of an already canonical guest path, without any lookup. For re-deriving the
     * location of something resolved before (a directory's parent when listing "..").
     */
    public Path hostPathOf(String canonicalGuestPath) {
        return hostPath(GuestPaths.canonicalComponents(canonicalGuestPath));
    }

    /**
     * Mounts whose guest path is a direct child of {@code canonicalGuestDir}, so directory listings
     * can show mount points even where the underlying directory has no such entry.
     */
    public List<Mount> mountsDirectlyUnder(String canonicalGuestDir) {
        List<String> dir = GuestPaths.canonicalComponents(canonicalGuestDir);
        List<Mount> out = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            List<String> mc = mountComponents.get(i);
            if (mc.size() == dir.size() + 1 && mc.subList(0, dir.size()).equals(dir)) out.add(mounts.get(i));
        }
        return out;
    }

    private Mount mountOf(List<String> components) {
        return mounts.get(mountIndex(components));
    }

    private int mountIndex(List<String> components) {
        // Sorted longest first, so the first prefix match is the longest; the root always matches.
        for (int i = 0; i < mounts.size(); i++) {
            List<String> mc = mountComponents.get(i);
            if (mc.size() <= components.size() && components.subList(0, mc.size()).equals(mc)) return i;
        }
        throw new IllegalStateException("root mount missing");
    }

    private Path hostPath(List<String> components) {
        int i = mountIndex(components);
        Path p = mounts.get(i).host();
        // Components are plain names (never "", "." or ".." and free of '/'), so resolve() cannot
        // climb out of the mount's host directory.
        for (String c : components.subList(mountComponents.get(i).size(), components.size())) {
            try {
                p = p.resolve(c);
            } catch (InvalidPathException e) {
                throw new GuestError(Errno.ENOENT);
            }
        }
        return p;
    }

    /** Attributes of {@code host} itself (never following a link), or null if it does not exist. */
    private static BasicFileAttributes attributes(Path host) {
        try {
            return Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
    }

    private static String readLink(Path host) {
        try {
            return Files.readSymbolicLink(host).toString();
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
    }
}
