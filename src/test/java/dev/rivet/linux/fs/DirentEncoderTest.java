package dev.rivet.linux.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rivet.linux.Errno;
import dev.rivet.linux.GuestError;
import dev.rivet.linux.fs.DirentEncoder.Batch;
import dev.rivet.linux.fs.DirentEncoder.Entry;
import dev.rivet.mem.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirentEncoderTest {
    @TempDir Path tmp;

    /** Removes our symlinks first: JUnit's cleanup warns about every link pointing outside tmp. */
    @AfterEach
    void removeLinks() throws IOException {
        try (var walk = Files.walk(tmp)) {
            for (Path p : walk.filter(Files::isSymbolicLink).toList()) Files.delete(p);
        }
    }

    /** Decodes records back, checking the invariants every record must satisfy. */
    static List<Entry> decode(byte[] b, List<Long> offs) {
        List<Entry> out = new ArrayList<>();
        int off = 0;
        while (off < b.length) {
            int reclen = Bytes.u16(b, off + 16);
            assertThat(reclen % 8).isZero();
            int nul = off + 19;
            while (b[nul] != 0) nul++;
            assertThat(nul).isLessThan(off + reclen);
            for (int i = nul; i < off + reclen; i++) assertThat(b[i]).as("padding").isZero();
            out.add(new Entry(new String(b, off + 19, nul - off - 19, StandardCharsets.UTF_8), Bytes.i64(b, off),
                    Bytes.u8(b, off + 18)));
            offs.add(Bytes.i64(b, off + 8));
            off += reclen;
        }
        return out;
    }

    @Test
    void recordLayoutFieldByField() {
        List<Entry> entries = List.of(new Entry("a", 0x0102030405060708L, DirentEncoder.DT_REG),
                new Entry("hello", 77, DirentEncoder.DT_DIR), new Entry("x".repeat(5), 78, DirentEncoder.DT_LNK));
        Batch batch = DirentEncoder.encode(entries, 0, 4096);
        byte[] b = batch.bytes();
        // "a": 19 + 1 + 1 = 21 -> 24; "hello": 19 + 5 + 1 = 25 -> 32.
        assertThat(b).hasSize(24 + 32 + 32);
        assertThat(Bytes.i64(b, 0)).as("d_ino").isEqualTo(0x0102030405060708L);
        assertThat(Bytes.i64(b, 8)).as("d_off").isEqualTo(1);
        assertThat(Bytes.u16(b, 16)).as("d_reclen").isEqualTo(24);
        assertThat(Bytes.u8(b, 18)).as("d_type").isEqualTo(8);
        assertThat(b[19]).isEqualTo((byte) 'a');
        assertThat(b[20]).as("NUL").isZero();
        assertThat(Bytes.i64(b, 24)).isEqualTo(77);
        assertThat(Bytes.i64(b, 32)).isEqualTo(2);
        assertThat(Bytes.u16(b, 40)).isEqualTo(32);
        assertThat(Bytes.u8(b, 42)).isEqualTo(4);
        assertThat(new String(b, 43, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(Bytes.u8(b, 56 + 18)).isEqualTo(10);
        assertThat(batch.nextPosition()).isEqualTo(3);
        assertThat(DirentEncoder.encode(entries, 3, 4096).bytes()).isEmpty();
    }

    @Test
    void resumesAcrossSmallBuffers() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) entries.add(new Entry("entry-" + i, i + 1, DirentEncoder.DT_REG));
        List<Entry> seen = new ArrayList<>();
        List<Long> offs = new ArrayList<>();
        int pos = 0, calls = 0;
        while (true) {
            Batch batch = DirentEncoder.encode(entries, pos, 100);
            assertThat(batch.bytes().length).isLessThanOrEqualTo(100);
            if (batch.bytes().length == 0) break;
            seen.addAll(decode(batch.bytes(), offs));
            pos = batch.nextPosition();
            calls++;
        }
        assertThat(seen).isEqualTo(entries);
        assertThat(calls).isGreaterThan(10);
        for (int i = 0; i < offs.size(); i++) assertThat(offs.get(i)).isEqualTo(i + 1);
        // d_off is a seek cookie: restarting from one gives the entry after it.
        assertThat(decode(DirentEncoder.encode(entries, 17, 40).bytes(), new ArrayList<>()))
                .containsExactly(entries.get(17));
    }

    @Test
    void bufferTooSmallForOneRecordIsEinval() {
        List<Entry> entries = List.of(new Entry("abcdef", 1, DirentEncoder.DT_REG));
        assertThatThrownBy(() -> DirentEncoder.encode(entries, 0, 31))
                .isInstanceOfSatisfying(GuestError.class, e -> assertThat(e.errno).isEqualTo(Errno.EINVAL));
        assertThat(DirentEncoder.encode(entries, 0, 32).bytes()).hasSize(32);
    }

    @Test
    void dtypeFromMode() {
        assertThat(DirentEncoder.dtype(FileStat.S_IFREG | 0644)).isEqualTo(DirentEncoder.DT_REG);
        assertThat(DirentEncoder.dtype(FileStat.S_IFDIR)).isEqualTo(DirentEncoder.DT_DIR);
        assertThat(DirentEncoder.dtype(FileStat.S_IFLNK)).isEqualTo(DirentEncoder.DT_LNK);
        assertThat(DirentEncoder.dtype(FileStat.S_IFCHR)).isEqualTo(DirentEncoder.DT_CHR);
        assertThat(DirentEncoder.dtype(FileStat.S_IFBLK)).isEqualTo(DirentEncoder.DT_BLK);
        assertThat(DirentEncoder.dtype(FileStat.S_IFIFO)).isEqualTo(DirentEncoder.DT_FIFO);
        assertThat(DirentEncoder.dtype(FileStat.S_IFSOCK)).isEqualTo(DirentEncoder.DT_SOCK);
        assertThat(DirentEncoder.dtype(0)).isEqualTo(DirentEncoder.DT_UNKNOWN);
    }

    @Test
    void listingIncludesDotsHostEntriesAndMounts() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("sub/dir"));
        Files.writeString(root.resolve("sub/file"), "x");
        Files.createSymbolicLink(root.resolve("sub/link"), Path.of("/nowhere"));
        Files.createDirectories(root.resolve("sub/shadowed"));
        Path m1 = Files.createDirectories(tmp.resolve("m1"));
        Files.writeString(m1.resolve("inside"), "i");
        Path m2 = Files.createDirectories(tmp.resolve("m2"));
        Path mf = Files.writeString(tmp.resolve("mf"), "file mount");
        GuestFileSystem fs = new GuestFileSystem(root, List.of(new Mount(m1, "/sub/shadowed", true),
                new Mount(m2, "/sub/virtual", false), new Mount(mf, "/sub/mfile", true),
                new Mount(m2, "/sub/dir/deeper", false)));

        List<Entry> list = DirentEncoder.list(fs, fs.resolve("/sub", true));
        assertThat(list).extracting(Entry::name)
                .containsExactly(".", "..", "dir", "file", "link", "mfile", "shadowed", "virtual");
        assertThat(list.get(0)).isEqualTo(new Entry(".", ino(root.resolve("sub")), DirentEncoder.DT_DIR));
        assertThat(list.get(1)).isEqualTo(new Entry("..", ino(root), DirentEncoder.DT_DIR));
        assertThat(list).contains(new Entry("file", ino(root.resolve("sub/file")), DirentEncoder.DT_REG),
                new Entry("link", ino(root.resolve("sub/link")), DirentEncoder.DT_LNK),
                new Entry("shadowed", ino(m1), DirentEncoder.DT_DIR),
                new Entry("virtual", ino(m2), DirentEncoder.DT_DIR),
                new Entry("mfile", ino(mf), DirentEncoder.DT_REG));

        // Inside a mount, ".." is the guest parent (root/sub), not the mount's host parent.
        List<Entry> inMount = DirentEncoder.list(fs, fs.resolve("/sub/shadowed", true));
        assertThat(inMount).extracting(Entry::name).containsExactly(".", "..", "inside");
        assertThat(inMount.get(1).ino()).isEqualTo(ino(root.resolve("sub")));
        // At the root ".." is the root itself.
        List<Entry> top = DirentEncoder.list(fs, fs.resolve("/", true));
        assertThat(top.get(1).ino()).isEqualTo(top.get(0).ino());

        assertThatThrownBy(() -> DirentEncoder.list(fs, fs.resolve("/sub/file", true)))
                .isInstanceOfSatisfying(GuestError.class, e -> assertThat(e.errno).isEqualTo(Errno.ENOTDIR));
    }

    static long ino(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }
}
