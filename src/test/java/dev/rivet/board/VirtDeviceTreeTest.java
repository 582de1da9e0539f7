package dev.rivet.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The virt machine's device tree, read back by dtc and compared with QEMU's own. */
class VirtDeviceTreeTest {
    static Map<String, Map<String, String>> tree(VirtDeviceTree.Config c) throws Exception {
        Dtc.assumeDtc();
        Dtc.Result r = Dtc.decompile(VirtDeviceTree.build(c));
        assertThat(r.exit()).as(r.err()).isZero();
        // dtc wants #address-cells in every interrupt provider; QEMU's cpu-intc nodes lack it too, and the
        // riscv,cpu-intc binding does not list it. Any other warning is a defect.
        assertThat(r.err().lines()).as("dtc warnings").allMatch(l -> l.matches(
                ".*Warning \\(interrupt_provider\\): /cpus/cpu@\\d/interrupt-controller: Missing #address-cells.*"));
        return Dtc.parse(r.out());
    }

    static String cell(int v) {
        return "0x%02x".formatted(v);
    }

    @Test
    void rootChosenAndMemory() throws Exception {
        var t = tree(VirtDeviceTree.Config.of(1, 256L << 20).withBootargs("console=ttyS0 root=/dev/vda")
                .withInitrd(0x88000000L, 0x88123456L));
        assertThat(t.get("/")).containsEntry("#address-cells", "<0x02>").containsEntry("#size-cells", "<0x02>")
                .containsEntry("compatible", "\"riscv-virtio\"").containsEntry("model", "\"riscv-virtio,qemu\"");
        assertThat(t.get("/chosen")).containsEntry("bootargs", "\"console=ttyS0 root=/dev/vda\"")
                .containsEntry("stdout-path", "\"/soc/serial@10000000\"")
                .containsEntry("linux,initrd-start", "<0x00 0x88000000>")
                .containsEntry("linux,initrd-end", "<0x00 0x88123456>");
        assertThat(t.get("/memory@80000000")).containsEntry("device_type", "\"memory\"")
                .containsEntry("reg", "<0x00 0x80000000 0x00 0x10000000>");
    }

    @Test
    void noBootargsOrInitrdUnlessGiven() throws Exception {
        var t = tree(VirtDeviceTree.Config.of(1, 1L << 30));
        assertThat(t.get("/chosen")).containsOnlyKeys("stdout-path");
        assertThat(t.get("/memory@80000000")).containsEntry("reg", "<0x00 0x80000000 0x00 0x40000000>");
    }

    @Test
    void cpusWithTheirInterruptControllersAndTopology() throws Exception {
        var t = tree(VirtDeviceTree.Config.of(4, 1L << 30).withMmu("sv39"));
        assertThat(t.get("/cpus")).containsEntry("timebase-frequency", "<0x989680>")
                .containsEntry("#address-cells", "<0x01>").containsEntry("#size-cells", "<0x00>");
        Set<String> phandles = new HashSet<>();
        for (int h = 0; h < 4; h++) {
            Map<String, String> cpu = t.get("/cpus/cpu@" + h);
            assertThat(cpu).containsEntry("device_type", "\"cpu\"").containsEntry("reg", "<" + cell(h) + ">")
                    .containsEntry("status", "\"okay\"").containsEntry("compatible", "\"riscv\"")
                    .containsEntry("riscv,isa", "\"" + VirtDeviceTree.DEFAULT_ISA + "\"")
                    .containsEntry("riscv,isa-base", "\"rv64i\"")
                    .containsEntry("mmu-type", "\"riscv,sv39\"");
            assertThat(cpu.get("riscv,isa-extensions")).isEqualTo(
                    "\"i\\0m\\0a\\0f\\0d\\0c\\0zicntr\\0zicsr\\0zifencei\\0zba\\0zbb\\0zbs\"");
            Map<String, String> intc = t.get("/cpus/cpu@" + h + "/interrupt-controller");
            assertThat(intc).containsEntry("#interrupt-cells", "<0x01>").containsEntry("interrupt-controller", "")
                    .containsEntry("compatible", "\"riscv,cpu-intc\"");
            assertThat(t.get("/cpus/cpu-map/cluster0/core" + h)).containsEntry("cpu", cpu.get("phandle"));
            phandles.add(cpu.get("phandle"));
            phandles.add(intc.get("phandle"));
        }
        assertThat(phandles).hasSize(8).doesNotContainNull();
    }

