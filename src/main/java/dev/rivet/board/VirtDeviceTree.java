package dev.rivet.board;

import static dev.rivet.board.VirtMap.*;

import java.util.ArrayList;
import java.util.List;

/**
 * The device tree of a QEMU-virt-compatible machine, node for node as hw/riscv/virt.c writes it
 * with {@code aia=none} and without PCIe, flash, fw_cfg, platform bus or PMU nodes (devices Rivet
 * does not have). OpenSBI and Linux find every device, interrupt wire and the console through it.
 */
public final class VirtDeviceTree {
    private VirtDeviceTree() { }

    /** The ISA announced by default: what the Rivet CPU implements. */
    public static final String DEFAULT_ISA = "rv64imafdc_zicntr_zicsr_zifencei_zba_zbb_zbs";
    /** Every virtio-mmio slot listed, as QEMU always does. */
    public static final int ALL_VIRTIO_SLOTS = (1 << VIRTIO_COUNT) - 1;
    /** riscv,ndev: PLIC sources 1..95 (newer QEMU writes VIRT_IRQCHIP_NUM_SOURCES - 1). */
    public static final int PLIC_NDEV = 95;

    /**
     * What the tree describes.
     *
     * @param harts       number of harts, 1..8
     * @param ramBase     physical base of RAM (0x80000000 on virt)
     * @param ramSize     bytes of RAM
     * @param bootargs    kernel command line, or null for none
     * @param initrdStart physical start of the initrd; with {@code initrdEnd} 0 means no initrd
     * @param initrdEnd   physical end (exclusive) of the initrd
     * @param virtioSlots bit i set: virtio-mmio slot i is listed (QEMU lists all 8)
     * @param mmu         "sv39", "sv48", "sv57" or "none": the deepest paging mode the harts offer
     * @param isa         the riscv,isa string, "rv64i..." with multi-letter extensions after '_'
     * @param rngSeed     bytes for /chosen/rng-seed (Linux seeds its entropy pool with them), or null
     */
    public record Config(int harts, long ramBase, long ramSize, String bootargs, long initrdStart,
                         long initrdEnd, int virtioSlots, String mmu, String isa, byte[] rngSeed) {
        public Config {
            if (harts < 1 || harts > 8) {
                throw new IllegalArgumentException("harts must be 1..8: " + harts);
            }
            if (ramSize <= 0 || ramBase < 0) {
                throw new IllegalArgumentException("bad RAM: base 0x%x size 0x%x".formatted(ramBase, ramSize));
            }
            if (!List.of("sv39", "sv48", "sv57", "none").contains(mmu)) {
                throw new IllegalArgumentException("mmu must be sv39, sv48, sv57 or none: " + mmu);
            }
            if (!isa.matches("rv(32|64)i[a-z&&[^g]]*(_[a-z][a-z0-9]*)*")) {
                throw new IllegalArgumentException("bad ISA string: " + isa);
            }
            if (Long.compareUnsigned(initrdEnd, initrdStart) < 0) {
                throw new IllegalArgumentException("initrd ends before it starts");
            }
        }

        /** QEMU's defaults: RAM at 0x80000000, no command line or initrd, all virtio slots, Sv57. */
        public static Config of(int harts, long ramSize) {
            return new Config(harts, DRAM_BASE, ramSize, null, 0, 0, ALL_VIRTIO_SLOTS, "sv57", DEFAULT_ISA, null);
        }

        public Config withBootargs(String args) {
            return new Config(harts, ramBase, ramSize, args, initrdStart, initrdEnd, virtioSlots, mmu, isa, rngSeed);
        }

        public Config withInitrd(long start, long end) {
            return new Config(harts, ramBase, ramSize, bootargs, start, end, virtioSlots, mmu, isa, rngSeed);
        }

        public Config withVirtioSlots(int mask) {
            return new Config(harts, ramBase, ramSize, bootargs, initrdStart, initrdEnd, mask, mmu, isa, rngSeed);
        }

        public Config withMmu(String mode) {
            return new Config(harts, ramBase, ramSize, bootargs, initrdStart, initrdEnd, virtioSlots, mode, isa, rngSeed);
        }

        public Config withIsa(String s) {
            return new Config(harts, ramBase, ramSize, bootargs, initrdStart, initrdEnd, virtioSlots, mmu, s, rngSeed);
        }

        public Config withRngSeed(byte[] seed) {
            return new Config(harts, ramBase, ramSize, bootargs, initrdStart, initrdEnd, virtioSlots, mmu, isa, seed);
        }

        /** Whether an initrd is described. */
        public boolean hasInitrd() {
            return initrdEnd != initrdStart;
        }
    }

