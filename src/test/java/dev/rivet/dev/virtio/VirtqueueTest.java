package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split virtqueue and the virtio-mmio transport, driven through the registers as a driver would. */
class VirtqueueTest {
    static final long ALL = -1L;
    static final long EVENT_IDX = 1L << VirtioDevice.F_EVENT_IDX;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void identifiesItselfAsAVersion2DeviceAndRefusesDriversWithoutVersion1() {
        TestDriver d = new TestDriver(new EchoDevice(), false);
        assertThat(d.reg(VirtioMmio.MAGIC)).isEqualTo(0x74726976);
        assertThat(d.reg(VirtioMmio.VERSION)).isEqualTo(2);
        assertThat(d.reg(VirtioMmio.DEVICE_ID)).isEqualTo(0x7e57);
        d.reg(VirtioMmio.DEVICE_FEATURES_SEL, 1);
        assertThat(d.reg(VirtioMmio.DEVICE_FEATURES) & 1).as("VIRTIO_F_VERSION_1").isEqualTo(1);
        d.reg(VirtioMmio.DEVICE_FEATURES_SEL, 0);
        assertThat(d.reg(VirtioMmio.DEVICE_FEATURES)).isEqualTo(1 | 1 << 28 | 1 << 29);
        assertThat(d.mmio.read(VirtioMmio.CONFIG + 2, 2)).isEqualTo(0x0403);

        d.reg(VirtioMmio.STATUS, VirtioMmio.ACKNOWLEDGE | VirtioMmio.DRIVER);
        d.reg(VirtioMmio.DRIVER_FEATURES, 1); // no VERSION_1
        d.reg(VirtioMmio.STATUS, VirtioMmio.ACKNOWLEDGE | VirtioMmio.DRIVER | VirtioMmio.FEATURES_OK);
        assertThat(d.reg(VirtioMmio.STATUS) & VirtioMmio.FEATURES_OK).isZero();
    }

    @Test
    void directAndIndirectChainsRoundTripAndRaiseUsedBufferInterrupts() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        var out = d.buffer(16);
        int head = d.submit(0, List.of(d.buffer(bytes("hello, ")), d.buffer(bytes("world"))), List.of(out));
        assertThat(d.poll(0)).isEqualTo(new TestDriver.Used(head, 12));
        assertThat(new String(d.contents(out), 0, 12, StandardCharsets.US_ASCII)).isEqualTo("hello, world");
        assertThat(d.irq).isTrue();
        assertThat(d.ack()).isEqualTo(1);
        assertThat(d.irq).isFalse();

        var a = d.buffer(3);
        var b = d.buffer(10);
        int ihead = d.submitIndirect(0, List.of(d.buffer(bytes("indirect"))), List.of(a, b));
        assertThat(d.poll(0)).isEqualTo(new TestDriver.Used(ihead, 8));
        assertThat(new String(d.contents(a), StandardCharsets.US_ASCII)).isEqualTo("ind");
        assertThat(new String(d.contents(b), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("irect");
    }

    @Test
    void legacyInterfaceWorksWithPageFrameNumbers() {
        TestDriver d = new TestDriver(new EchoDevice(), true);
        assertThat(d.reg(VirtioMmio.VERSION)).isEqualTo(1);
        d.start(ALL, 8);
        var out = d.buffer(4);
        int head = d.submit(0, List.of(d.buffer(bytes("abcd"))), List.of(out));
        assertThat(d.poll(0)).isEqualTo(new TestDriver.Used(head, 4));
        assertThat(d.contents(out)).isEqualTo(bytes("abcd"));
        assertThat(d.reg(VirtioMmio.QUEUE_PFN)).isNotZero();
    }

    @Test
    void eventIndexSuppressesInterruptsUntilUsedEventIsPassedAndAsksForNotifications() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        int s = d.size[0];
        // used_event (after the avail ring) = 1: no interrupt for the first used buffer (index 0 -> 1).
        d.guestRam.store(d.avail[0] + 4 + 2L * s, 2, 1);
        d.submit(0, List.of(d.buffer(bytes("x"))), List.of(d.buffer(1)));
        assertThat(d.irq).isFalse();
        d.submit(0, List.of(d.buffer(bytes("y"))), List.of(d.buffer(1)));
        assertThat(d.irq).isTrue();
        // avail_event (after the used ring) tells the driver which index to notify at: the next one.
        assertThat(d.guestRam.load(d.used[0] + 4 + 8L * s, 2)).isEqualTo(2);
    }

