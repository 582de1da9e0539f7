package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rivet.board.VirtMachine;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The balloon with the reference guest, in process so the test can watch the machine's RAM: pages
 * the guest gives up stop being resident on the host; deflating gives them back.
 */
class BalloonBootTest {
    static final long MB = 1 << 20;
    private final StringBuffer out = new StringBuffer();
    private VirtMachine machine;
    private int marker;

    @Test
    void inflateReleasesHostMemoryAndDeflateGivesItBack() throws Exception {
        assumeTrue(GuestSession.available(), "the reference guest is not in ../shared/guest");
        VirtioBalloon balloon = new VirtioBalloon();
        var g = GuestSession.GUEST;
        machine = new VirtMachine(new VirtMachine.Config(1, 256 * MB, g.resolve("fw_dynamic.bin"), g.resolve("Image"),
                g.resolve("initramfs.cpio.gz"), "console=ttyS0 quiet", List.of(balloon), false), new OutputStream() {
                    @Override
                    public void write(int b) {
                        out.append((char) b);
                    }
                }, System.err);
        machine.boot();
        Thread runner = new Thread(() -> {
            try {
                machine.run();
            } catch (InterruptedException ignored) {
                // test over
            }
        });
        runner.setDaemon(true);
        runner.start();
        try {
            waitFor(() -> out.toString().contains("guest: booted"), 120, "boot");
            Thread.sleep(500);
            // Make most of the guest's memory resident on the host, then free it inside the guest.
            sh("dd if=/dev/zero of=/tmp/fill bs=1M count=110 2>/dev/null; rm /tmp/fill; sync");
            long memTotalBefore = meminfo("MemTotal");
            long before = machine.ram().residentPages();
            long heapBefore = heapUsed();
            assertThat(before * 4096).isGreaterThan(100 * MB);
            assertThat(balloon.stats()).as("statistics the driver sent at start").containsKey(5);

            balloon.setTarget(192 * MB);
            waitFor(() -> balloon.actualPages() == 192 * MB / 4096, 120, "inflation to 192 MiB");
            long inflated = machine.ram().residentPages();
            long heapInflated = heapUsed();
            long memTotalInflated = meminfo("MemTotal");
            System.out.printf("balloon: resident %d MiB before, %d MiB with 192 MiB in the balloon (%d pages released);"
                            + " host heap %d -> %d MiB; guest MemTotal %d -> %d kB%n", before * 4096 / MB, inflated * 4096 / MB,
                    balloon.releasedPages(), heapBefore / MB, heapInflated / MB, memTotalBefore, memTotalInflated);
            assertThat((before - inflated) * 4096).as("host memory given back").isGreaterThan(80 * MB);
            assertThat(memTotalBefore - memTotalInflated).isGreaterThanOrEqualTo(192 * 1024 - 1024);

            balloon.requestStats();
            waitFor(() -> balloon.stats().getOrDefault(4, 0L) > 0, 30, "fresh statistics");

            balloon.setTarget(0);
            waitFor(() -> balloon.actualPages() == 0, 120, "deflation");
            assertThat(balloon.deflatedPages()).isEqualTo(192 * MB / 4096);
            assertThat(meminfo("MemTotal")).isEqualTo(memTotalBefore);
            sh("dd if=/dev/zero of=/tmp/fill bs=1M count=110 2>/dev/null && echo FILLED-$((1+1))");
            assertThat(out.toString()).contains("FILLED-2");
            assertThat(machine.ram().residentPages()).as("the guest uses its memory again").isGreaterThan(inflated + 25_000);
        } finally {
            machine.poweroff();
        }
    }

    private static long heapUsed() {
        Runtime r = Runtime.getRuntime();
        System.gc();
        return r.totalMemory() - r.freeMemory();
    }

    /** Types a command on the serial console and waits until it has finished. */
    private void sh(String command) throws Exception {
        int n = ++marker;
        for (byte b : (command + "; echo @@" + n + "=$?\n").getBytes(StandardCharsets.US_ASCII)) {
            while (!machine.uart().input(b & 0xff)) Thread.sleep(1);
        }
        Pattern p = Pattern.compile("@@" + n + "=\\d+");
        waitFor(() -> p.matcher(out).find(), 120, command);
    }

    private long meminfo(String field) throws Exception {
        int from = out.length();
        sh("grep " + field + " /proc/meminfo");
        Matcher m = Pattern.compile("(?m)^" + field + ":\\s+(\\d+) kB").matcher(out.substring(from));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private void waitFor(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("no " + what + " in " + seconds + " s:\n" + out);
            Thread.sleep(50);
        }
    }
}