    @Test
    void interruptControllersWireEveryHart() throws Exception {
        var t = tree(VirtDeviceTree.Config.of(2, 1L << 30));
        String i0 = t.get("/cpus/cpu@0/interrupt-controller").get("phandle").replaceAll("[<>]", "");
        String i1 = t.get("/cpus/cpu@1/interrupt-controller").get("phandle").replaceAll("[<>]", "");
        assertThat(t.get("/soc")).containsEntry("compatible", "\"simple-bus\"").containsEntry("ranges", "");
        assertThat(t.get("/soc/clint@2000000"))
                .containsEntry("compatible", "\"sifive,clint0\\0riscv,clint0\"")
                .containsEntry("reg", "<0x00 0x2000000 0x00 0x10000>")
                .containsEntry("interrupts-extended",
                        "<%s 0x03 %s 0x07 %s 0x03 %s 0x07>".formatted(i0, i0, i1, i1));
        Map<String, String> plic = t.get("/soc/plic@c000000");
        assertThat(plic).containsEntry("compatible", "\"sifive,plic-1.0.0\\0riscv,plic0\"")
                .containsEntry("#interrupt-cells", "<0x01>").containsEntry("interrupt-controller", "")
                .containsEntry("riscv,ndev", "<0x5f>").containsEntry("reg", "<0x00 0xc000000 0x00 0x600000>")
                .containsEntry("interrupts-extended", "<%s 0x0b %s 0x09 %s 0x0b %s 0x09>".formatted(i0, i0, i1, i1));
        String p = plic.get("phandle");

        assertThat(t.get("/soc/serial@10000000")).containsEntry("compatible", "\"ns16550a\"")
                .containsEntry("reg", "<0x00 0x10000000 0x00 0x100>")
                // 3686400 = bytes 00 38 40 00, which dtc guesses to be the string "\08@" (QEMU's too)
                .containsEntry("clock-frequency", "\"\\08@\"")
                .containsEntry("interrupts", "<0x0a>").containsEntry("interrupt-parent", p);
        assertThat(t.get("/soc/rtc@101000")).containsEntry("compatible", "\"google,goldfish-rtc\"")
                .containsEntry("reg", "<0x00 0x101000 0x00 0x1000>")
                .containsEntry("interrupts", "<0x0b>").containsEntry("interrupt-parent", p);
        for (int i = 0; i < 8; i++) {
            long base = 0x10001000L + 0x1000L * i;
            assertThat(t.get("/soc/virtio_mmio@%x".formatted(base))).containsEntry("compatible", "\"virtio,mmio\"")
                    .containsEntry("reg", "<0x00 0x%x 0x00 0x1000>".formatted(base))
                    .containsEntry("interrupts", "<" + cell(1 + i) + ">").containsEntry("interrupt-parent", p);
        }
        Map<String, String> test = t.get("/soc/test@100000");
        assertThat(test).containsEntry("compatible", "\"sifive,test1\\0sifive,test0\\0syscon\"")
                .containsEntry("reg", "<0x00 0x100000 0x00 0x1000>");
        assertThat(t.get("/poweroff")).containsEntry("compatible", "\"syscon-poweroff\"")
                .containsEntry("regmap", test.get("phandle")).containsEntry("offset", "<0x00>")
                .containsEntry("value", "<0x5555>");
        assertThat(t.get("/reboot")).containsEntry("compatible", "\"syscon-reboot\"")
                .containsEntry("regmap", test.get("phandle")).containsEntry("value", "<0x7777>");
    }

