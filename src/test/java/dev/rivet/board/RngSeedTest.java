package dev.rivet.board;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.mem.Bytes;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device tree a booted virt machine hands its firmware or kernel carries 32 fresh bytes of
 * /chosen/rng-seed, as QEMU's virt board does, so Linux can seed its entropy pool at once.
 */
class RngSeedTest {
    @TempDir
    Path dir;

    @Test
    void everyBootGetsItsOwnThirtyTwoByteSeed() throws Exception {
        Dtc.assumeDtc();
        String first = seedOfBootedMachine();
        String second = seedOfBootedMachine();
        // dtc prints a property whose length is a multiple of 4 as cells: 32 bytes are 8 of them.
        String eightCells = "<(0x[0-9a-f]{1,8} ){7}0x[0-9a-f]{1,8}>";
        assertThat(first).matches(eightCells);
        assertThat(second).matches(eightCells).isNotEqualTo(first);
    }

    /** Boots (loads) a machine with a do-nothing kernel and returns dtc's text of its rng-seed. */
    private String seedOfBootedMachine() throws Exception {
        Path kernel = dir.resolve("Image");
        Files.write(kernel, minimalImage());
        VirtMachine machine = new VirtMachine(new VirtMachine.Config(1, 64L << 20, null, kernel, null, "quiet"),
                OutputStream.nullOutputStream(), new PrintStream(OutputStream.nullOutputStream()));
        machine.boot();
        // The tree sits where boot() put it: below the top of RAM, aligned, with room for 64 KiB.
        long at = BootImages.fdtAddress(machine.ram, 64 * 1024);
        byte[] header = machine.ram.read(at, 8);
        assertThat(Integer.toHexString(Integer.reverseBytes(Bytes.i32(header, 0)))).isEqualTo("d00dfeed");
        int size = Integer.reverseBytes(Bytes.i32(header, 4));
        Path dtb = dir.resolve("tree.dtb");
        Files.write(dtb, machine.ram.read(at, size));
        Dtc.Result r = Dtc.run("dtc", "-I", "dtb", "-O", "dts", "-o", "-", dtb.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return Dtc.parse(r.out()).get("/chosen").get("rng-seed");
    }

    /** A RISC-V Linux Image header (magic "RSC\x05" at 0x38) whose code is a jump to itself. */
    private static byte[] minimalImage() {
        byte[] image = new byte[64];
        Bytes.write(image, 0, 4, 0x0000006f); // jal x0, 0
        Bytes.write(image, 0x10, 8, 64); // image_size
        Bytes.write(image, 0x38, 4, 0x05435352); // "RSC\x05"
        return image;
    }
}
