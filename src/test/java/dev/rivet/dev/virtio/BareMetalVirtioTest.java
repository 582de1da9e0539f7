package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rivet.RivetRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bare-metal program of the project's own (src/test/resources/.../baremetal/virtio_blk.c, built
 * here with the RISC-V cross compiler) drives a modern virtio-blk device through its registers and
 * rings, with no firmware or kernel in between, and reports through the test finisher.
 */
class BareMetalVirtioTest {
    static final String GCC = "/usr/bin/riscv64-linux-gnu-gcc";
    @TempDir
    static Path dir;
    static Path program;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(GCC)), "riscv64-linux-gnu-gcc missing (scripts/install-deps)");
        for (String f : new String[] {"link.ld", "start.S", "virtio_blk.c"}) {
            try (InputStream in = BareMetalVirtioTest.class.getResourceAsStream("baremetal/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        program = dir.resolve("virtio_blk.elf");
        Process p = new ProcessBuilder(GCC, "-march=rv64imac_zicsr", "-mabi=lp64", "-mcmodel=medany", "-nostdlib",
                "-ffreestanding", "-static", "-O2", "-Wl,--build-id=none", "-Wl,--no-warn-rwx-segments",
                "-T", "link.ld", "start.S", "virtio_blk.c", "-o", program.toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    static Path disk(String name, boolean signed) throws IOException {
        byte[] d = new byte[64 * 1024];
        if (signed) System.arraycopy("RIVET-BLK-TEST".getBytes(StandardCharsets.US_ASCII), 0, d, 0, 14);
        return Files.write(dir.resolve(name), d);
    }

    static byte[] expectedSector() {
        byte[] s = new byte[512];
        for (int i = 0; i < 512; i++) s[i] = (byte) (i * 7 + 3);
        return s;
    }

    @Test
    void writesReadsBackAndFlushesASector() throws Exception {
        Path img = disk("disk.img", true);
        RivetRunner.Result r = RivetRunner.run(120, "boot", "--bios", "none", "--kernel", program.toString(),
                "--drive", img + ",format=raw");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        byte[] onDisk = Files.readAllBytes(img);
        assertThat(Arrays.copyOfRange(onDisk, 5 * 512, 6 * 512)).isEqualTo(expectedSector());
    }

    @Test
    void reportsTheFailingStepThroughTheFinisher() throws Exception {
        RivetRunner.Result r = RivetRunner.run(120, "boot", "--bios", "none", "--kernel", program.toString(),
                "--drive", disk("unsigned.img", false) + ",format=raw");
        assertThat(r.exitCode()).as("step 14: sector 0 lacks the signature").isEqualTo(14);
    }

    @Test
    void worksThroughAQcow2Overlay() throws Exception {
        Path base = disk("base.img", true);
        byte[] before = Files.readAllBytes(base);
        Path overlay = dir.resolve("overlay.qcow2");
        RivetRunner.Result r = RivetRunner.run(120, "boot", "--bios", "none", "--kernel", program.toString(),
                "--drive", base + ",overlay=" + overlay);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(Files.readAllBytes(base)).isEqualTo(before);
        assertThat(Files.exists(overlay)).isTrue();
    }
}