    /** Builds the DTB for {@code c}. */
    public static byte[] build(Config c) {
        FdtWriter w = new FdtWriter();
        int[] cpuPhandle = new int[c.harts()];
        int[] intcPhandle = new int[c.harts()];
        for (int h = 0; h < c.harts(); h++) {
            cpuPhandle[h] = w.allocatePhandle();
            intcPhandle[h] = w.allocatePhandle();
        }
        int plic = w.allocatePhandle();
        int test = w.allocatePhandle();

        w.beginNode("");
        w.propertyU32("#address-cells", 2).propertyU32("#size-cells", 2);
        w.propertyString("compatible", "riscv-virtio").propertyString("model", "riscv-virtio,qemu");

        w.beginNode("chosen");
        if (c.bootargs() != null) {
            w.propertyString("bootargs", c.bootargs());
        }
        w.propertyString("stdout-path", "/soc/serial@%x".formatted(UART0_BASE));
        if (c.hasInitrd()) {
            // QEMU (hw/riscv/boot.c) writes both as 64-bit values.
            w.propertyU64("linux,initrd-start", c.initrdStart()).propertyU64("linux,initrd-end", c.initrdEnd());
        }
        if (c.rngSeed() != null) {
            w.property("rng-seed", c.rngSeed());
        }
        w.endNode();

        w.beginNode("memory@%x".formatted(c.ramBase()));
        w.propertyString("device_type", "memory").propertyU64s("reg", c.ramBase(), c.ramSize());
        w.endNode();

        cpus(w, c, cpuPhandle, intcPhandle);

        // Linux's syscon-poweroff / syscon-reboot drivers write `value` at `offset` in the regmap.
        w.beginNode("poweroff").propertyString("compatible", "syscon-poweroff").propertyU32("regmap", test)
                .propertyU32("offset", 0).propertyU32("value", 0x5555).endNode();
        w.beginNode("reboot").propertyString("compatible", "syscon-reboot").propertyU32("regmap", test)
                .propertyU32("offset", 0).propertyU32("value", 0x7777).endNode();

        w.beginNode("soc");
        w.propertyU32("#address-cells", 2).propertyU32("#size-cells", 2);
        w.propertyString("compatible", "simple-bus").propertyEmpty("ranges");

        w.beginNode("test@%x".formatted(TEST_BASE));
        w.propertyStrings("compatible", "sifive,test1", "sifive,test0", "syscon");
        w.propertyU64s("reg", TEST_BASE, TEST_SIZE).phandle(test);
        w.endNode();

        w.beginNode("rtc@%x".formatted(RTC_BASE));
        w.propertyString("compatible", "google,goldfish-rtc").propertyU64s("reg", RTC_BASE, RTC_SIZE);
        w.propertyU32("interrupt-parent", plic).propertyU32("interrupts", RTC_IRQ);
        w.endNode();

        int[] clintCells = new int[4 * c.harts()];
        int[] plicCells = new int[4 * c.harts()];
        for (int h = 0; h < c.harts(); h++) {
            // mip bit numbers: 3 = M software, 7 = M timer, 11 = M external, 9 = S external.
            clintCells[4 * h] = intcPhandle[h];
            clintCells[4 * h + 1] = 3;
            clintCells[4 * h + 2] = intcPhandle[h];
            clintCells[4 * h + 3] = 7;
            plicCells[4 * h] = intcPhandle[h];
            plicCells[4 * h + 1] = 11;
            plicCells[4 * h + 2] = intcPhandle[h];
            plicCells[4 * h + 3] = 9;
        }
        w.beginNode("clint@%x".formatted(CLINT_BASE));
        w.propertyStrings("compatible", "sifive,clint0", "riscv,clint0");
        w.propertyU64s("reg", CLINT_BASE, CLINT_SIZE).propertyU32s("interrupts-extended", clintCells);
        w.endNode();

        w.beginNode("plic@%x".formatted(PLIC_BASE));
        w.propertyStrings("compatible", "sifive,plic-1.0.0", "riscv,plic0");
        w.propertyU32("#address-cells", 0).propertyU32("#interrupt-cells", 1).propertyEmpty("interrupt-controller");
        w.propertyU64s("reg", PLIC_BASE, PLIC_SIZE).propertyU32s("interrupts-extended", plicCells);
        w.propertyU32("riscv,ndev", PLIC_NDEV).phandle(plic);
        w.endNode();

        w.beginNode("serial@%x".formatted(UART0_BASE));
        w.propertyString("compatible", "ns16550a").propertyU64s("reg", UART0_BASE, UART0_SIZE);
        w.propertyU32("clock-frequency", UART0_CLOCK_HZ);
        w.propertyU32("interrupt-parent", plic).propertyU32("interrupts", UART0_IRQ);
        w.endNode();

        // Lowest slot first: Linux probes in tree order, and Rivet fills slots from 0 in command-line
        // order, so the first drive is /dev/vda (QEMU fills from the highest slot and lists it first).
        for (int i = 0; i < VIRTIO_COUNT; i++) {
            if ((c.virtioSlots() & 1 << i) != 0) {
                w.beginNode("virtio_mmio@%x".formatted(virtioBase(i)));
                w.propertyString("compatible", "virtio,mmio").propertyU64s("reg", virtioBase(i), VIRTIO_SIZE);
                w.propertyU32("interrupt-parent", plic).propertyU32("interrupts", VIRTIO_IRQ + i);
                w.endNode();
            }
        }
        w.endNode(); // soc
        w.endNode(); // root
        return w.finish();
    }

