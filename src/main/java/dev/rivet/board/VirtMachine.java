package dev.rivet.board;

import dev.rivet.board.BootImages.BootException;
import dev.rivet.board.BootImages.Loaded;
import dev.rivet.cpu.Clock;
import dev.rivet.cpu.CompiledCode;
import dev.rivet.cpu.Hart;
import dev.rivet.cpu.MachineState;
import dev.rivet.dev.Clint;
import dev.rivet.dev.GoldfishRtc;
import dev.rivet.dev.HartInterrupts;
import dev.rivet.dev.Plic;
import dev.rivet.dev.PowerControl;
import dev.rivet.dev.SysconFinisher;
import dev.rivet.dev.Uart16550;
import dev.rivet.dev.virtio.GuestRam;
import dev.rivet.dev.virtio.VirtioDevice;
import dev.rivet.dev.virtio.VirtioMmio;
import dev.rivet.host.HostEntropy;
import dev.rivet.mem.Ram;
import dev.rivet.trace.Tracer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A QEMU-virt-compatible machine: RAM at 0x80000000, boot ROM, CLINT, PLIC, NS16550A UART, goldfish
 * RTC and the test finisher at QEMU's addresses ({@link VirtMap}), harts that each run on a host
 * thread, and the boot contract of QEMU (reset vector, fw_dynamic_info, device tree).
 */
public final class VirtMachine implements PowerControl, HartInterrupts {
    /**
     * What to boot and how big the machine is. {@code bios} null means no firmware (-bios none).
     * {@code virtio} device i sits in virtio-mmio slot i (at {@link VirtMap#virtioBase}, PLIC source
     * {@code VIRTIO_IRQ + i}); {@code virtioLegacy} selects the legacy (version 1) MMIO interface.
     */
    public record Config(int harts, long memoryBytes, Path bios, Path kernel, Path initrd, String append,
                         List<VirtioDevice> virtio, boolean virtioLegacy) {
        public Config {
            virtio = List.copyOf(virtio);
            if (virtio.size() > VirtMap.VIRTIO_COUNT) {
                throw new IllegalArgumentException("at most " + VirtMap.VIRTIO_COUNT + " virtio devices");
            }
        }

        /** A machine without virtio devices. */
        public Config(int harts, long memoryBytes, Path bios, Path kernel, Path initrd, String append) {
            this(harts, memoryBytes, bios, kernel, initrd, append, List.of(), false);
        }
    }

    /** How the machine ended. */
    public enum Outcome { POWER_OFF, RESET, FAILED, HOST_ERROR }

    private final Config config;
    private final Clock clock = Clock.host();
    final Ram ram;
    final Ram rom;
    private final Bus bus = new Bus();
    final SystemMemory memory;
    private final Clint clint;
    private final Plic plic;
    private final Uart16550 uart;
    private final GoldfishRtc rtc;
    private final HartRunner[] runners;
    private final PrintStream diagnostics;
    private final OutputStream console;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Outcome outcome;
    /** The debugger and tracer adapter, or null. */
    volatile MachineDebug debug;
    private volatile int exitCode;

    public VirtMachine(Config config, OutputStream console, PrintStream diagnostics) {
        this.config = config;
        this.diagnostics = diagnostics;
        this.console = console;
        this.ram = new Ram(VirtMap.DRAM_BASE, config.memoryBytes());
        this.rom = new Ram(VirtMap.MROM_BASE, VirtMap.MROM_SIZE);
        this.memory = new SystemMemory(ram, rom, bus);
        this.clint = new Clint(config.harts(), clock, this);
        this.plic = new Plic(config.harts(), this);
        this.uart = new Uart16550(plic.line(VirtMap.UART0_IRQ), console);
        this.rtc = new GoldfishRtc(plic.line(VirtMap.RTC_IRQ));
        bus.map(VirtMap.TEST_BASE, new SysconFinisher(this));
        bus.map(VirtMap.RTC_BASE, rtc);
        bus.map(VirtMap.CLINT_BASE, clint);
        bus.map(VirtMap.PLIC_BASE, plic);
        bus.map(VirtMap.UART0_BASE, uart);
        GuestRam dma = new GuestRam(ram, memory::bumpMappingEpoch);
        for (int i = 0; i < config.virtio().size(); i++) {
            VirtioDevice d = config.virtio().get(i);
            bus.map(VirtMap.virtioBase(i), new VirtioMmio(d, dma, plic.line(VirtMap.VIRTIO_IRQ + i),
                    config.virtioLegacy(), "%s at 0x%x".formatted(d.name(), VirtMap.virtioBase(i)), diagnostics));
        }
        runners = new HartRunner[config.harts()];
        for (int i = 0; i < runners.length; i++) {
            runners[i] = new HartRunner(this, new Hart(i, memory, clint.timebase(), false));
        }
    }

