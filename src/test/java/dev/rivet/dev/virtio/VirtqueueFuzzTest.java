package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.dev.block.RawImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random descriptor tables, indirect tables and available rings thrown at devices through the
 * transport: whatever the driver writes, no exception escapes into the hart, nothing hangs, and the
 * device either completes chains or asks for a reset.
 */
class VirtqueueFuzzTest {
    @Property(tries = 400)
    void randomRingsNeverEscapeOrHang(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int kind) throws IOException {
        Random r = new Random(seed);
        Path img = null;
        VirtioDevice device;
        switch (kind) {
            case 0 -> device = new EchoDevice();
            case 1 -> device = new VirtioRng();
            case 2 -> {
                img = Files.createTempFile("fuzz", ".img");
                Files.write(img, new byte[64 * 1024]);
                device = new VirtioBlk(new RawImage(img, false), "fuzz", new PrintStream(OutputStream.nullOutputStream()));
            }
            default -> device = new VirtioBalloon();
        }
        try {
            TestDriver d = new TestDriver(device, r.nextInt(8) == 0).start(-1L, 16);
            long deadline = System.nanoTime() + 2_000_000_000L;
            for (int round = 0; round < 4; round++) {
                int q = r.nextInt(d.size.length);
                scribble(d, q, r);
                d.reg(VirtioMmio.QUEUE_NOTIFY, q); // must return normally
                int used = 0;
                while (d.poll(q) != null) used++;
                assertThat(used).isLessThanOrEqualTo(d.size[q]);
                if ((d.reg(VirtioMmio.STATUS) & VirtioMmio.DEVICE_NEEDS_RESET) != 0) {
                    assertThat(d.reg(VirtioMmio.INTERRUPT_STATUS) & 2).isEqualTo(2);
                    break;
                }
            }
            assertThat(System.nanoTime()).as("finished in time").isLessThan(deadline);
            assertThat(d.diagnostics.toString().lines().count()).isLessThanOrEqualTo(1);
            assertThat(d.diagnostics.toString()).as("no host bug surfaced").doesNotContain("internal error");
        } finally {
            device.close();
            if (img != null) Files.deleteIfExists(img);
        }
    }

    /** Random descriptors (some valid, some not), maybe an indirect table, and a random avail index. */
    private static void scribble(TestDriver d, int q, Random r) {
        int s = d.size[q];
        long table = d.alloc(16L * 64, 16);
        for (int i = 0; i < s; i++) d.writeDesc(d.desc[q], i, address(d, r), length(r), r.nextInt(8), r.nextInt(s + 4));
        for (int i = 0; i < 64; i++) d.writeDesc(table, i, address(d, r), length(r), r.nextInt(8), r.nextInt(70));
        if (r.nextBoolean()) d.writeDesc(d.desc[q], r.nextInt(s), table, 16 * (1 + r.nextInt(64)), Virtqueue.F_INDIRECT, 0);
        int n = r.nextInt(4) == 0 ? r.nextInt(0x10000) : r.nextInt(s + 1);
        for (int i = 0; i < s; i++) d.guestRam.store(d.avail[q] + 4 + 2L * i, 2, r.nextInt(8) == 0 ? r.nextInt(0x10000) : r.nextInt(s));
        d.availIdx[q] = (d.availIdx[q] + n) & 0xffff;
        d.guestRam.store(d.avail[q] + 2, 2, d.availIdx[q]);
        if (r.nextBoolean()) d.guestRam.store(d.avail[q] + 4 + 2L * s, 2, r.nextInt(0x10000)); // used_event
    }

    private static long address(TestDriver d, Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextLong();
            case 1 -> TestDriver.BASE + (4 << 20) - r.nextInt(64);
            case 2 -> 0x1000 + r.nextInt(0x1000);
            default -> TestDriver.BASE + (2 << 20) + r.nextInt(1 << 20);
        };
    }

    private static int length(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt();
            case 1 -> 0;
            default -> r.nextInt(600);
        };
    }
}