    private static void cpus(FdtWriter w, Config c, int[] cpuPhandle, int[] intcPhandle) {
        w.beginNode("cpus");
        w.propertyU32("#address-cells", 1).propertyU32("#size-cells", 0);
        w.propertyU32("timebase-frequency", TIMEBASE_HZ);
        for (int h = 0; h < c.harts(); h++) {
            w.beginNode("cpu@" + h);
            w.propertyString("device_type", "cpu").propertyU32("reg", h).propertyString("status", "okay");
            w.propertyString("compatible", "riscv");
            w.propertyString("riscv,isa", c.isa());
            // The newer binding (QEMU 8.2+): Linux prefers it to parsing riscv,isa.
            w.propertyString("riscv,isa-base", c.isa().substring(0, 4) + "i");
            w.propertyStrings("riscv,isa-extensions", extensions(c.isa()));
            w.propertyString("mmu-type", "riscv," + c.mmu());
            w.phandle(cpuPhandle[h]);
            w.beginNode("interrupt-controller");
            w.propertyU32("#interrupt-cells", 1).propertyEmpty("interrupt-controller");
            w.propertyString("compatible", "riscv,cpu-intc").phandle(intcPhandle[h]);
            w.endNode();
            w.endNode();
        }
        w.beginNode("cpu-map").beginNode("cluster0");
        for (int h = 0; h < c.harts(); h++) {
            w.beginNode("core" + h).propertyU32("cpu", cpuPhandle[h]).endNode();
        }
        w.endNode().endNode();
        w.endNode();
    }

    /** "rv64imac_zicsr" becomes i, m, a, c, zicsr (single letters, then the multi-letter names). */
    static String[] extensions(String isa) {
        String[] parts = isa.substring(4).split("_");
        List<String> out = new ArrayList<>();
        for (char ch : parts[0].toCharArray()) {
            out.add(String.valueOf(ch));
        }
        out.addAll(List.of(parts).subList(1, parts.length));
        return out.toArray(String[]::new);
    }
}