    @Test
    void withoutEventIndexNoInterruptFlagIsHonoured() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL & ~EVENT_IDX, 16);
        d.guestRam.store(d.avail[0], 2, 1); // VIRTQ_AVAIL_F_NO_INTERRUPT
        d.submit(0, List.of(d.buffer(bytes("x"))), List.of(d.buffer(1)));
        assertThat(d.poll(0)).isNotNull();
        assertThat(d.irq).isFalse();
    }

    /** Submits a hand-made descriptor table head and expects DEVICE_NEEDS_RESET, a config interrupt, one report. */
    private static void assertMalformed(TestDriver d, String reportContains) {
        assertThat(d.reg(VirtioMmio.STATUS) & VirtioMmio.DEVICE_NEEDS_RESET).isNotZero();
        assertThat(d.irq).isTrue();
        assertThat(d.reg(VirtioMmio.INTERRUPT_STATUS) & 2).isEqualTo(2);
        assertThat(d.diagnostics.toString()).contains(reportContains).contains("needs a reset");
        assertThat(d.poll(0)).isNull();
    }

    @Test
    void loopingChainNeedsReset() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        var b = d.buffer(8);
        d.writeDesc(d.desc[0], 0, b.addr(), 8, Virtqueue.F_NEXT, 1);
        d.writeDesc(d.desc[0], 1, b.addr(), 8, Virtqueue.F_NEXT, 0);
        d.makeAvailable(0, 0);
        assertMalformed(d, "loops");
    }

    @Test
    void bufferOutsideRamNeedsReset() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        d.writeDesc(d.desc[0], 0, 0x1000, 8, 0, 0); // the boot ROM, not RAM
        d.makeAvailable(0, 0);
        assertMalformed(d, "outside guest RAM");
        // Only reported once, and a reset brings the device back.
        d.makeAvailable(0, 0);
        assertThat(d.diagnostics.toString().lines().count()).isEqualTo(1);
        d.start(ALL, 16);
        assertThat(d.reg(VirtioMmio.STATUS) & VirtioMmio.DEVICE_NEEDS_RESET).isZero();
        d.submit(0, List.of(d.buffer(bytes("ok"))), List.of(d.buffer(2)));
        assertThat(d.poll(0)).isNotNull();
    }

    @Test
    void bufferRunningPastTheEndOfRamNeedsReset() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        d.writeDesc(d.desc[0], 0, TestDriver.BASE + (4 << 20) - 4, 8, 0, 0);
        d.makeAvailable(0, 0);
        assertMalformed(d, "outside guest RAM");
    }

    @Test
    void readableAfterWritableNeedsReset() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        var b = d.buffer(8);
        d.writeDesc(d.desc[0], 0, b.addr(), 8, Virtqueue.F_NEXT | Virtqueue.F_WRITE, 1);
        d.writeDesc(d.desc[0], 1, b.addr(), 8, 0, 0);
        d.makeAvailable(0, 0);
        assertMalformed(d, "readable buffer after");
    }

    @Test
    void nestedIndirectTablesAndTooLongTablesNeedReset() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        long table = d.alloc(32, 16);
        d.writeDesc(table, 0, table, 32, Virtqueue.F_INDIRECT, 0);
        d.writeDesc(d.desc[0], 0, table, 32, Virtqueue.F_INDIRECT, 0);
        d.makeAvailable(0, 0);
        assertMalformed(d, "nested indirect");

        TestDriver e = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        e.writeDesc(e.desc[0], 0, TestDriver.BASE, 16 * (Virtqueue.MAX_INDIRECT + 1), Virtqueue.F_INDIRECT, 0);
        e.makeAvailable(0, 0);
        assertMalformed(e, "indirect table of");
    }

    @Test
    void indirectWithoutTheFeatureNeedsReset() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL & ~(1L << VirtioDevice.F_INDIRECT_DESC), 16);
        d.submitIndirect(0, List.of(d.buffer(bytes("x"))), List.of(d.buffer(1)));
        assertMalformed(d, "without VIRTIO_F_INDIRECT_DESC");
    }

    @Test
    void headOutOfRangeAndAvailIndexJumpsNeedReset() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        d.makeAvailable(0, 99);
        assertMalformed(d, "head descriptor 99");

        TestDriver e = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        e.guestRam.store(e.avail[0] + 2, 2, 1000);
        e.reg(VirtioMmio.QUEUE_NOTIFY, 0);
        assertMalformed(e, "1000 chains available");
    }

    @Test
    void ringsOutsideRamNeedResetAtQueueReady() {
        TestDriver d = new TestDriver(new EchoDevice(), false);
        d.reg(VirtioMmio.STATUS, VirtioMmio.ACKNOWLEDGE | VirtioMmio.DRIVER);
        d.reg(VirtioMmio.QUEUE_SEL, 0);
        d.reg(VirtioMmio.QUEUE_NUM, 16);
        d.reg(VirtioMmio.QUEUE_DESC_LOW, 0x1000);
        d.reg(VirtioMmio.QUEUE_READY, 1);
        assertThat(d.reg(VirtioMmio.STATUS) & VirtioMmio.DEVICE_NEEDS_RESET).isNotZero();
        assertThat(d.reg(VirtioMmio.QUEUE_READY)).isZero();
    }

    @Test
    void resetClearsQueuesFeaturesAndInterrupts() {
        TestDriver d = new TestDriver(new EchoDevice(), false).start(ALL, 16);
        d.submit(0, List.of(d.buffer(bytes("x"))), List.of(d.buffer(1)));
        assertThat(d.irq).isTrue();
        d.reg(VirtioMmio.STATUS, 0);
        assertThat(d.irq).isFalse();
        assertThat(d.reg(VirtioMmio.STATUS)).isZero();
        assertThat(d.reg(VirtioMmio.INTERRUPT_STATUS)).isZero();
        d.reg(VirtioMmio.QUEUE_SEL, 0);
        assertThat(d.reg(VirtioMmio.QUEUE_READY)).isZero();
        assertThat(d.reg(VirtioMmio.QUEUE_NUM_MAX)).isEqualTo(16);
        d.reg(VirtioMmio.QUEUE_SEL, 1);
        assertThat(d.reg(VirtioMmio.QUEUE_NUM_MAX)).as("no such queue").isZero();
    }

    @Test
    void configChangesBumpTheGenerationAndInterrupt() {
        VirtioBalloon balloon = new VirtioBalloon();
        TestDriver d = new TestDriver(balloon, false).start(ALL, 16);
        int gen = d.reg(VirtioMmio.CONFIG_GENERATION);
        balloon.setTarget(1 << 20);
        assertThat(d.reg(VirtioMmio.CONFIG_GENERATION)).isEqualTo(gen + 1);
        assertThat(d.ack()).isEqualTo(2);
        assertThat(d.mmio.read(VirtioMmio.CONFIG, 4)).isEqualTo(256);
    }
}
