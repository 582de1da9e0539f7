package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference Linux guest using Rivet's virtio devices through {@code rivet boot}: ext4 on raw,
 * overlay and qemu-img qcow2 disks (checked afterwards with e2fsck, debugfs and qemu-img), a
 * read-only disk on the legacy interface, 9p host folder sharing with escape attempts, the entropy
 * device and the second console over TCP.
 */
class LinuxVirtioTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needGuestAndTools() {
        assumeTrue(GuestSession.available(), "the reference guest is not in ../shared/guest");
        for (String tool : List.of("/usr/sbin/mke2fs", "/usr/sbin/e2fsck", "/usr/sbin/debugfs", "/usr/bin/qemu-img")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " missing (apt-get install e2fsprogs qemu-utils)");
        }
    }

    /** Runs a host tool; returns stdout and stderr together, failing unless it exits with {@code status}. */
    static String host(int status, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isEqualTo(status);
        return out;
    }

    /** An ext4 image of 16 MiB holding hello.txt, made by mke2fs -d. */
    Path ext4(String name) throws Exception {
        Path content = Files.createDirectories(dir.resolve(name + ".d"));
        Files.writeString(content.resolve("hello.txt"), "hello from the host\n");
        Path img = dir.resolve(name);
        host(0, "mke2fs", "-q", "-t", "ext4", "-d", content.toString(), img.toString(), "16M");
        return img;
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /** e2fsck -fn finds nothing and debugfs reads {@code file} as {@code content}. */
    static void assertExt4(Path img, String file, String content) throws Exception {
        host(0, "e2fsck", "-fn", img.toString());
        assertThat(host(0, "debugfs", "-R", "cat " + file, img.toString())).contains(content);
    }

    /** Mounts {@code dev}, checks hello.txt, writes a text file and 3 MiB of random data, syncs, unmounts. */
    static void useDisk(GuestSession g, String dev, String mnt, String note) throws Exception {
        g.ok("mkdir -p " + mnt + " && mount -t ext4 " + dev + " " + mnt);
        assertThat(g.ok("cat " + mnt + "/hello.txt")).contains("hello from the host");
        g.ok("echo '" + note + "' > " + mnt + "/note.txt && dd if=/dev/urandom of=" + mnt
                + "/random bs=64k count=48 2>/dev/null && sync && echo 3 > /proc/sys/vm/drop_caches");
        assertThat(g.ok("cat " + mnt + "/note.txt")).contains(note);
        g.ok("md5sum " + mnt + "/random > /tmp/sum && rm " + mnt + "/hello.txt && fstrim " + mnt + " ; umount " + mnt);
    }

    @Test
    void ext4OnARawImage() throws Exception {
        Path img = ext4("raw.img");
        try (GuestSession g = GuestSession.boot("--drive", img + ",format=raw")) {
            assertThat(g.ok("cat /sys/block/vda/serial; echo; cat /sys/block/vda/size")).contains("raw.img").contains("32768");
            useDisk(g, "/dev/vda", "/mnt", "written by the guest");
            assertThat(g.powerOff()).isZero();
        }
        assertExt4(img, "/note.txt", "written by the guest");
        assertThat(host(0, "debugfs", "-R", "ls /", img.toString())).doesNotContain("hello.txt");
    }

    @Test
    void qcow2MadeByQemuImgAndAnOverlayOverARawBase() throws Exception {
        Path base = ext4("base.img");
        String before = sha256(base);
        Path overlay = dir.resolve("overlay.qcow2");
        Path q = dir.resolve("made-by-qemu.qcow2");
        host(0, "qemu-img", "convert", "-O", "qcow2", ext4("forqcow.img").toString(), q.toString());
        try (GuestSession g = GuestSession.boot("--drive", q.toString(), "--drive", base + ",overlay=" + overlay)) {
            assertThat(g.ok("cat /sys/block/vda/serial; echo; cat /sys/block/vdb/serial")).contains("made-by-qemu.qcow2")
                    .contains("base.img");
            useDisk(g, "/dev/vda", "/mnt/a", "on the qcow2 disk");
            useDisk(g, "/dev/vdb", "/mnt/b", "on the overlay");
            assertThat(g.powerOff()).isZero();
        }
        assertThat(sha256(base)).as("the base of an overlay is never written").isEqualTo(before);
        for (Path img : List.of(q, overlay)) {
            assertThat(host(0, "qemu-img", "check", img.toString())).contains("No errors were found");
        }
        Path qRaw = dir.resolve("q.raw");
        Path oRaw = dir.resolve("o.raw");
        host(0, "qemu-img", "convert", "-O", "raw", q.toString(), qRaw.toString());
        host(0, "qemu-img", "convert", "-O", "raw", overlay.toString(), oRaw.toString());
        assertExt4(qRaw, "/note.txt", "on the qcow2 disk");
        assertExt4(oRaw, "/note.txt", "on the overlay");
        assertThat(host(0, "debugfs", "-R", "ls /", base.toString())).contains("hello.txt").doesNotContain("note.txt");
    }

    @Test
    void readOnlyDiskOnTheLegacyInterface() throws Exception {
        Path img = ext4("ro.img");
        String before = sha256(img);
        try (GuestSession g = GuestSession.boot("--virtio-legacy", "--drive", img + ",readonly")) {
            assertThat(g.ok("cat /sys/block/vda/ro")).contains("1");
            g.ok("mkdir -p /mnt && mount -o ro /dev/vda /mnt");
            assertThat(g.ok("cat /mnt/hello.txt")).contains("hello from the host");
            assertThat(g.run("echo x > /mnt/new", 60).status()).isNotZero();
            assertThat(g.run("dd if=/dev/zero of=/dev/vda bs=512 count=1 conv=fsync", 60).status()).isNotZero();
            assertThat(g.powerOff()).isZero();
        }
        assertThat(sha256(img)).isEqualTo(before);
    }

    @Test
    void entropyDeviceAndSecondConsoleOverTcp() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (GuestSession g = GuestSession.boot("--rng", "--console2", "tcp:127.0.0.1:" + port)) {
            assertThat(g.ok("cat /sys/class/misc/hw_random/rng_current")).contains("virtio_rng");
            String hex = g.ok("head -c 16 /dev/hwrng | od -An -tx1 | tr -d ' \\n'; echo");
            assertThat(hex).containsPattern("[0-9a-f]{32}").doesNotContain("00000000000000000000000000000000");
            // hvc0 is the SBI console in the reference kernel: the virtio console is the next one.
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(30_000);
                Thread.sleep(300); // let the endpoint take the client before the guest writes
                g.ok("echo from-the-guest > /dev/hvc1");
                InputStream in = s.getInputStream();
                StringBuilder got = new StringBuilder();
                while (!got.toString().contains("from-the-guest")) got.append((char) in.read());
                g.send("head -n 1 /dev/hvc1 > /tmp/line; echo @@line=$?\n");
                Thread.sleep(1000);
                s.getOutputStream().write("typed-on-the-host\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                long deadline = System.currentTimeMillis() + 30_000;
                while (!g.stdout().contains("@@line=0") && System.currentTimeMillis() < deadline) Thread.sleep(50);
                assertThat(g.ok("cat /tmp/line")).contains("typed-on-the-host");
            }
            assertThat(g.powerOff()).isZero();
        }
    }
}
