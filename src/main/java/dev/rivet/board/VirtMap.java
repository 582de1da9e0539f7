package dev.rivet.board;

/**
 * Addresses and interrupt numbers of QEMU's {@code virt} machine (hw/riscv/virt.c, architecture
 * notes section 3). The board and the device tree both take them from here.
 */
public final class VirtMap {
    private VirtMap() { }

    public static final long MROM_BASE = 0x1000, MROM_SIZE = 0xf000;
    public static final long TEST_BASE = 0x100000, TEST_SIZE = 0x1000;
    public static final long RTC_BASE = 0x101000, RTC_SIZE = 0x1000;
    public static final long CLINT_BASE = 0x2000000, CLINT_SIZE = 0x10000;
    public static final long PLIC_BASE = 0xc000000, PLIC_SIZE = 0x600000;
    public static final long UART0_BASE = 0x10000000, UART0_SIZE = 0x100;
    public static final long VIRTIO_BASE = 0x10001000, VIRTIO_SIZE = 0x1000;
    public static final int VIRTIO_COUNT = 8;
    public static final long DRAM_BASE = 0x80000000L;

    /** PLIC source of UART0. */
    public static final int UART0_IRQ = 10;
    /** PLIC source of the goldfish RTC. */
    public static final int RTC_IRQ = 11;
    /** PLIC source of virtio-mmio slot 0; slot i uses VIRTIO_IRQ + i. */
    public static final int VIRTIO_IRQ = 1;

    /** The UART's reference clock (QEMU's virt board: 3.6864 MHz). */
    public static final int UART0_CLOCK_HZ = 3_686_400;
    /** The mtime / {@code time} CSR frequency. */
    public static final int TIMEBASE_HZ = 10_000_000;

    /** Base address of virtio-mmio slot {@code i}. */
    public static long virtioBase(int i) {
        return VIRTIO_BASE + i * VIRTIO_SIZE;
    }
}
