package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host folder sharing over virtio-9p with the reference guest: both directions, metadata, escapes. */
class LinuxShareTest {
    @TempDir
    Path dir;

    @Test
    void guestAndHostSeeEachOthersChangesAndNothingOutsideTheShare() throws Exception {
        assumeTrue(GuestSession.available(), "the reference guest is not in ../shared/guest");
        Path share = Files.createDirectories(dir.resolve("share"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "SECRET\n");
        Files.writeString(share.resolve("from-host.txt"), "written on the host\n");
        Files.createDirectories(share.resolve("sub"));
        Files.createSymbolicLink(share.resolve("abs-link"), outside.resolve("secret.txt")); // absolute, host path
        Files.createSymbolicLink(share.resolve("sub/up"), Path.of("../../outside"));         // climbs out on the host
        Files.createSymbolicLink(share.resolve("etc-link"), Path.of("/etc"));
        Files.createDirectories(dir.resolve("ro"));
        Files.writeString(dir.resolve("ro/keep.txt"), "read-only\n");
        byte[] big = new byte[3 << 20];
        new Random(1).nextBytes(big);
        Files.write(share.resolve("big.bin"), big);

        try (GuestSession g = GuestSession.boot("--share", share + ",tag=hostshare", "--share", dir.resolve("ro") + ",tag=ro,readonly")) {
            g.ok("mkdir -p /mnt /ro && mount -t 9p -o trans=virtio hostshare /mnt && mount -t 9p -o trans=virtio ro /ro");
            // Host to guest, large reads.
            assertThat(g.ok("cat /mnt/from-host.txt")).contains("written on the host");
            String sum = g.ok("md5sum /mnt/big.bin");
            assertThat(sum).contains(md5(big));
            // Guest to host: files, directories, permissions, rename, symlinks, large writes.
            g.ok("echo 'written in the guest' > /mnt/from-guest.txt && mkdir -p /mnt/gdir/deeper && chmod 750 /mnt/gdir");
            g.ok("dd if=/mnt/big.bin of=/mnt/gdir/copy.bin bs=256k 2>/dev/null && mv /mnt/gdir/copy.bin /mnt/gdir/deeper/moved.bin");
            g.ok("ln -s from-guest.txt /mnt/rel-link && cat /mnt/rel-link && ln /mnt/from-guest.txt /mnt/hard.txt");
            assertThat(g.ok("echo append >> /mnt/from-guest.txt && cat /mnt/hard.txt")).contains("written in the guest\r\nappend");
            g.ok("truncate -s 5 /mnt/hard.txt 2>/dev/null || dd if=/dev/null of=/mnt/hard.txt bs=1 seek=5 2>/dev/null");
            assertThat(g.ok("ls -l /mnt/gdir | head -3; stat -c '%a %s' /mnt/gdir /mnt/from-guest.txt")).contains("750");
            // Changes made on the host while mounted are visible.
            Files.writeString(share.resolve("late.txt"), "appeared later\n");
            assertThat(g.ok("cat /mnt/late.txt")).contains("appeared later");
            // Escape attempts: host links are read as links and resolved inside the guest, never on the host.
            assertThat(g.run("cat /mnt/abs-link", 60).output()).doesNotContain("SECRET");
            assertThat(g.run("cat /mnt/sub/up/secret.txt", 60).output()).doesNotContain("SECRET");
            assertThat(g.run("ls /mnt/etc-link/ | grep -c passwd", 60).output()).doesNotContain("\n1\r");
            assertThat(g.run("cat /mnt/../outside/secret.txt /mnt/sub/../../outside/secret.txt", 60).output()).doesNotContain("SECRET");
            g.ok("ln -s /etc/hostname /mnt/guest-abs-link; ln -s ../../../../../etc/passwd /mnt/guest-rel-link; true");
            assertThat(g.run("cat /mnt/guest-rel-link", 60).output()).doesNotContain("root:");
            assertThat(g.run("ln /etc/passwd /mnt/hard-escape", 60).status()).isNotZero();
            // Read-only share.
            assertThat(g.ok("cat /ro/keep.txt")).contains("read-only");
            assertThat(g.run("echo no > /ro/new.txt", 60).status()).isNotZero();
            assertThat(g.run("rm /ro/keep.txt", 60).status()).isNotZero();
            g.ok("rm /mnt/from-host.txt && rmdir /mnt/sub 2>/dev/null; rm /mnt/sub/up && rmdir /mnt/sub && sync && umount /mnt");
            assertThat(g.powerOff()).isZero();
        }
        // hard.txt is a hard link to from-guest.txt: truncating one shortened both.
        assertThat(Files.readString(share.resolve("from-guest.txt"))).isEqualTo("writt");
        assertThat(Files.isSameFile(share.resolve("from-guest.txt"), share.resolve("hard.txt"))).isTrue();
        assertThat(Files.readAllBytes(share.resolve("gdir/deeper/moved.bin"))).isEqualTo(big);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(share.resolve("gdir")))).isEqualTo("rwxr-x---");
        assertThat(Files.readSymbolicLink(share.resolve("rel-link"))).isEqualTo(Path.of("from-guest.txt"));
        assertThat(Files.readSymbolicLink(share.resolve("guest-abs-link"))).isEqualTo(Path.of("/etc/hostname"));
        assertThat(Files.size(share.resolve("hard.txt"))).isEqualTo(5);
        assertThat(share.resolve("from-host.txt")).doesNotExist();
        assertThat(share.resolve("sub")).doesNotExist();
        assertThat(share.resolve("hard-escape")).doesNotExist();
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("SECRET\n");
        assertThat(dir.resolve("ro/new.txt")).doesNotExist();
        assertThat(dir.resolve("ro/keep.txt")).exists();
    }

    static String md5(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
    }
}
