package dev.rivet.dev.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qcow2 images read and written by Rivet, checked against a byte-array model and against QEMU's
 * own tools: {@code qemu-img check} must find no errors or leaks, {@code qemu-img convert} must
 * give back exactly the model's bytes.
 */
class Qcow2ImageTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needQemuImg() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")), "qemu-img (Debian qemu-utils) is not installed");
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    /** qemu-img check finds nothing wrong (exit 0, no leaks); returns the allocated cluster count. */
    static int check(Path img) throws Exception {
        String out = run("qemu-img", "check", img.toString());
        assertThat(out).contains("No errors were found on the image.").doesNotContain("leaked");
        var m = java.util.regex.Pattern.compile("(\\d+)/\\d+ = ").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The disk's bytes as qemu-img sees them. */
    byte[] convert(Path img) throws Exception {
        Path raw = dir.resolve("converted-" + System.nanoTime() + ".raw");
        run("qemu-img", "convert", "-O", "raw", img.toString(), raw.toString());
        return Files.readAllBytes(raw);
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /** Random writes (and some discards) applied to both the image and the model, then read back. */
    static void scribble(BlockImage img, byte[] model, Random r, int ops) throws IOException {
        for (int i = 0; i < ops; i++) {
            int len = r.nextInt(4) == 0 ? r.nextInt(200_000) + 1 : r.nextInt(5000) + 1;
            int off = r.nextInt(model.length - len);
            if (r.nextInt(6) == 0) {
                img.discard(off, len);
                java.util.Arrays.fill(model, off, off + len, (byte) 0);
            } else {
                byte[] b = new byte[len];
                r.nextBytes(b);
                img.write(off, b, 0, len);
                System.arraycopy(b, 0, model, off, len);
            }
        }
        byte[] back = new byte[model.length];
        img.read(0, back, 0, back.length);
        assertSame(back, model);
    }

    /** Equal arrays, or a message naming the first differing offset (no megabyte dumps). */
    static void assertSame(byte[] actual, byte[] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        int at = java.util.Arrays.mismatch(actual, expected);
        assertThat(at).as("first differing byte offset").isEqualTo(-1);
    }

    @Test
    void imagesMadeByQemuImgRoundTrip() throws Exception {
        Path img = dir.resolve("a.qcow2");
        run("qemu-img", "create", "-f", "qcow2", img.toString(), "8M");
        byte[] model = new byte[8 << 20];
        try (BlockImage q = BlockImages.open(img, null, false)) {
            assertThat(q.format()).isEqualTo("qcow2");
            assertThat(q.size()).isEqualTo(8 << 20);
            scribble(q, model, new Random(1), 300);
            q.flush();
        }
        check(img);
        assertSame(convert(img), model);
        try (BlockImage q = Qcow2Image.open(img, true)) { // and Rivet reads back what it wrote
            byte[] back = new byte[model.length];
            q.read(0, back, 0, back.length);
            assertSame(back, model);
        }
    }

    @Test
    void compressedClustersAreReadAndRewrittenCopyOnWrite() throws Exception {
        Path raw = dir.resolve("base.raw");
        byte[] model = new byte[4 << 20];
        Random r = new Random(2);
        for (int i = 0; i < model.length; i += 4096) model[i + r.nextInt(4096)] = (byte) r.nextInt(); // compressible
        Files.write(raw, model);
        Path img = dir.resolve("c.qcow2");
        run("qemu-img", "convert", "-c", "-O", "qcow2", raw.toString(), img.toString());
        try (BlockImage q = Qcow2Image.open(img, false)) {
            byte[] back = new byte[model.length];
            q.read(0, back, 0, back.length);
            assertSame(back, model);
            scribble(q, model, r, 100);
        }
        check(img);
        assertSame(convert(img), model);
    }

    @Test
    void overlaysKeepTheBaseUntouched() throws Exception {
        Path base = dir.resolve("base.raw");
        byte[] model = new byte[6 << 20];
        new Random(3).nextBytes(model);
        Files.write(base, model);
        String before = sha256(base);
        Path overlay = dir.resolve("over.qcow2");
        try (BlockImage q = BlockImages.overlay(base, null, overlay)) {
            scribble(q, model, new Random(4), 200);
        }
        assertThat(sha256(base)).isEqualTo(before);
        check(overlay);
        assertThat(run("qemu-img", "info", overlay.toString())).contains("backing file: " + base.toAbsolutePath())
                .contains("backing file format: raw");
        assertSame(convert(overlay), model);
        try (BlockImage q = BlockImages.overlay(base, null, overlay)) { // an existing overlay is reopened
            byte[] back = new byte[model.length];
            q.read(0, back, 0, back.length);
            assertSame(back, model);
        }
    }

    @Test
    void backingChainsMadeByQemuImg() throws Exception {
        Path base = dir.resolve("base.qcow2");
        run("qemu-img", "create", "-f", "qcow2", base.toString(), "4M");
        byte[] model = new byte[4 << 20];
        try (BlockImage q = Qcow2Image.open(base, false)) {
            scribble(q, model, new Random(5), 50);
        }
        Path top = dir.resolve("top.qcow2");
        run("qemu-img", "create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", top.toString());
        String before = sha256(base);
        try (BlockImage q = Qcow2Image.open(top, false)) {
            scribble(q, model, new Random(6), 100);
        }
        assertThat(sha256(base)).isEqualTo(before);
        check(top);
        assertSame(convert(top), model);
    }

    @Test
    void smallClustersGrowTheRefcountTable() throws Exception {
        Path img = dir.resolve("small.qcow2");
        run("qemu-img", "create", "-f", "qcow2", "-o", "cluster_size=512", img.toString(), "2M");
        byte[] model = new byte[2 << 20];
        new Random(7).nextBytes(model);
        try (BlockImage q = Qcow2Image.open(img, false)) {
            q.write(0, model, 0, model.length);
        }
        check(img);
        assertSame(convert(img), model);
    }

    @Test
    void discardFreesClusters() throws Exception {
        Path img = dir.resolve("d.qcow2");
        run("qemu-img", "create", "-f", "qcow2", img.toString(), "8M");
        byte[] data = new byte[4 << 20];
        new Random(8).nextBytes(data);
        try (BlockImage q = Qcow2Image.open(img, false)) {
            q.write(0, data, 0, data.length);
        }
        int full = check(img);
        try (BlockImage q = Qcow2Image.open(img, false)) {
            q.discard(0, 3 << 20);
        }
        int after = check(img);
        assertThat(full - after).as("clusters freed").isGreaterThanOrEqualTo(48);
        byte[] expect = new byte[8 << 20];
        System.arraycopy(data, 3 << 20, expect, 3 << 20, 1 << 20);
        assertSame(convert(img), expect);
        // Freed clusters are reused before the file grows.
        long length = Files.size(img);
        try (BlockImage q = Qcow2Image.open(img, false)) {
            q.write(5 << 20, data, 0, 1 << 20);
        }
        assertThat(Files.size(img)).isEqualTo(length);
        check(img);
    }

    @Test
    void clustersSharedWithASnapshotAreCopiedOnWrite() throws Exception {
        Path img = dir.resolve("s.qcow2");
        run("qemu-img", "create", "-f", "qcow2", img.toString(), "4M");
        byte[] model = new byte[4 << 20];
        try (BlockImage q = Qcow2Image.open(img, false)) {
            scribble(q, model, new Random(9), 40);
        }
        byte[] snapshot = model.clone();
        run("qemu-img", "snapshot", "-c", "snap", img.toString());
        try (BlockImage q = Qcow2Image.open(img, false)) {
            scribble(q, model, new Random(10), 60);
        }
        check(img);
        assertSame(convert(img), model);
        Path raw = dir.resolve("snap.raw");
        run("qemu-img", "convert", "-l", "snapshot.name=snap", "-O", "raw", img.toString(), raw.toString());
        assertSame(Files.readAllBytes(raw), snapshot);
    }

    @Test
    void rawImagesPunchHolesOnDiscard() throws Exception {
        Path img = dir.resolve("r.raw");
        byte[] data = new byte[2 << 20];
        new Random(11).nextBytes(data);
        Files.write(img, data);
        try (BlockImage r = BlockImages.open(img, "raw", false)) {
            r.discard(4096, 1 << 20);
            byte[] back = new byte[data.length];
            r.read(0, back, 0, back.length);
            java.util.Arrays.fill(data, 4096, 4096 + (1 << 20), (byte) 0);
            assertThat(back).isEqualTo(data);
        }
        assertThat(Files.size(img)).isEqualTo(2 << 20);
        List<String> du = new ArrayList<>(List.of(run("du", "-k", img.toString()).split("\\s+")));
        assertThat(Integer.parseInt(du.getFirst())).as("KiB on disk after a 1 MiB hole").isLessThan(1500);
    }
}