    public Uart16550 uart() {
        return uart;
    }

    /** The guest's RAM (tests measure resident pages through it). */
    public Ram ram() {
        return ram;
    }

    /** Debugs and/or traces the machine through {@code debug} (call before {@link #run}). */
    public void attach(MachineDebug debug) {
        this.debug = debug;
        Tracer tracer = debug.tracer();
        if (tracer != null && tracer.wants(Tracer.Kind.MMIO)) memory.traceDevices(tracer, bus);
    }

    /**
     * 32 bytes from the host for /chosen/rng-seed, as QEMU's virt board passes them. Linux mixes
     * them into its entropy pool (drivers/of/fdt.c, early_init_dt_scan_chosen) and, if built to
     * trust the boot loader (CONFIG_RANDOM_TRUST_BOOTLOADER; the reference guest's kernel is not),
     * credits them, so that getrandom() need not wait for entropy from interrupt timings.
     */
    private static byte[] rngSeed() {
        byte[] seed = new byte[32];
        new HostEntropy().nextBytes(seed);
        return seed;
    }

    /** Loads the images and sets every hart at its first instruction. */
    public void boot() throws BootException {
        long fdtSizeGuess = 64 * 1024;
        long kernelStart = 0, kernelEnd = 0;
        Long firmwareEntry = null;
        Loaded kernel = null;
        if (config.bios() != null) {
            Loaded fw = BootImages.load(ram, BootImages.read(config.bios(), "firmware"), config.bios().toString(), ram.base);
            firmwareEntry = fw.entry();
            kernelStart = (fw.end() + (2L << 20) - 1) & ~((2L << 20) - 1);
        } else {
            kernelStart = ram.base;
        }
        if (config.kernel() != null) {
            kernel = BootImages.loadKernel(ram, BootImages.read(config.kernel(), "kernel"), config.kernel().toString(), kernelStart);
            kernelStart = Math.min(kernelStart, kernel.entry());
            kernelEnd = kernel.end();
        }
        long initrdStart = 0, initrdEnd = 0;
        if (config.initrd() != null) {
            if (kernel == null) throw new BootException("--initrd needs a --kernel to go with it");
            byte[] initrd = BootImages.read(config.initrd(), "initrd");
            initrdStart = BootImages.initrdAddress(ram, kernelStart);
            if (initrdStart < kernelEnd) {
                throw new BootException(String.format("initrd at 0x%x would overlap the kernel (ending at 0x%x): give more --memory",
                        initrdStart, kernelEnd));
            }
            BootImages.checkFits(ram, initrdStart, initrd.length, config.initrd().toString());
            ram.write(initrdStart, initrd);
            initrdEnd = initrdStart + initrd.length;
        }
        // Only slots with a device are listed: Linux would probe empty windows.
        byte[] fdt = VirtDeviceTree.build(VirtDeviceTree.Config.of(config.harts(), ram.size)
                .withBootargs(config.append() == null ? "" : config.append())
                .withInitrd(initrdStart, initrdEnd)
                .withVirtioSlots((1 << config.virtio().size()) - 1)
                .withIsa(VirtDeviceTree.DEFAULT_ISA + "_sstc")
                .withRngSeed(rngSeed()));
        long fdtAddr = BootImages.fdtAddress(ram, (int) Math.max(fdt.length, fdtSizeGuess));
        if (fdtAddr < Math.max(kernelEnd, initrdEnd)) throw new BootException("no room for the device tree: give more --memory");
        ram.write(fdtAddr, fdt);

        long start;
        if (firmwareEntry != null) {
            start = firmwareEntry;
        } else if (kernel != null) {
            start = kernel.entry();
            if (kernel.tohost().isPresent()) {
                memory.attachHtif(new Htif(kernel.tohost().getAsLong(), kernel.fromhost().orElse(0), ram,
                        console, this::finishWithCode));
            }
        } else {
            throw new BootException("nothing to boot: give --kernel, or firmware with --bios");
        }
        rom.write(VirtMap.MROM_BASE, BootImages.resetVector(start, fdtAddr, kernel != null ? kernelStart : 0, true));
        for (HartRunner r : runners) {
            r.hart.pc = VirtMap.MROM_BASE;
            r.hart.machine.priv = MachineState.PRV_M;
        }
    }