    @Test
    void virtioSlotsCanBeLeftOutLowestSlotFirst() throws Exception {
        var t = tree(VirtDeviceTree.Config.of(1, 1L << 30).withVirtioSlots(0b1000_0101));
        assertThat(t.keySet().stream().filter(k -> k.contains("virtio_mmio")).toList()).containsExactly(
                "/soc/virtio_mmio@10001000", "/soc/virtio_mmio@10003000", "/soc/virtio_mmio@10008000");
    }

    @Test
    void eightHartsAndConfigurationChecks() throws Exception {
        assertThat(tree(VirtDeviceTree.Config.of(8, 1L << 30)).keySet()).contains("/cpus/cpu@7",
                "/cpus/cpu-map/cluster0/core7");
        assertThatThrownBy(() -> VirtDeviceTree.Config.of(9, 1L << 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VirtDeviceTree.Config.of(1, 1L << 30).withMmu("sv64"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VirtDeviceTree.Config.of(1, 1L << 30).withIsa("rv64gc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Nodes of QEMU's tree for devices Rivet does not have. */
    static final List<String> QEMU_ONLY_NODES = List.of("/pmu", "/fw-cfg@", "/flash@", "/platform-bus@", "/soc/pci@");

    @Test
    void matchesQemusOwnTree() throws Exception {
        Dtc.assumeDtc();
        assumeThat(Dtc.available("qemu-system-riscv64")).as("qemu-system-riscv64 (apt-get install qemu-system-misc)")
                .isTrue();
        Path dtb = Files.createTempFile("qemu-virt", ".dtb");
        try {
            Dtc.Result q = Dtc.run("qemu-system-riscv64", "-machine", "virt,dumpdtb=" + dtb, "-smp", "2", "-m", "256M",
                    "-nographic", "-display", "none");
            assertThat(q.exit()).as(q.err()).isZero();
            Dtc.Result d = Dtc.run("dtc", "-I", "dtb", "-O", "dts", "-o", "-", dtb.toString());
            var qemu = Dtc.parse(d.out());
            var ours = tree(VirtDeviceTree.Config.of(2, 256L << 20).withRngSeed(new byte[32]));

            Set<String> missing = new TreeSet<>();
            Set<String> extra = new TreeSet<>();
            for (var e : qemu.entrySet()) {
                if (QEMU_ONLY_NODES.stream().anyMatch(e.getKey()::startsWith)) {
                    continue;
                }
                Map<String, String> mine = ours.get(e.getKey());
                if (mine == null) {
                    missing.add(e.getKey());
                    continue;
                }
                for (String prop : e.getValue().keySet()) {
                    if (!mine.containsKey(prop)) {
                        missing.add(e.getKey() + ":" + prop);
                    }
                }
                for (String prop : mine.keySet()) {
                    if (!e.getValue().containsKey(prop)) {
                        extra.add(e.getKey() + ":" + prop);
                    }
                }
            }
            ours.keySet().stream().filter(k -> !qemu.containsKey(k)).forEach(extra::add);
            assertThat(missing).as("in QEMU's tree, not in ours").isEmpty();
            // Only the newer ISA binding, which QEMU 8.2+ writes too, may be ours alone.
            assertThat(extra).as("in our tree, not in QEMU's").allMatch(s -> s.matches(
                    "/cpus/cpu@\\d:riscv,isa-(base|extensions)"));
            // Same wiring, apart from phandle numbers and values that depend on the QEMU version.
            for (String node : List.of("/soc/serial@10000000", "/soc/rtc@101000", "/soc/virtio_mmio@10001000",
                    "/soc/test@100000", "/memory@80000000", "/cpus")) {
                assertThat(ours.get(node)).as(node).containsAllEntriesOf(withoutPhandles(qemu.get(node)));
            }
        } finally {
            Files.deleteIfExists(dtb);
        }
    }

    static Map<String, String> withoutPhandles(Map<String, String> props) {
        Map<String, String> m = new java.util.LinkedHashMap<>(props);
        m.keySet().removeAll(Set.of("phandle", "interrupt-parent"));
        return m;
    }
}
