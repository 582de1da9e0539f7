package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.linux.Errno;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 9P2000.L server answering hand-made messages, as a hostile client could send them: no walk,
 * name, link or rename reaches outside the shared directory.
 */
class P9ServerTest {
    @TempDir
    Path dir;
    Path share, outside;
    P9Server server;
    int tag;

    @BeforeEach
    void setUp() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "SECRET");
        Files.createDirectories(share.resolve("sub"));
        Files.writeString(share.resolve("sub/inner.txt"), "inner");
        Files.createSymbolicLink(share.resolve("abs-link"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(share.resolve("dir-link"), outside);
        Files.createSymbolicLink(share.resolve("sub/up"), Path.of("../../outside"));
        server = new P9Server(share, false);
        P9Buffer v = ok(P9Server.TVERSION, b -> b.w32(65536).wstr("9P2000.L"));
        assertThat(v.u32()).isEqualTo(65536);
        assertThat(v.str()).isEqualTo("9P2000.L");
        ok(P9Server.TATTACH, b -> b.w32(0).w32(-1).wstr("root").wstr("").w32(0));
    }

    /** Sends one T-message; returns a reader positioned after the reply header. */
    P9Buffer call(int type, Consumer<P9Buffer> body) {
        P9Buffer m = new P9Buffer().w32(0).w8(type).w16(++tag);
        body.accept(m);
        P9Buffer r = new P9Buffer(server.handle(m.finish(), 1 << 20));
        r.u32();
        r.u8();
        assertThat(r.u16()).isEqualTo(tag);
        r.position(4);
        return r;
    }

    /** The reply must not be Rlerror; reader after the header. */
    P9Buffer ok(int type, Consumer<P9Buffer> body) {
        P9Buffer r = call(type, body);
        int rtype = r.u8();
        r.u16();
        if (rtype == P9Server.TLERROR + 1) throw new AssertionError("Rlerror " + r.u32() + " for type " + type);
        assertThat(rtype).isEqualTo(type + 1);
        return r;
    }

    /** The reply must be Rlerror; returns the errno. */
    int error(int type, Consumer<P9Buffer> body) {
        P9Buffer r = call(type, body);
        assertThat(r.u8()).as("Rlerror expected").isEqualTo(P9Server.TLERROR + 1);
        r.u16();
        return r.u32();
    }

    static Consumer<P9Buffer> walk(int fid, int newfid, String... names) {
        return b -> {
            b.w32(fid).w32(newfid).w16(names.length);
            for (String n : names) b.wstr(n);
        };
    }

    /** Qid types of a successful (possibly partial) walk. */
    List<Integer> walkTypes(int fid, int newfid, String... names) {
        P9Buffer r = ok(P9Server.TWALK, walk(fid, newfid, names));
        int n = r.u16();
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            types.add(r.u8());
            r.u32();
            r.u64();
        }
        return types;
    }

    long qidPath(int fid) {
        P9Buffer r = ok(P9Server.TGETATTR, b -> b.w32(fid).w64(0x7ff));
        r.u64();
        r.u8();
        r.u32();
        return r.u64();
    }

    @Test
    void dotDotNeverLeavesTheRoot() {
        walkTypes(0, 1, "..", "..", "..");
        assertThat(qidPath(1)).isEqualTo(qidPath(0));
        walkTypes(0, 2, "sub", "..", "..");
        assertThat(qidPath(2)).isEqualTo(qidPath(0));
    }

    @Test
    void namesWithSlashesOrDotsAreRefused() {
        assertThat(error(P9Server.TWALK, walk(0, 1, "../outside"))).isEqualTo(Errno.EINVAL);
        assertThat(error(P9Server.TWALK, walk(0, 1, "sub/inner.txt"))).isEqualTo(Errno.EINVAL);
        assertThat(error(P9Server.TWALK, walk(0, 1, "."))).isEqualTo(Errno.EINVAL);
        assertThat(error(P9Server.TLCREATE, b -> b.w32(0).wstr("../evil").w32(0101).w32(0644).w32(0))).isEqualTo(Errno.EINVAL);
        assertThat(error(P9Server.TMKDIR, b -> b.w32(0).wstr("..").w32(0755).w32(0))).isEqualTo(Errno.EINVAL);
        assertThat(error(P9Server.TRENAMEAT, b -> b.w32(0).wstr("sub").w32(0).wstr("../moved"))).isEqualTo(Errno.EINVAL);
        assertThat(dir.resolve("evil")).doesNotExist();
        assertThat(dir.resolve("moved")).doesNotExist();
    }

    @Test
    void linksAreLinksAndAreNeverFollowedOnTheHost() throws Exception {
        assertThat(walkTypes(0, 1, "abs-link")).containsExactly(P9Server.QTSYMLINK);
        assertThat(error(P9Server.TLOPEN, b -> b.w32(1).w32(0))).isEqualTo(Errno.ELOOP);
        assertThat(ok(P9Server.TREADLINK, b -> b.w32(1)).str()).isEqualTo(outside.resolve("secret.txt").toString());
        // Walking through links resolves them inside the share, where there is no such file.
        // (A partial walk: the link itself is found, nothing behind it, and newfid is not made.)
        assertThat(walkTypes(0, 2, "dir-link", "secret.txt")).containsExactly(P9Server.QTSYMLINK);
        assertThat(error(P9Server.TGETATTR, b -> b.w32(2).w64(0x7ff))).isEqualTo(Errno.EBADF);
        List<Integer> partial = walkTypes(0, 2, "sub", "up", "secret.txt");
        assertThat(partial).hasSizeLessThan(3);
        // Creating, truncating or chmod-ing through a link does not touch its target.
        assertThat(error(P9Server.TLCREATE, b -> b.w32(0).wstr("abs-link").w32(01 | 0100 | 01000).w32(0644).w32(0)))
                .isEqualTo(Errno.ELOOP);
        ok(P9Server.TSETATTR, b -> b.w32(1).w32(P9Files.A_MODE).w32(0777).w32(0).w32(0).w64(0).w64(0).w64(0).w64(0).w64(0));
        assertThat(error(P9Server.TSETATTR, b -> b.w32(1).w32(P9Files.A_SIZE).w32(0).w32(0).w32(0).w64(0).w64(0).w64(0).w64(0).w64(0)))
                .isEqualTo(Errno.EINVAL);
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("SECRET");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside.resolve("secret.txt")))).isNotEqualTo("rwxrwxrwx");
        // A hard link made from a link fid links the link itself.
        ok(P9Server.TLINK, b -> b.w32(0).w32(1).wstr("hard"));
        assertThat(Files.isSymbolicLink(share.resolve("hard"))).isTrue();
        // Removing a link removes the link.
        ok(P9Server.TUNLINKAT, b -> b.w32(0).wstr("dir-link").w32(0));
        assertThat(outside.resolve("secret.txt")).exists();
    }

    @Test
    void aDirectorySwappedForALinkIsNotFollowed() throws Exception {
        walkTypes(0, 1, "sub", "inner.txt");
        // The guest moves sub away and puts a link to the outside where it was.
        ok(P9Server.TRENAMEAT, b -> b.w32(0).wstr("sub").w32(0).wstr("sub2"));
        ok(P9Server.TSYMLINK, b -> b.w32(0).wstr("sub").wstr(outside.toString()).w32(0));
        walkTypes(0, 3, "sub");
        // fid 1 followed the rename; a fresh walk through the new link finds nothing outside.
        P9Buffer r = ok(P9Server.TLOPEN, b -> b.w32(1).w32(0));
        P9Buffer data = ok(P9Server.TREAD, b -> b.w32(1).w64(0).w32(100));
        assertThat(new String(data.array(), data.position() + 4, data.u32(), StandardCharsets.UTF_8)).isEqualTo("inner");
        assertThat(walkTypes(0, 4, "sub", "secret.txt")).containsExactly(P9Server.QTSYMLINK);
        assertThat(error(P9Server.TLOPEN, b -> b.w32(4).w32(0))).isEqualTo(Errno.EBADF);
    }

    @Test
    void filesAndDirectoriesRoundTrip() throws Exception {
        walkTypes(0, 1);
        ok(P9Server.TLCREATE, b -> b.w32(1).wstr("new.txt").w32(2 | 0100).w32(0640).w32(0));
        byte[] payload = "hello over 9p".getBytes(StandardCharsets.UTF_8);
        assertThat(ok(P9Server.TWRITE, b -> b.w32(1).w64(0).w32(payload.length).wbytes(payload, 0, payload.length)).u32())
                .isEqualTo(payload.length);
        ok(P9Server.TCLUNK, b -> b.w32(1));
        assertThat(Files.readString(share.resolve("new.txt"))).isEqualTo("hello over 9p");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(share.resolve("new.txt")))).isEqualTo("rw-r-----");
        ok(P9Server.TMKDIR, b -> b.w32(0).wstr("d").w32(0700).w32(0));
        assertThat(Files.isDirectory(share.resolve("d"))).isTrue();
        walkTypes(0, 2);
        ok(P9Server.TLOPEN, b -> b.w32(2).w32(0));
        P9Buffer r = ok(P9Server.TREADDIR, b -> b.w32(2).w64(0).w32(8192));
        int count = r.u32();
        List<String> names = new ArrayList<>();
        int end = r.position() + count;
        while (r.position() < end) {
            r.u8();
            r.u32();
            r.u64();
            r.u64();
            r.u8();
            names.add(r.str());
        }
        assertThat(names).containsExactly(".", "..", "abs-link", "d", "dir-link", "new.txt", "sub");
        assertThat(error(P9Server.TMKNOD, b -> b.w32(0).wstr("dev").w32(020644).w32(8).w32(0).w32(0))).isEqualTo(Errno.EOPNOTSUPP);
        assertThat(error(P9Server.TUNLINKAT, b -> b.w32(0).wstr("d").w32(0))).isEqualTo(Errno.EISDIR);
        ok(P9Server.TUNLINKAT, b -> b.w32(0).wstr("d").w32(P9Files.AT_REMOVEDIR));
        assertThat(share.resolve("d")).doesNotExist();
    }

    @Test
    void readOnlySharesRefuseChanges() throws Exception {
        server = new P9Server(share, true);
        call(P9Server.TVERSION, b -> b.w32(8192).wstr("9P2000.L"));
        ok(P9Server.TATTACH, b -> b.w32(0).w32(-1).wstr("root").wstr("").w32(0));
        assertThat(error(P9Server.TLCREATE, b -> b.w32(0).wstr("x").w32(0101).w32(0644).w32(0))).isEqualTo(Errno.EROFS);
        walkTypes(0, 1, "sub", "inner.txt");
        assertThat(error(P9Server.TLOPEN, b -> b.w32(1).w32(2))).isEqualTo(Errno.EROFS);
        ok(P9Server.TLOPEN, b -> b.w32(1).w32(0));
        assertThat(error(P9Server.TUNLINKAT, b -> b.w32(0).wstr("abs-link").w32(0))).isEqualTo(Errno.EROFS);
        assertThat(share.resolve("abs-link")).exists();
    }
}