    /** Runs every hart through translated code where there is some (call before {@link #run}). */
    public void useTranslator(CompiledCode code) {
        for (HartRunner r : runners) r.hart.compiled = code;
    }

    /** Instructions retired by all harts so far. */
    public long instructions() {
        long n = 0;
        for (HartRunner r : runners) n += r.hart.instret;
        return n;
    }

    /** Runs until the guest powers off, fails or resets (or the host fails); returns how it ended. */
    public Outcome run() throws InterruptedException {
        for (HartRunner r : runners) r.start();
        stopped.await();
        // Let the harts see the stop (so traces of their last instructions are complete).
        for (HartRunner r : runners) r.thread.join(1000);
        return outcome;
    }

    public int exitCode() {
        return exitCode;
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    private synchronized void finish(Outcome how, int code) {
        if (isStopped()) return;
        outcome = how;
        exitCode = code;
        stopped.countDown();
        for (HartRunner r : runners) {
            r.hart.requestStop();
            r.wake();
        }
    }

    private void finishWithCode(int code) {
        finish(code == 0 ? Outcome.POWER_OFF : Outcome.FAILED, code);
    }

    void hostError(String message, Throwable cause) {
        diagnostics.println("rivet: " + message);
        if (System.getenv("RIVET_DEBUG") != null) cause.printStackTrace(diagnostics);
        finish(Outcome.HOST_ERROR, 70);
    }

    // ---------------------------------------------------------------- timers and interrupts

    void updateTimers() {
        clint.updateTimers();
        rtc.poll();
    }

    /** Nanoseconds until something may wake {@code hart}: its CLINT timer, its Sstc timer or the RTC alarm. */
    long nanosUntilNextEvent(Hart hart) {
        long n = Math.max(0, Math.min(clint.nanosUntilTimer(hart.id), rtc.nanosUntilAlarm()));
        MachineState m = hart.machine;
        if ((m.menvcfg & MachineState.MENVCFG_STCE) != 0 && (m.mie & MachineState.STIP) != 0) {
            // stimecmp and time compare as unsigned numbers (Sstc): all ones means "never".
            long now = clint.mtime();
            long nanosPerTick = 1_000_000_000L / Clock.TIMEBASE_HZ;
            if (Long.compareUnsigned(now, m.stimecmp) >= 0) {
                n = 0;
            } else if (Long.compareUnsigned(m.stimecmp - now, n / nanosPerTick) < 0) {
                n = (m.stimecmp - now) * nanosPerTick;
            }
        }
        return Math.min(Math.max(n, 0), 100_000_000L);
    }

    @Override
    public void setPending(int hart, int bits, boolean level) {
        if (hart < 0 || hart >= runners.length) return;
        Hart h = runners[hart].hart;
        h.machine.mip.getAndUpdate(old -> level ? old | bits : old & ~bits);
        h.attention();
        if (level) runners[hart].wake();
    }

    @Override
    public void poweroff() {
        finish(Outcome.POWER_OFF, 0);
    }

    @Override
    public void reset() {
        finish(Outcome.RESET, 0);
    }

    @Override
    public void fail(int code) {
        finish(Outcome.FAILED, code);
    }
}
