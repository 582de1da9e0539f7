package dev.rivet.linux.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.mem.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatEncoderTest {
    @TempDir Path tmp;

    static final Instant MTIME = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);

    @Test
    void regularFileFromHost() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "hello, world");
        Files.setLastModifiedTime(f, FileTime.from(MTIME));
        Map<String, Object> u = Files.readAttributes(f, "unix:ino,dev,mode,nlink,uid,gid", LinkOption.NOFOLLOW_LINKS);

        FileStat st = FileStat.ofHost(f);
        assertThat(st.type()).isEqualTo(FileStat.S_IFREG);
        assertThat(st.ino()).isEqualTo(u.get("ino"));
        assertThat(st.dev()).isEqualTo(u.get("dev"));
        assertThat(st.mode()).isEqualTo(u.get("mode"));
        assertThat(st.size()).isEqualTo(12);
        assertThat(st.blocks()).isEqualTo(1);
        assertThat(st.mtimeSec()).isEqualTo(1_700_000_000L);
        assertThat(st.mtimeNsec()).isEqualTo(123_456_789);

        byte[] b = StatEncoder.stat(st);
        assertThat(b).hasSize(128);
        assertThat(Bytes.i64(b, 0)).as("st_dev").isEqualTo(u.get("dev"));
        assertThat(Bytes.i64(b, 8)).as("st_ino").isEqualTo(u.get("ino"));
        assertThat(Bytes.i32(b, 16)).as("st_mode").isEqualTo(u.get("mode")).matches(m -> (m & 0170000) == 0100000);
        assertThat(Bytes.i32(b, 20)).as("st_nlink").isEqualTo(1);
        assertThat(Bytes.i32(b, 24)).as("st_uid").isEqualTo(u.get("uid"));
        assertThat(Bytes.i32(b, 28)).as("st_gid").isEqualTo(u.get("gid"));
        assertThat(Bytes.i64(b, 40)).as("__pad1").isZero();
        assertThat(Bytes.i64(b, 48)).as("st_size").isEqualTo(12);
        assertThat(Bytes.i32(b, 56)).as("st_blksize").isEqualTo(4096);
        assertThat(Bytes.i32(b, 60)).as("__pad2").isZero();
        assertThat(Bytes.i64(b, 64)).as("st_blocks").isEqualTo(1);
        assertThat(Bytes.i64(b, 88)).as("st_mtime").isEqualTo(1_700_000_000L);
        assertThat(Bytes.i64(b, 96)).as("st_mtime_nsec").isEqualTo(123_456_789);
        assertThat(Bytes.i64(b, 104)).as("st_ctime").isPositive();
        assertThat(Bytes.i64(b, 120)).as("__unused4/5").isZero();
    }

    @Test
    void fileTypesOfDirectoryAndSymlink() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("d"));
        Path l = Files.createSymbolicLink(tmp.resolve("l"), Path.of("d/some/target"));
        assertThat(FileStat.ofHost(d).type()).isEqualTo(FileStat.S_IFDIR);
        assertThat(FileStat.ofHost(d).isDirectory()).isTrue();
        FileStat ls = FileStat.ofHost(l);
        // Never followed: the link itself, sized as its target string like lstat.
        assertThat(ls.type()).isEqualTo(FileStat.S_IFLNK);
        assertThat(ls.size()).isEqualTo("d/some/target".length());
        assertThat(FileStat.ofHost(Path.of("/dev/null")).type()).isEqualTo(FileStat.S_IFCHR);
        assertThat(FileStat.ofHost(Path.of("/dev/null")).rdev()).isEqualTo((1L << 8) | 3); // 1:3
    }

    @Test
    void statxLayout() {
        long major = 0x1234abc, minor = 0x56789de;
        // glibc's makedev, spelled out independently of the encoder.
        long dev = ((major & 0xfff) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xff) | ((minor & ~0xffL) << 12);
        FileStat st = new FileStat(dev, 0x1122334455667788L, 0100644, 3, 1000, 100, (4L << 8) | 5, 5000, 4096, 16,
                111, 1, 222, 2, 333, 3);
        byte[] b = StatEncoder.statx(st);
        assertThat(b).hasSize(256);
        assertThat(Bytes.i32(b, 0)).as("stx_mask").isEqualTo(StatEncoder.STATX_BASIC_STATS);
        assertThat(Bytes.i32(b, 4)).as("stx_blksize").isEqualTo(4096);
        assertThat(Bytes.i64(b, 8)).as("stx_attributes").isZero();
        assertThat(Bytes.i32(b, 16)).as("stx_nlink").isEqualTo(3);
        assertThat(Bytes.i32(b, 20)).as("stx_uid").isEqualTo(1000);
        assertThat(Bytes.i32(b, 24)).as("stx_gid").isEqualTo(100);
        assertThat(Bytes.u16(b, 28)).as("stx_mode").isEqualTo(0100644);
        assertThat(Bytes.u16(b, 30)).as("__spare0").isZero();
        assertThat(Bytes.i64(b, 32)).as("stx_ino").isEqualTo(0x1122334455667788L);
        assertThat(Bytes.i64(b, 40)).as("stx_size").isEqualTo(5000);
        assertThat(Bytes.i64(b, 48)).as("stx_blocks").isEqualTo(16);
        assertThat(Bytes.i64(b, 56)).as("stx_attributes_mask").isZero();
        assertThat(Bytes.i64(b, 64)).as("stx_atime.tv_sec").isEqualTo(111);
        assertThat(Bytes.i32(b, 72)).as("stx_atime.tv_nsec").isEqualTo(1);
        assertThat(Bytes.i64(b, 80)).as("stx_btime (not claimed)").isZero();
        assertThat(Bytes.i64(b, 96)).as("stx_ctime.tv_sec").isEqualTo(333);
        assertThat(Bytes.i32(b, 104)).as("stx_ctime.tv_nsec").isEqualTo(3);
        assertThat(Bytes.i64(b, 112)).as("stx_mtime.tv_sec").isEqualTo(222);
        assertThat(Bytes.i32(b, 120)).as("stx_mtime.tv_nsec").isEqualTo(2);
        assertThat(Bytes.i32(b, 128)).as("stx_rdev_major").isEqualTo(4);
        assertThat(Bytes.i32(b, 132)).as("stx_rdev_minor").isEqualTo(5);
        assertThat(Bytes.i32(b, 136)).as("stx_dev_major").isEqualTo(0x1234abc);
        assertThat(Bytes.i32(b, 140)).as("stx_dev_minor").isEqualTo(0x56789de);
        for (int off = 144; off < 256; off += 8) assertThat(Bytes.i64(b, off)).as("offset %d", off).isZero();
    }

    @Test
    void statLayoutOfExplicitValues() {
        FileStat st = new FileStat(7, 8, 040755, 2, 10, 20, 0x0103, -1, 512, 9, 11, 12, 13, 14, 15, 16);
        byte[] b = StatEncoder.stat(st);
        assertThat(Bytes.i64(b, 0)).isEqualTo(7);
        assertThat(Bytes.i64(b, 8)).isEqualTo(8);
        assertThat(Bytes.i32(b, 16)).isEqualTo(040755);
        assertThat(Bytes.i32(b, 20)).isEqualTo(2);
        assertThat(Bytes.i32(b, 24)).isEqualTo(10);
        assertThat(Bytes.i32(b, 28)).isEqualTo(20);
        assertThat(Bytes.i64(b, 32)).as("st_rdev").isEqualTo(0x0103);
        assertThat(Bytes.i64(b, 48)).as("st_size signed").isEqualTo(-1);
        assertThat(Bytes.i32(b, 56)).isEqualTo(512);
        assertThat(Bytes.i64(b, 64)).isEqualTo(9);
        assertThat(Bytes.i64(b, 72)).isEqualTo(11);
        assertThat(Bytes.i64(b, 80)).isEqualTo(12);
        assertThat(Bytes.i64(b, 88)).isEqualTo(13);
        assertThat(Bytes.i64(b, 96)).isEqualTo(14);
        assertThat(Bytes.i64(b, 104)).isEqualTo(15);
        assertThat(Bytes.i64(b, 112)).isEqualTo(16);
    }

    @Test
    void syntheticPipe() {
        long before = Instant.now().getEpochSecond();
        FileStat st = FileStat.synthetic(FileStat.S_IFIFO | 0600, 0, 4242);
        byte[] b = StatEncoder.stat(st);
        assertThat(Bytes.i32(b, 16) & FileStat.S_IFMT).isEqualTo(FileStat.S_IFIFO);
        assertThat(Bytes.i32(b, 16) & 07777).isEqualTo(0600);
        assertThat(Bytes.i64(b, 8)).isEqualTo(4242);
        assertThat(Bytes.i64(b, 0)).isEqualTo(FileStat.SYNTHETIC_DEV);
        assertThat(Bytes.i32(b, 20)).isEqualTo(1);
        assertThat(Bytes.i64(b, 88)).isBetween(before, before + 5);
        FileStat tty = FileStat.synthetic(FileStat.S_IFCHR | 0620, 0, 3, 1000, 5);
        assertThat(tty.uid()).isEqualTo(1000);
        assertThat(tty.gid()).isEqualTo(5);
        assertThat(DirentEncoder.dtype(tty.mode())).isEqualTo(DirentEncoder.DT_CHR);
    }
}
