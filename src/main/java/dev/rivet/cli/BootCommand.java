package dev.rivet.cli;

import dev.rivet.board.BootImages.BootException;
import dev.rivet.board.VirtMachine;
import dev.rivet.board.VirtMap;
import dev.rivet.dev.virtio.VirtioDevice;
import java.io.IOException;
import dev.rivet.jit.Jit;
import dev.rivet.jit.JitConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import dev.rivet.board.MachineDebug;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rivet boot}: the system VM, a QEMU-virt-compatible machine. Its command-line model is
 * built by calls, as {@code run}'s is (see {@link RunCommand} why): a boot reaches its firmware
 * that much sooner.
 */
public final class BootCommand implements Callable<Integer> {
    /** Where Debian's opensbi package puts the generic-platform firmware. */
    static final Path DEBIAN_OPENSBI = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin");

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);
    String bios;
    Path kernel;
    Path initrd;
    String append;
    long memory;
    int smp;
    DeviceOptions devices;
    DebugOptions debug;
    OnOff jit;
    boolean stats;

    /** Input the guest reads instead of the user's (the demo's scripted session); null for the user. */
    java.io.InputStream scriptedInput;

    BootCommand() {
        spec.name("boot").version(Main.VERSION);
        spec.usageMessage().sortOptions(false).description(
                "Boot a QEMU-virt-compatible RISC-V machine (OpenSBI, Linux, bare-metal programs).",
                "Exits 0 when the guest powers off, with the guest's code when it reports failure,",
                "and with 70 and a message on a host-side error.");
        Specs.option(spec, "--bios", String.class, "FILE|none",
                "Firmware at 0x80000000 (default: OpenSBI fw_dynamic.bin from Debian's opensbi package); none: start the kernel in M-mode.");
        Specs.path(spec, "--kernel", "FILE", "Linux Image or ELF; with --bios none, any ELF (bare metal).");
        Specs.path(spec, "--initrd", "FILE", "Initial RAM disk.");
        Specs.option(spec, "--append", String.class, "CMDLINE", "Kernel command line.");
        Specs.size(spec, "RAM size (default 256M).", "-m", "--memory");
        Specs.option(spec, "--smp", int.class, "N", "Number of harts, 1 to 8 (default 1).");
        DeviceOptions.addTo(spec);
        DebugOptions.addTo(spec);
        Specs.jit(spec);
        Specs.flag(spec, "--stats", "Print instructions, wall time, MIPS and translator counters to stderr at exit.");
        Main.addStandardHelpOptions(spec);
    }

    /** The command's model, for picocli. */
    CommandSpec spec() {
        return spec;
    }

    /** Takes the parsed values from the model into the fields. */
    private void readSpec() {
        bios = Specs.value(spec, "--bios", null);
        kernel = Specs.value(spec, "--kernel", null);
        initrd = Specs.value(spec, "--initrd", null);
        append = Specs.value(spec, "--append", "");
        memory = Specs.value(spec, "--memory", 256L << 20);
        smp = Specs.value(spec, "--smp", 1);
        devices = DeviceOptions.of(spec);
        debug = DebugOptions.of(spec);
        jit = Specs.value(spec, "--jit", OnOff.on);
        stats = Specs.value(spec, "--stats", false);
    }

    @Override
    public Integer call() throws Exception {
        readSpec();
        if (smp < 1 || smp > 8) return usage("--smp must be between 1 and 8");
        if (memory < (16L << 20) || memory > (16L << 30) || (memory & 0xfff) != 0) {
            return usage("--memory must be a whole number of pages between 16M and 16G");
        }
        Path firmware = resolveBios();
        if (firmware == null && bios == null) {
            return usage("no firmware: install Debian's opensbi package (scripts/install-deps) or give --bios FILE or --bios none");
        }
        List<VirtioDevice> virtio;
        try {
            virtio = devices.build(System.err);
        } catch (IOException | IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (virtio.size() > VirtMap.VIRTIO_COUNT) {
            virtio.forEach(VirtioDevice::close);
            return usage("at most " + VirtMap.VIRTIO_COUNT + " virtio devices (drives, consoles, shares...) fit the board");
        }
        try {
            return run(firmware, virtio);
        } finally {
            virtio.forEach(VirtioDevice::close);
        }
    }

    private int run(Path firmware, List<VirtioDevice> virtio) throws Exception {
        String problem = debug.prepare();
        if (problem != null) return usage(problem);
        VirtMachine machine = new VirtMachine(new VirtMachine.Config(smp, memory, firmware, kernel, initrd, append,
                virtio, devices.legacy), System.out, System.err);
        try {
            machine.boot();
        } catch (BootException e) {
            System.err.println("rivet: " + e.getMessage());
            return 1;
        }
        Jit translator = jit == OnOff.on ? new Jit(JitConfig.forMachines()) : null;
        if (translator != null) machine.useTranslator(translator);
        long startNanos = System.nanoTime();
        try (DebugOptions d = debug; SerialConsole console = new SerialConsole(machine.uart(), machine::poweroff, System.out, scriptedInput)) {
            if (d.active()) {
                MachineDebug adapter = new MachineDebug(machine, d.debugger, d.tracer);
                machine.attach(adapter);
                problem = d.listen(adapter);
                if (problem != null) return usage(problem);
            }
            console.start();
            VirtMachine.Outcome outcome = machine.run();
            System.out.flush();
            d.finish(outcome == VirtMachine.Outcome.FAILED || outcome == VirtMachine.Outcome.HOST_ERROR ? machine.exitCode() : 0, 0);
            if (stats) printStats(machine, translator, System.nanoTime() - startNanos);
            return switch (outcome) {
                case POWER_OFF -> 0;
                case RESET -> {
                    System.err.println("rivet: the guest asked for a reset; rivet stops here");
                    yield 0;
                }
                case FAILED, HOST_ERROR -> machine.exitCode();
            };
        }
    }

    private static void printStats(VirtMachine machine, Jit translator, long nanos) {
        long n = machine.instructions();
        System.err.printf("rivet: instructions: %d%nrivet: wall time: %.3f s%nrivet: MIPS: %.1f%n", n, nanos / 1e9,
                n / (nanos / 1e3));
        if (translator != null) translator.printStats(System.err, n);
    }

    private Path resolveBios() {
        if ("none".equals(bios)) return null;
        if (bios != null) return Path.of(bios);
        for (Path p : List.of(DEBIAN_OPENSBI, Path.of(System.getProperty("rivet.home", "."), "../shared/guest/fw_dynamic.bin"))) {
            if (Files.isRegularFile(p)) return p.normalize();
        }
        return null;
    }

    private static int usage(String message) {
        System.err.println("rivet: " + message);
        return 2;
    }
}
