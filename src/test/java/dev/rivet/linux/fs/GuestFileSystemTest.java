package dev.rivet.linux.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rivet.linux.Errno;
import dev.rivet.linux.GuestError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestFileSystemTest {
    @TempDir Path tmp;

    /** Removes our symlinks first: JUnit's cleanup warns about every link pointing outside tmp. */
    @AfterEach
    void removeLinks() throws IOException {
        try (var walk = Files.walk(tmp)) {
            for (Path p : walk.filter(Files::isSymbolicLink).toList()) Files.delete(p);
        }
    }
    Path root, outside, data, inner, cfg;
    GuestFileSystem fs;

    /*
     * root/                          guest /
     *   etc/passwd
     *   home/user/notes
     *   file                         regular file
     *   mnt/data/hidden              shadowed by the mount at /mnt/data
     *   abs_etc -> /etc              absolute link: guest /etc, not the host's
     *   up -> ../../..               climbs to the guest root at most
     *   rel -> home/user
     *   loop1 -> loop2, loop2 -> loop1, self -> self
     *   dangling -> nowhere
     *   escape -> <host path of outside>
     *   datalink -> /mnt/data        into a read-only mount
     * outside/secret                 must never be reachable
     * data/ (ro at /mnt/data)        sub/f, back -> ../../etc, top -> /, dotdots -> ../../../../..
     * inner/ (rw at /mnt/data/inner)
     * cfg.txt (file at /config.txt, ro)
     */
    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/:/bin/sh\n");
        Files.createDirectories(root.resolve("home/user"));
        Files.writeString(root.resolve("home/user/notes"), "n");
        Files.writeString(root.resolve("file"), "f");
        Files.createDirectories(root.resolve("mnt/data"));
        Files.writeString(root.resolve("mnt/data/hidden"), "h");
        link(root.resolve("abs_etc"), "/etc");
        link(root.resolve("up"), "../../..");
        link(root.resolve("rel"), "home/user");
        link(root.resolve("loop1"), "loop2");
        link(root.resolve("loop2"), "loop1");
        link(root.resolve("self"), "self");
        link(root.resolve("dangling"), "nowhere");
        link(root.resolve("escape"), outside.toString());
        link(root.resolve("datalink"), "/mnt/data");

        data = Files.createDirectories(tmp.resolve("data"));
        Files.createDirectories(data.resolve("sub"));
        Files.writeString(data.resolve("sub/f"), "d");
        link(data.resolve("back"), "../../etc");
        link(data.resolve("top"), "/");
        link(data.resolve("dotdots"), "../../../../..");
        inner = Files.createDirectories(tmp.resolve("inner"));
        cfg = Files.writeString(tmp.resolve("cfg.txt"), "cfg");

        fs = new GuestFileSystem(root, List.of(new Mount(data, "/mnt/data", true),
                new Mount(inner, "/mnt/data/inner", false), new Mount(cfg, "/config.txt", true)));
        root = root.toRealPath();
        data = data.toRealPath();
        inner = inner.toRealPath();
        cfg = cfg.toRealPath();
        outside = outside.toRealPath();
    }

    static void link(Path at, String target) throws IOException {
        Files.createSymbolicLink(at, Path.of(target));
    }

    Resolved resolve(String path) {
        return fs.resolve("/", path, true);
    }

    static AbstractThrowableAssert<?, ?> assertErrno(Runnable r, int errno) {
        return assertThatThrownBy(r::run).isInstanceOf(GuestError.class)
                .matches(t -> ((GuestError) t).errno == errno, "errno " + errno);
    }

    @Test
    void rootAndPlainPaths() {
        Resolved r = resolve("/");
        assertThat(r.host()).isEqualTo(root);
        assertThat(r.guestPath()).isEqualTo("/");
        assertThat(r.mountPoint()).isEqualTo("/");
        assertThat(r.exists()).isTrue();
        assertThat(r.readOnly()).isFalse();

        r = resolve("//etc///passwd");
        assertThat(r.host()).isEqualTo(root.resolve("etc/passwd"));
        assertThat(r.guestPath()).isEqualTo("/etc/passwd");
        assertThat(resolve("/etc/./passwd").guestPath()).isEqualTo("/etc/passwd");
    }

    @Test
    void relativePathsStartAtCwd() {
        Resolved r = fs.resolve("/home/user", "notes", true);
        assertThat(r.host()).isEqualTo(root.resolve("home/user/notes"));
        assertThat(r.guestPath()).isEqualTo("/home/user/notes");
        assertThat(fs.resolve("/home/user", ".", true).guestPath()).isEqualTo("/home/user");
        // The dirfd form: same thing with the directory's guest path as cwd.
        assertThat(fs.resolve("/etc", "../home/user/notes", true).host()).isEqualTo(root.resolve("home/user/notes"));
    }

    @Test
    void dotDotStopsAtGuestRoot() {
        assertThat(fs.resolve("/home/user", "../../../../../..", true).host()).isEqualTo(root);
        assertThat(resolve("/../../etc/passwd").host()).isEqualTo(root.resolve("etc/passwd"));
        assertThat(fs.resolve("/home/user", "../../../../etc/../etc/passwd", true).guestPath())
                .isEqualTo("/etc/passwd");
    }

    @Test
    void absoluteSymlinkIsInterpretedInGuestNamespace() {
        Resolved r = resolve("/abs_etc/passwd");
        assertThat(r.host()).isEqualTo(root.resolve("etc/passwd"));
        assertThat(r.guestPath()).isEqualTo("/etc/passwd");
        assertThat(resolve("/abs_etc").guestPath()).isEqualTo("/etc");
    }

    @Test
    void relativeSymlinkClimbingPastRootStaysAtRoot() {
        assertThat(resolve("/up").host()).isEqualTo(root);
        assertThat(resolve("/up/up/up/etc/passwd").host()).isEqualTo(root.resolve("etc/passwd"));
        assertThat(fs.resolve("/home", "../rel/notes", true).guestPath()).isEqualTo("/home/user/notes");
    }

    @Test
    void symlinkToHostAbsolutePathDoesNotEscape() throws IOException {
        // The target names a host directory; in the guest that path does not exist.
        assertErrno(() -> resolve("/escape/secret"), Errno.ENOENT);
        assertErrno(() -> resolve("/escape"), Errno.ENOENT);
        assertThat(fs.resolve("/", "/escape", false).host()).isEqualTo(root.resolve("escape"));
        // Only a same-named path inside the root makes the link resolve, and then to that decoy.
        Path mirror = Files.createDirectories(root.resolve(outside.toString().substring(1)));
        Files.writeString(mirror.resolve("secret"), "decoy");
        assertThat(resolve("/escape/secret").host()).isEqualTo(mirror.resolve("secret"));
    }

    @Test
    void symlinkLoopsGiveEloop() {
        assertErrno(() -> resolve("/loop1"), Errno.ELOOP);
        assertErrno(() -> resolve("/self/x"), Errno.ELOOP);
        // Not following the final link: the loop is never entered.
        Resolved r = fs.resolve("/", "/loop1", false);
        assertThat(r.host()).isEqualTo(root.resolve("loop1"));
        assertThat(r.exists()).isTrue();
    }

    @Test
    void fortySymlinkFollowsAreAllowedButNotFortyOne() throws IOException {
        Files.createDirectories(root.resolve("chain"));
        Files.writeString(root.resolve("chain/end"), "e");
        link(root.resolve("chain/l0"), "end");
        for (int i = 1; i <= 40; i++) link(root.resolve("chain/l" + i), "l" + (i - 1));
        assertThat(resolve("/chain/l39").host()).isEqualTo(root.resolve("chain/end"));
        assertErrno(() -> resolve("/chain/l40"), Errno.ELOOP);
    }

    @Test
    void finalSymlinkFollowedOnlyWhenAsked() {
        Resolved link = fs.resolve("/", "/rel", false);
        assertThat(link.host()).isEqualTo(root.resolve("rel"));
        assertThat(link.guestPath()).isEqualTo("/rel");
        assertThat(fs.resolve("/", "/rel", true).guestPath()).isEqualTo("/home/user");
        // A trailing slash or a following component forces following, as in Linux.
        assertThat(fs.resolve("/", "/rel/", false).guestPath()).isEqualTo("/home/user");
        assertThat(fs.resolve("/", "/rel/.", false).guestPath()).isEqualTo("/home/user");
    }

    @Test
    void danglingSymlinkResolvesToItsMissingTarget() {
        // open(O_CREAT) through a dangling link creates the target, so this must not fail.
        Resolved r = resolve("/dangling");
        assertThat(r.exists()).isFalse();
        assertThat(r.host()).isEqualTo(root.resolve("nowhere"));
        assertThat(r.guestPath()).isEqualTo("/nowhere");
        assertErrno(() -> resolve("/dangling/x"), Errno.ENOENT);
    }

    @Test
    void missingComponents() {
        Resolved r = resolve("/etc/newfile");
        assertThat(r.exists()).isFalse();
        assertThat(r.trailingSlash()).isFalse();
        assertThat(r.host()).isEqualTo(root.resolve("etc/newfile"));
        assertThat(resolve("/etc/newdir/").trailingSlash()).isTrue();
        assertErrno(() -> resolve("/nodir/file"), Errno.ENOENT);
        assertErrno(() -> resolve("/nodir/.."), Errno.ENOENT);
        assertErrno(() -> resolve(""), Errno.ENOENT);
        assertThatThrownBy(() -> r.requireExists()).isInstanceOf(GuestError.class);
    }

    @Test
    void nonDirectoryUsedAsDirectory() {
        assertErrno(() -> resolve("/file/x"), Errno.ENOTDIR);
        assertErrno(() -> resolve("/file/"), Errno.ENOTDIR);
        assertErrno(() -> resolve("/file/."), Errno.ENOTDIR);
        assertErrno(() -> resolve("/file/.."), Errno.ENOTDIR);
        assertErrno(() -> resolve("/config.txt/x"), Errno.ENOTDIR);
    }

    @Test
    void nameTooLong() {
        String longName = "a".repeat(256);
        assertErrno(() -> resolve("/etc/" + longName), Errno.ENAMETOOLONG);
        assertThat(resolve("/etc/" + "a".repeat(255)).exists()).isFalse();
        // Multi-byte characters count as their UTF-8 bytes.
        assertErrno(() -> resolve("/etc/" + "é".repeat(128)), Errno.ENAMETOOLONG);
        String longPath = "/etc" + "/.".repeat(2046);
        assertThat(longPath.length()).isEqualTo(4096);
        assertErrno(() -> resolve(longPath), Errno.ENAMETOOLONG);
        assertThat(resolve(longPath.substring(1)).guestPath()).isEqualTo("/etc");
    }

    @Test
    void mountsAreFoundByLongestPrefixAndShadowTheUnderlyingTree() {
        Resolved r = resolve("/mnt/data/sub/f");
        assertThat(r.host()).isEqualTo(data.resolve("sub/f"));
        assertThat(r.readOnly()).isTrue();
        assertThat(r.mountPoint()).isEqualTo("/mnt/data");
        assertThat(resolve("/mnt/data").host()).isEqualTo(data);
        assertErrno(() -> resolve("/mnt/data/hidden/x"), Errno.ENOENT);
        assertThat(resolve("/mnt/data/hidden").exists()).isFalse();

        Resolved in = resolve("/mnt/data/inner/new");
        assertThat(in.host()).isEqualTo(inner.resolve("new"));
        assertThat(in.readOnly()).isFalse();
        assertThat(in.mountPoint()).isEqualTo("/mnt/data/inner");

        Resolved file = resolve("/config.txt");
        assertThat(file.host()).isEqualTo(cfg);
        assertThat(file.readOnly()).isTrue();
    }

    @Test
    void readOnlyEnforcementAndCrossMountChecks() {
        assertErrno(() -> resolve("/mnt/data/newfile").requireWritable(), Errno.EROFS);
        assertErrno(() -> resolve("/config.txt").requireWritable(), Errno.EROFS);
        Resolved writable = resolve("/etc/passwd");
        assertThat(writable.requireWritable()).isSameAs(writable);
        assertErrno(() -> writable.requireSameMount(resolve("/mnt/data/inner/x")), Errno.EXDEV);
        assertThat(writable.requireSameMount(resolve("/home/user"))).isSameAs(writable);

        GuestFileSystem roRoot = new GuestFileSystem(root, true, List.of());
        assertErrno(() -> roRoot.resolve("/etc/passwd", true).requireWritable(), Errno.EROFS);
    }

    @Test
    void dotDotOutOfMountGoesToGuestParent() {
        Resolved r = resolve("/mnt/data/..");
        assertThat(r.guestPath()).isEqualTo("/mnt");
        assertThat(r.host()).isEqualTo(root.resolve("mnt"));
        assertThat(fs.resolve("/mnt/data/sub", "../../../etc/passwd", true).host())
                .isEqualTo(root.resolve("etc/passwd"));
        assertThat(resolve("/mnt/data/inner/../sub").host()).isEqualTo(data.resolve("sub"));
    }

    @Test
    void symlinksInsideMountsUseGuestDirectories() {
        // On the host, data/../../etc is some unrelated directory; in the guest it is /etc.
        Resolved r = resolve("/mnt/data/back/passwd");
        assertThat(r.host()).isEqualTo(root.resolve("etc/passwd"));
        assertThat(r.readOnly()).isFalse();
        assertThat(resolve("/mnt/data/top").host()).isEqualTo(root);
        assertThat(resolve("/mnt/data/dotdots/etc").host()).isEqualTo(root.resolve("etc"));
    }

    @Test
    void symlinkIntoMount() {
        Resolved r = resolve("/datalink/sub/f");
        assertThat(r.host()).isEqualTo(data.resolve("sub/f"));
        assertThat(r.guestPath()).isEqualTo("/mnt/data/sub/f");
        assertThat(r.readOnly()).isTrue();
    }

    @Test
    void mountPointNeedNotExistInUnderlyingTree() throws IOException {
        GuestFileSystem f = new GuestFileSystem(root, List.of(Mount.parse(data + ":/work")));
        assertThat(f.resolve("/work/sub/f", true).host()).isEqualTo(data.resolve("sub/f"));
        assertThat(f.resolve("/work/sub/f", true).readOnly()).isFalse();
    }

    @Test
    void mountParsing() {
        assertThat(Mount.parse("/h/dir:/g/dir")).isEqualTo(new Mount(Path.of("/h/dir"), "/g/dir", false));
        assertThat(Mount.parse("/h/dir:/g/dir:ro")).isEqualTo(new Mount(Path.of("/h/dir"), "/g/dir", true));
        assertThat(Mount.parse("/h:x/dir:/g/../g/dir/:rw")).isEqualTo(new Mount(Path.of("/h:x/dir"), "/g/dir", false));
        assertThatThrownBy(() -> Mount.parse("/h/dir")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mount.parse("/h/dir:relative")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GuestFileSystem(root, List.of(Mount.parse(tmp.resolve("missing") + ":/x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GuestFileSystem(root,
                List.of(Mount.parse(data + ":/x"), Mount.parse(inner + ":/x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Random walks over every trick in the fixture: whatever resolves must lie inside the root or a
     * mount on the host, judged by the host's own view of the path (toRealPath of the parent).
     */
    @Test
    void randomPathsNeverEscape() throws IOException {
        String[] parts = {"..", ".", "", "up", "abs_etc", "escape", "mnt", "data", "back", "top", "dotdots",
                "rel", "datalink", "loop1", "etc", "inner", "config.txt", "sub", "file", "home", "user", "nope"};
        String[] cwds = {"/", "/home/user", "/mnt/data/sub", "/mnt/data/inner", "/etc"};
        List<Path> allowed = List.of(root, data, inner, cfg);
        Random rnd = new Random(42);
        int resolvedCount = 0;
        for (int n = 0; n < 20000; n++) {
            StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "/" : "");
            int len = 1 + rnd.nextInt(8);
            for (int i = 0; i < len; i++) sb.append(i > 0 ? "/" : "").append(parts[rnd.nextInt(parts.length)]);
            Resolved r;
            try {
                r = fs.resolve(cwds[rnd.nextInt(cwds.length)], sb.toString(), rnd.nextBoolean());
            } catch (GuestError e) {
                assertThat(e.errno).isIn(Errno.ENOENT, Errno.ENOTDIR, Errno.ELOOP);
                continue;
            }
            resolvedCount++;
            Path host = r.host();
            Path realFinal = Files.exists(host, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(host)
                    ? host.toRealPath() : host.getParent().toRealPath().resolve(host.getFileName());
            assertThat(allowed).as("%s -> %s", sb, host).anyMatch(realFinal::startsWith);
            assertThat(realFinal.startsWith(outside)).as("%s -> %s", sb, host).isFalse();
            assertThat(r.guestPath()).startsWith("/").doesNotContain("/../", "/./", "//");
        }
        assertThat(resolvedCount).isGreaterThan(1000);
    }
}
