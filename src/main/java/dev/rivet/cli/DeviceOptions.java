package dev.rivet.cli;

import dev.rivet.dev.block.BlockImage;
import dev.rivet.dev.block.BlockImages;
import dev.rivet.dev.virtio.ConsoleEndpoint;
import dev.rivet.dev.virtio.Virtio9p;
import dev.rivet.dev.virtio.VirtioBalloon;
import dev.rivet.dev.virtio.VirtioBlk;
import dev.rivet.dev.virtio.VirtioConsole;
import dev.rivet.dev.virtio.VirtioRng;
import dev.rivet.dev.virtio.VirtioDevice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code rivet boot} options that add virtio devices, and how they become devices: drives
 * take the first virtio-mmio slots in command-line order (the first drive is slot 0 at
 * 0x10001000, PLIC source 1), then the second console, the entropy device, the balloon and the
 * shared folders.
 */
final class DeviceOptions {
    List<String> drives;
    String console2;
    boolean rng;
    /** The balloon's size at boot, 0 for none taken; null: no balloon. */
    Long balloon;
    List<String> shares;
    boolean legacy;

    /** Adds the options to {@code boot}'s model. */
    static void addTo(CommandSpec spec) {
        Specs.repeatable(spec, "--drive", "FILE[,format=raw|qcow2][,readonly][,overlay=FILE][,serial=ID]",
                "A virtio-blk disk (repeatable; the first is /dev/vda). format is probed if not given; "
                        + "readonly offers the disk read-only; overlay sends writes to that qcow2 file, made on top of FILE "
                        + "if missing, so FILE stays untouched; serial is what the guest reads as the disk's ID.");
        Specs.option(spec, "--console2", String.class, "tcp:[HOST:]PORT|unix:PATH|file:PATH",
                "A second console (virtio-console, /dev/hvcN in the guest: hvc1 when the kernel's SBI console "
                        + "holds hvc0): a server on a TCP port (HOST defaults to 127.0.0.1) or a Unix socket, one client at "
                        + "a time, or guest output appended to a file.");
        Specs.flag(spec, "--rng", "A virtio-rng entropy device (/dev/hwrng) fed by the host's random device (/dev/urandom).");
        spec.addOption(OptionSpec.builder("--balloon").arity("0..1").fallbackValue("0").paramLabel("SIZE").type(Long.class)
                .converters(new SizeConverter.OrZero())
                .description("A virtio-balloon device; with SIZE, the balloon takes that much of the guest's RAM at boot.").build());
        Specs.repeatable(spec, "--share", "HOSTDIR,tag=NAME[,readonly]",
                "Share a host directory over virtio-9p (repeatable); in the guest: "
                        + "mount -t 9p -o trans=virtio NAME /mnt. Nothing outside HOSTDIR is reachable.");
        Specs.flag(spec, "--virtio-legacy", "Use the legacy (version 1) virtio-mmio interface.");
    }

    private DeviceOptions() {}

    /** The options as parsed ({@link #addTo}). */
    static DeviceOptions of(CommandSpec spec) {
        DeviceOptions d = new DeviceOptions();
        d.drives = Specs.value(spec, "--drive", List.of());
        d.console2 = Specs.value(spec, "--console2", null);
        d.rng = Specs.value(spec, "--rng", false);
        d.balloon = Specs.value(spec, "--balloon", null);
        d.shares = Specs.value(spec, "--share", List.of());
        d.legacy = Specs.value(spec, "--virtio-legacy", false);
        return d;
    }

    /** The devices in slot order; the caller closes them. */
    List<VirtioDevice> build(PrintStream diagnostics) throws IOException {
        List<VirtioDevice> out = new ArrayList<>();
        try {
            for (String d : drives) out.add(drive(d, diagnostics));
            if (console2 != null) {
                VirtioConsole c = new VirtioConsole();
                out.add(c);
                c.connect(ConsoleEndpoint.parse(console2));
            }
            if (rng) out.add(new VirtioRng());
            if (balloon != null) {
                VirtioBalloon b = new VirtioBalloon();
                b.setTarget(balloon);
                out.add(b);
            }
            for (String sh : shares) out.add(share(sh));
        } catch (IOException | RuntimeException e) {
            for (VirtioDevice v : out) v.close();
            throw e;
        }
        return out;
    }

    private static VirtioDevice drive(String spec, PrintStream diagnostics) throws IOException {
        Map<String, String> o = parse(spec, "drive", List.of("format", "readonly", "overlay", "serial"));
        Path file = Path.of(o.get(""));
        String format = o.get("format");
        boolean readOnly = o.containsKey("readonly");
        BlockImage image;
        if (o.containsKey("overlay")) {
            if (readOnly) throw new IllegalArgumentException("--drive: readonly and overlay exclude each other");
            image = BlockImages.overlay(file, format, Path.of(o.get("overlay")));
        } else {
            image = BlockImages.open(file, format, readOnly);
        }
        String serial = o.getOrDefault("serial", file.getFileName().toString());
        return new VirtioBlk(image, serial, diagnostics);
    }

    private static VirtioDevice share(String spec) {
        Map<String, String> o = parse(spec, "share", List.of("tag", "readonly"));
        Path dir = Path.of(o.get(""));
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--share: not a directory: " + dir);
        String tag = o.get("tag");
        if (tag == null || tag.isEmpty()) throw new IllegalArgumentException("--share: give the mount tag: " + spec + ",tag=NAME");
        return new Virtio9p(dir, tag, o.containsKey("readonly"));
    }

    /** "VALUE,key=v,flag" as {"" = VALUE, key = v, flag = ""}, refusing keys not in {@code keys}. */
    static Map<String, String> parse(String spec, String option, List<String> keys) {
        String[] parts = spec.split(",");
        if (parts[0].isEmpty()) throw new IllegalArgumentException("--" + option + ": missing FILE in '" + spec + "'");
        Map<String, String> m = new LinkedHashMap<>();
        m.put("", parts[0]);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String k = eq < 0 ? parts[i] : parts[i].substring(0, eq);
            if (!keys.contains(k)) throw new IllegalArgumentException("--" + option + ": unknown setting '" + k + "'");
            m.put(k, eq < 0 ? "" : parts[i].substring(eq + 1));
        }
        return m;
    }
}
